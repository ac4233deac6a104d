/**
 * `tokenledger anomalies label ID yes|no|planned [--note TEXT]`: feedback on an anomaly of
 * `report anomalies`, stored in the store. The ID is looked up among the anomalies of every dimension (over
 * the same period options as the report, default all), so a mistyped ID is refused rather than stored
 * (app/anomaly-label.ts, which the dashboard's label buttons share).
 */
import { labelAnomaly } from '../../app/anomaly-label.js';
import type { GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { parsePeriod } from '../../domain/period.js';

export interface LabelOptions extends GlobalOptions {
  month?: string; from?: string; to?: string; cost?: string; note?: string;
}

export async function runAnomaliesLabel(id: string, label: string, o: LabelOptions, fx: Effects): Promise<void> {
  const a = await labelAnomaly(o, fx, { id, label, note: o.note ?? null, period: parsePeriod(o), cost: o.cost });
  fx.stdout(`labelled ${id} (${a.series}, ${a.pattern} from ${a.start}) ${a.label}\n`);
}
