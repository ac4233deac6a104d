/**
 * Anomalies on the ledger, end to end: the series of a dimension (cost from billing, tokens and requests
 * from telemetry), each judged by the detector with the gates of tokenledger.yaml `anomalies:`, the days
 * with missing data marked, then each cost anomaly explained (root causes, drivers) and its label read.
 * `report anomalies` shows the result; `openAnomalies` is what `tokenledger alerts` asks.
 *
 * 1. Series from 120 days before the period (the detector's history) to its end.
 * 2. Missing days: billing days without usage rows for every cost series; for feature and team cost
 *    (allocated by telemetry) and for telemetry series, also days on which a resource billed tokens but
 *    sent no telemetry. A drop on them is a possible ingestion gap.
 * 3. Windows touching the period, after the gates; cost anomalies first, by |impact|.
 */
import type { Config } from '../config/config.js';
import type { CostBasis } from '../domain/cost-basis.js';
import type { Period } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { analyseSeries, DEFAULT_GATES, type Anomaly, type Gates } from './analyse.js';
import { driversOf, rootCausesOf, type Drivers, type RootCause } from './causes.js';
import { labelsOf, type Label } from './labels.js';
import { addDays, costSeries, missingDays, telemetrySeries, type AnomalyDimension, type Measure } from './series.js';

export const HISTORY_DAYS = 120;

export interface ExplainedAnomaly extends Anomaly {
  rootCauses: RootCause[];
  drivers: Drivers | null;
  label: Label | null;
}

/** The gates of tokenledger.yaml `anomalies:` (min_impact in the series' currency, min_percent). */
export function gatesOf(config: Pick<Config, 'anomalies'>): Gates {
  const a = config.anomalies;
  return { minImpact: a?.min_impact !== undefined ? String(a.min_impact) : DEFAULT_GATES.minImpact,
    minPercent: a?.min_percent ?? DEFAULT_GATES.minPercent };
}

export interface FindOptions {
  dimension: AnomalyDimension;
  period: Pick<Period, 'from' | 'to'>;
  costBasis: CostBasis;
  measures?: readonly Measure[];
  /** Root causes and drivers for cost anomalies (default true). */
  explain?: boolean;
}

const magnitude = (a: Anomaly) => Math.abs(Number(a.impact));
const ORDER: Measure[] = ['cost', 'tokens', 'requests'];

export async function findAnomalies(ledger: Ledger, o: FindOptions): Promise<ExplainedAnomaly[]> {
  const measures = o.measures ?? ORDER;
  const range = { from: o.period.from ? addDays(o.period.from, -HISTORY_DAYS) : null, to: o.period.to };
  const series = [
    ...(measures.includes('cost') ? await costSeries(ledger, o.dimension, o.costBasis, range) : []),
    ...(measures.some((m) => m !== 'cost') ? (await telemetrySeries(ledger, o.dimension, range)).filter((s) => measures.includes(s.measure))
      : []),
  ];
  const gaps = await missingDays(ledger, range);
  const allocatedByTelemetry = o.dimension === 'feature' || o.dimension === 'team';
  const both = new Set([...gaps.billing, ...gaps.telemetry]);
  const gates = gatesOf(ledger.config);
  const found = series.flatMap((s) => analyseSeries(s, {
    gates, from: o.period.from, to: o.period.to,
    missing: s.measure !== 'cost' ? gaps.telemetry : allocatedByTelemetry ? both : gaps.billing,
  }));
  found.sort((a, b) => ORDER.indexOf(a.measure) - ORDER.indexOf(b.measure) || magnitude(b) - magnitude(a) || a.id.localeCompare(b.id));
  const labels = await labelsOf(ledger);
  // cost anomalies are explained together: one scan of the allocation per dimension for all root causes, one
  // for all token drivers (per anomaly, 80 statements took seconds on a year of data)
  const explained = o.explain === false ? [] : found.filter((a) => a.measure === 'cost');
  const causes = await rootCausesOf(ledger, explained, o.costBasis);
  const withDrivers = explained.filter((a) => a.dimension !== 'meter');
  const split = await driversOf(ledger, withDrivers, o.costBasis);
  return found.map((a) => {
    const i = explained.indexOf(a);
    const d = withDrivers.indexOf(a);
    return { ...a, label: labels.get(a.id) ?? null, rootCauses: i >= 0 ? causes[i]! : [], drivers: d >= 0 ? split[d]! : null };
  });
}

/**
 * The anomalies `tokenledger alerts` acts on as of `today` (YYYY-MM-DD): those still open on the latest
 * data (their window reaches the last day of their series) in the last 35 days, on the total, per feature
 * and per model, cost and tokens, explained, without the ones labelled "no" or "planned". Each has a
 * stable `id`: the alert's key.
 */
export async function openAnomalies(ledger: Ledger, today: string,
  o: { dimensions?: readonly AnomalyDimension[]; costBasis?: CostBasis } = {}): Promise<ExplainedAnomaly[]> {
  const out: ExplainedAnomaly[] = [];
  for (const dimension of o.dimensions ?? (['total', 'feature', 'model'] as const)) {
    const found = await findAnomalies(ledger, { dimension, period: { from: addDays(today, -35), to: addDays(today, 1) },
      costBasis: o.costBasis ?? ledger.defaultCostBasis, measures: ['cost', 'tokens'] });
    out.push(...found.filter((a) => a.open && a.label !== 'no' && a.label !== 'planned'));
  }
  return out;
}
