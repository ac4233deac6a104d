/**
 * `tokenledger anomalies label ID yes|no|planned [--note TEXT]`: feedback on an anomaly of
 * `report anomalies`, stored in the store. The ID is looked up among the anomalies of every dimension (over
 * the same period options as the report, default all), so a mistyped ID is refused rather than stored.
 */
import { findAnomalies } from '../../anomalies/anomalies.js';
import { checkId, parseLabel, storeLabel } from '../../anomalies/labels.js';
import { ANOMALY_DIMENSIONS } from '../../anomalies/series.js';
import { withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { parseCostBasis } from '../../domain/cost-basis.js';
import { UsageError } from '../../domain/errors.js';
import { parsePeriod } from '../../domain/period.js';
import { Ledger } from '../../ledger/ledger.js';

export interface LabelOptions extends GlobalOptions {
  month?: string; from?: string; to?: string; cost?: string; note?: string;
}

export async function runAnomaliesLabel(id: string, label: string, o: LabelOptions, fx: Effects): Promise<void> {
  checkId(id);
  const l = parseLabel(label);
  const period = parsePeriod(o);
  await withWriter(o, fx, async (store, config) => {
    const ledger = new Ledger(store, config);
    const costBasis = parseCostBasis(o.cost ?? config.reports?.cost);
    for (const dimension of ANOMALY_DIMENSIONS) {
      const a = (await findAnomalies(ledger, { dimension, period, costBasis, explain: false })).find((x) => x.id === id);
      if (!a) continue;
      const series = `${a.measure} ${a.dimension} ${a.value}${a.currency ? ` ${a.currency}` : ''}`;
      await storeLabel(store, { id, series, start: a.start }, l, o.note ?? null, fx.now());
      fx.stdout(`labelled ${id} (${series}, ${a.pattern} from ${a.start}) ${l}\n`);
      return;
    }
    throw new UsageError(`no anomaly ${id} in the ledger (${period.label})`,
      'IDs are those `tokenledger report anomalies` shows; give the label the same --month or --from/--to as the report.');
  }, { allocate: false });
}
