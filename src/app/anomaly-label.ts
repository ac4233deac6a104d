/**
 * Labelling an anomaly, once for the command line (`tokenledger anomalies label`) and the dashboard's
 * label buttons (POST, src/server/labels.ts): the ID is looked up among the anomalies of every dimension
 * the caller's scope sees (over the given period, default all), so a mistyped ID, or one outside the
 * caller's scope, is refused rather than stored; then the label is written (migration 013).
 */
import { findAnomalies } from '../anomalies/anomalies.js';
import { checkId, parseLabel, storeLabel, type Label } from '../anomalies/labels.js';
import { ANOMALY_DIMENSIONS } from '../anomalies/series.js';
import { parseCostBasis } from '../domain/cost-basis.js';
import { UsageError } from '../domain/errors.js';
import type { Period } from '../domain/period.js';
import { Ledger } from '../ledger/ledger.js';
import type { Scope } from '../ledger/scope.js';
import { withWriter, type GlobalOptions } from './context.js';
import type { Effects } from './effects.js';

export interface LabelRequest { id: string; label: string; note: string | null; period: Period; cost?: string | undefined }
export interface Labelled { id: string; series: string; pattern: string; start: string; label: Label }

export async function labelAnomaly(g: GlobalOptions, fx: Effects, r: LabelRequest, scope: Scope = {}): Promise<Labelled> {
  checkId(r.id);
  const l = parseLabel(r.label);
  return withWriter(g, fx, async (store, config) => {
    const ledger = new Ledger(store, config, scope);
    const costBasis = parseCostBasis(r.cost ?? config.reports?.cost);
    for (const dimension of ANOMALY_DIMENSIONS) {
      const a = (await findAnomalies(ledger, { dimension, period: r.period, costBasis, explain: false })).find((x) => x.id === r.id);
      if (!a) continue;
      const series = `${a.measure} ${a.dimension} ${a.value}${a.currency ? ` ${a.currency}` : ''}`;
      await storeLabel(store, { id: r.id, series, start: a.start }, l, r.note, fx.now());
      return { id: r.id, series, pattern: a.pattern, start: a.start, label: l };
    }
    throw new UsageError(`no anomaly ${r.id} in the ledger (${r.period.label})`,
      'IDs are those `tokenledger report anomalies` shows; give the label the same --month or --from/--to as the report.');
  }, { allocate: false });
}
