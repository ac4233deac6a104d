/**
 * One series in, its anomalies out: the detector's windows (detect.ts, events.ts) given a stable ID, the
 * amounts a CFO reads (expected vs actual over the window, $ and % impact, exact at cents: actual is the
 * sum of exact decimals, expected the model's estimate rounded once to cents) and the impact gates, so a
 * tiny series does not flood the report. A drop on days with missing data is a possible ingestion gap.
 */
import { createHash } from 'node:crypto';
import { divideDecimals, multiplyDecimals, negateDecimal, roundDecimal, sumDecimals } from '../domain/decimal.js';
import { calendarOf, detect, type DetectOptions } from './detect.js';
import { windowsOf, type Pattern } from './events.js';
import type { DailySeries, Measure, AnomalyDimension } from './series.js';

export interface Gates {
  /** Smallest |impact| in money (the series' currency) a cost anomaly must have, as decimal text. */
  minImpact: string;
  /** Smallest |impact| in percent of the expected amount. */
  minPercent: number;
}

export const DEFAULT_GATES: Gates = { minImpact: '50', minPercent: 10 };

export interface Anomaly {
  id: string;
  measure: Measure;
  dimension: AnomalyDimension;
  value: string;
  currency: string | null;
  start: string;
  end: string;
  open: boolean;
  pattern: Pattern;
  possibleIngestionGap: boolean;
  /** Over the window: exact decimal text, at cents for cost, whole for tokens and requests. */
  expected: string;
  actual: string;
  impact: string;
  impactPct: string | null;
  score: number;
  /** The window's days and the detector's expectation of each (for root causes and drivers). */
  days: string[];
  expectedDaily: number[];
}

/** Stable across runs: the series and the window's first day (the detector is causal, so it does not move). */
export function anomalyId(s: Pick<DailySeries, 'measure' | 'dimension' | 'value' | 'currency'>, start: string): string {
  return createHash('sha256').update([s.measure, s.dimension, s.value, s.currency ?? '', start].join('\u0001')).digest('hex').slice(0, 12);
}

/**
 * The score a report shows: the detector's, in robust standard deviations of the relative residual,
 * bounded by SCORE_CAP. Against an expectation of zero (a series that starts from nothing) the relative
 * residual is undefined (the detector's floor makes it 1e9-fold), so such a window scores the cap, with
 * the sign of its impact; the flags themselves are the detector's, unchanged.
 */
export const SCORE_CAP = 100;
export function reportedScore(score: number, expectedIsZero: boolean, sign: number): number {
  if (expectedIsZero || !Number.isFinite(score)) return (sign < 0 ? -1 : 1) * SCORE_CAP;
  return Math.round(Math.max(-SCORE_CAP, Math.min(SCORE_CAP, score)) * 10) / 10;
}

const isNegative = (d: string) => d.startsWith('-') && /[1-9]/.test(d);
const abs = (d: string) => (isNegative(d) ? negateDecimal(d) : d);
/** a >= b for decimal texts, exactly. */
export const atLeast = (a: string, b: string) => !isNegative(sumDecimals([a, negateDecimal(b)]));

/** The anomalies of one series whose window touches [from, to) (null: open-ended), after the gates. */
export function analyseSeries(s: DailySeries, o: { missing?: ReadonlySet<string>; gates?: Gates; from?: string | null;
  to?: string | null; detect?: DetectOptions }): Anomaly[] {
  const gates = o.gates ?? DEFAULT_GATES;
  const values = s.amounts.map(Number); // the detector's statistics; amounts stay exact below
  const missing = s.days.map((d) => o.missing?.has(d) ?? false);
  const judged = detect(values, calendarOf(s.days[0] ?? '2000-01-01', s.days.length), { ...o.detect, missing });
  const places = s.measure === 'cost' ? 2 : 0;
  const out: Anomaly[] = [];
  for (const w of windowsOf(judged, missing)) {
    const start = s.days[w.start]!;
    const end = s.days[w.end]!;
    if ((o.from && end < o.from) || (o.to && start >= o.to)) continue;
    const expectedSum = w.expected.reduce((a, b) => a + b, 0);
    const expected = roundDecimal(expectedSum.toFixed(places + 2), places);
    const actual = roundDecimal(sumDecimals(s.amounts.slice(w.start, w.end + 1)), places);
    const impact = sumDecimals([actual, negateDecimal(expected)]);
    const pct = divideDecimals(multiplyDecimals(impact, '100'), expected);
    const impactPct = pct === null ? null : roundDecimal(pct, 1);
    // the gates: percent for every measure, money for cost
    if (impactPct !== null && !atLeast(abs(impactPct), String(gates.minPercent))) continue;
    if (s.measure === 'cost' && !atLeast(abs(impact), gates.minImpact)) continue;
    out.push({
      id: anomalyId(s, start), measure: s.measure, dimension: s.dimension, value: s.value, currency: s.currency, start, end,
      open: w.open, pattern: w.pattern, possibleIngestionGap: w.sign < 0 && w.missingData,
      expected, actual, impact: places ? roundDecimal(impact, 2) : impact, impactPct,
      score: reportedScore(w.score, !/[1-9]/.test(expected), w.sign), days: s.days.slice(w.start, w.end + 1), expectedDaily: w.expected,
    });
  }
  return out;
}
