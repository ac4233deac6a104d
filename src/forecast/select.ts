/**
 * The forecast of one series: every method is backtested (backtest.ts) and the one with the lowest WAPE
 * on the first 30-day block wins (ties: the order of METHODS; the first block with too few origins: the
 * longest horizon every method reached, else damped-trend). The winner is refitted on the whole series
 * and its intervals come from its backtest errors: a window's interval is point -/+ z times the RMS of
 * the backtest's errors on that same window after the origin.
 */
import { backtest, Z80, Z95, type Backtest } from './backtest.js';
import { forecast, METHODS, type MethodName } from './methods.js';

/** The last index holding a number, -1 when none. */
function lastIndex(a: (number | null)[]): number {
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== null) return i;
  return -1;
}

export interface SeriesForecast {
  method: MethodName;
  /** Daily point forecasts for days 1..horizon after the series ends. */
  points: number[];
  backtests: Backtest[];
  /** The chosen method's backtest. */
  accuracy: Backtest;
}

export interface Interval { point: number; lo80: number | null; hi80: number | null; lo95: number | null; hi95: number | null }

/** Backtest every method, keep the best, forecast `horizon` days. */
export function forecastSeries(y: number[], horizon: number): SeriesForecast {
  const backtests = METHODS.map((m) => backtest(m, y, Math.max(horizon, 1)));
  const score = (b: Backtest): number | null => {
    const first = b.blocks[0];
    if (first?.wape !== null && first?.wape !== undefined) return first.wape;
    // no origin reached 30 days: the cumulative error at the longest horizon reached, relative to the mean day
    const h = lastIndex(b.rmse);
    const mean = y.reduce((a, v) => a + Math.abs(v), 0) / Math.max(1, y.length);
    return h >= 0 && mean > 0 ? b.rmse[h]! / (mean * (h + 1)) : null;
  };
  let best = backtests.find((b) => b.method === 'damped-trend')!;
  let bestScore = Infinity;
  for (const b of backtests) {
    const s = score(b);
    if (s !== null && s < bestScore - 1e-12) { best = b; bestScore = s; }
  }
  return { method: best.method, points: forecast(best.method, y, horizon), backtests, accuracy: best };
}

/**
 * RMS error of the total of days from+1..to after an origin (0-based from, exclusive to), over the
 * backtest origins that reached `to`; when none did, the longest window reached, grown with sqrt(length).
 * Null when the backtest had no origin at all.
 */
export function windowRmse(b: Backtest, from: number, to: number): number | null {
  if (to <= from) return 0;
  const errs = b.cums.filter((c) => c.length >= to).map((c) => c[to - 1]! - (from ? c[from - 1]! : 0));
  if (errs.length) return Math.sqrt(errs.reduce((a, e) => a + e * e, 0) / errs.length);
  const last = lastIndex(b.rmse);
  return last < 0 ? null : b.rmse[last]! * Math.sqrt((to - from) / (last + 1));
}

/** The total of days from..to (0-based, exclusive end) of the forecast with its 80 % and 95 % intervals. */
export function windowTotal(f: SeriesForecast, from: number, to: number, floorAtZero = true): Interval {
  let point = 0;
  for (let i = from; i < to; i++) point += f.points[i] ?? 0;
  const s = windowRmse(f.accuracy, from, to);
  const clip = (v: number) => (floorAtZero ? Math.max(0, v) : v);
  if (s === null) return { point, lo80: null, hi80: null, lo95: null, hi95: null };
  return { point, lo80: clip(point - Z80 * s), hi80: point + Z80 * s, lo95: clip(point - Z95 * s), hi95: point + Z95 * s };
}
