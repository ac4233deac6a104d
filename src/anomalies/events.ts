/**
 * From flagged days to anomalies: the detector (detect.ts) judges days; people read events. This file
 * groups a series' flags into windows and names each one, the way the FinOps toolkit and AWS Cost
 * Anomaly Detection present them: start, end, whether it is still open, spike / drop / step / drift,
 * expected vs actual and a score. Money is not handled here (the series reader sums exact decimals).
 *
 * 1. Consecutive flags of one sign form a window; a single unflagged day inside does not split it.
 * 2. Pattern: a run that became a level change is a step (a drift when its scores climb, its first day
 *    under 60 % of its largest, or the days after it stay above the new level: a median score of 1);
 *    one flagged mostly by the drift channel is a drift; otherwise a spike (above) or a drop (below).
 *    A drop on days with missing data is a possible ingestion gap (the pattern stays drop, the flag
 *    says it), never savings.
 * 3. Open: the window reaches the last day of the series.
 */
import type { DayJudgement } from './detect.js';

export type Pattern = 'spike' | 'drop' | 'step' | 'drift';

export interface Window {
  /** Indexes of the first and last day of the window in the series. */
  start: number;
  end: number;
  open: boolean;
  pattern: Pattern;
  sign: 1 | -1;
  /** Largest |score| of its days. */
  score: number;
  /** Some of its days have missing data (billing export days or telemetry days). */
  missingData: boolean;
  /** Expected value of each day of the window (the detector's). */
  expected: number[];
}

/** The windows of one series' judgements (`missing`: days known to lack data). */
export function windowsOf(days: readonly DayJudgement[], missing: readonly boolean[] = []): Window[] {
  const out: Window[] = [];
  let t = 0;
  while (t < days.length) {
    const d = days[t]!;
    if (!d.flag) {
      t++;
      continue;
    }
    // 1. extend while the same sign continues, bridging one quiet day
    const sign = d.flag;
    let end = t;
    for (let i = t + 1; i < days.length; i++) {
      if (days[i]!.flag === sign) end = i;
      else if (days[i]!.flag === 0 && days[i + 1]?.flag === sign) continue;
      else break;
    }
    const span = days.slice(t, end + 1);
    const flagged = span.filter((x) => x.flag === sign);
    // 2. name it
    const drift = flagged.filter((x) => x.channel === 'drift').length;
    const missingData = span.some((_, i) => missing[t + i]);
    // a level change whose first day is far below its largest is a ramp seen day by day: a drift
    const peak = Math.max(...flagged.map((x) => Math.abs(x.score)));
    const after = days.slice(end + 1, end + 8).map((x) => sign * x.score).sort((a, b) => a - b);
    const ramp = Math.abs(flagged[0]!.score) < 0.6 * peak || (after.length >= 3 && after[after.length >> 1]! >= 1);
    const pattern: Pattern = span.some((x) => x.step) ? (ramp ? 'drift' : 'step') : drift * 2 > flagged.length ? 'drift'
      : sign > 0 ? 'spike' : 'drop';
    out.push({
      start: t, end, open: end === days.length - 1, pattern, sign, missingData,
      score: peak,
      expected: span.map((x) => x.expected ?? 0),
    });
    t = end + 1;
  }
  return out;
}
