/**
 * The score a report shows (analyse.ts reportedScore), on hand-built series:
 *
 *   series                                        window            expected   actual     score
 *   0 for 35 days, then 1,000 a day for 3 days    days 36..38       0.00       3,000.00   100 (expected zero: the cap)
 *   100 a day for 35 days, then 150 once          day 36            100.00     150.00     50 / (0.03 x 100) = 16.7
 *
 * (noise-free history: the detector's scale is its floor, minScale 0.03). Before the bound, the first
 * scored about 3.3e13 (the detector's 1e-9 level floor), which the dashboard printed as is.
 */
import { describe, expect, it } from 'vitest';
import { addDays } from '../budgets/series.js';
import { analyseSeries, reportedScore, SCORE_CAP } from './analyse.js';
import { detect, calendarOf } from './detect.js';
import type { DailySeries } from './series.js';

const series = (amounts: string[]): DailySeries => ({ measure: 'cost', dimension: 'feature', value: 'A', currency: 'USD',
  days: amounts.map((_, i) => addDays('2026-09-01', i)), amounts });

describe('anomaly scores', () => {
  it('a series that starts from zero: expected 0.00, score bounded at the cap', () => {
    const s = series([...Array(35).fill('0'), '1000', '1000', '1000']);
    // the detector's own score is the unbounded relative residual
    const raw = detect(s.amounts.map(Number), calendarOf(s.days[0]!, s.days.length));
    expect(Math.abs(raw[35]!.score)).toBeGreaterThan(1e9);
    const [a, ...rest] = analyseSeries(s, {});
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ start: '2026-10-06', expected: '0.00', actual: '3000.00', impact: '3000.00', impactPct: null,
      score: SCORE_CAP });
  });

  it('an ordinary spike keeps its score: (150 - 100) / (0.03 x 100) = 16.7', () => {
    const [a] = analyseSeries(series([...Array(35).fill('100'), '150']), {});
    expect(a).toMatchObject({ start: '2026-10-06', expected: '100.00', actual: '150.00', score: 16.7 });
  });

  it.each([
    [16.66, false, 1, 16.7], [-16.66, false, -1, -16.7], [3.3e13, false, 1, 100], [-1e20, false, -1, -100], [0.5, true, 1, 100],
    [5, true, -1, -100], [Number.POSITIVE_INFINITY, false, 1, 100], [Number.NaN, false, -1, -100],
  ])('reportedScore(%d, expected zero %s, sign %d) = %d', (score, zero, sign, want) => {
    expect(reportedScore(score, zero, sign)).toBe(want);
  });
});
