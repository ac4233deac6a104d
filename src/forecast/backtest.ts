/**
 * Rolling-origin backtests: how well a method would have forecast this series, measured only on data it
 * had not seen. Origins every ORIGIN_STEP days from MIN_TRAIN on; at each origin the method is fitted on
 * the days before it and forecasts the next days. Accuracy is reported per 30-day horizon block (days
 * 1-30, 31-60, 61-90...), on block totals, as a CFO reads a monthly forecast:
 *
 * 1. WAPE = sum |actual - forecast| / sum actual over origins (safe near zero); MAPE = mean of
 *    |actual - forecast| / actual over origins whose actual is positive.
 * 2. Interval width for a window of h days: the root mean square of the cumulative error of the first h
 *    days over origins (rmse[h]); 80 % and 95 % intervals are point -/+ 1.2816 and 1.96 rmse[h].
 * 3. Coverage is measured honestly: the interval at an origin uses only the errors of earlier origins
 *    (at least MIN_PRIOR of them), and counts whether the block's actual total fell inside it.
 */
import { forecast, type MethodName } from './methods.js';

export const MIN_TRAIN = 28;
export const ORIGIN_STEP = 7;
export const BLOCK = 30;
const MIN_PRIOR = 3;
export const Z80 = 1.2816;
export const Z95 = 1.96;

export interface BlockAccuracy {
  /** 1-based: days (block-1)*30+1 .. block*30 after the origin. */
  block: number;
  origins: number;
  wape: number | null;
  mape: number | null;
  coverage80: number | null;
  coverage95: number | null;
}

export interface Backtest {
  method: MethodName;
  origins: number;
  blocks: BlockAccuracy[];
  /** rmse[h-1]: RMS of the cumulative error of the first h days; null where no origin reached h. */
  rmse: (number | null)[];
  /** Per origin, the cumulative error of days 1..h (as far as the series reached). */
  cums: number[][];
}

const sum = (a: number[], from: number, to: number) => { let s = 0; for (let i = from; i < to; i++) s += a[i]!; return s; };

/** Backtest `method` on `y` for horizons up to `horizon` days. */
export function backtest(method: MethodName, y: number[], horizon: number): Backtest {
  const n = y.length;
  const origins: number[] = [];
  for (let o = MIN_TRAIN; o < n; o += ORIGIN_STEP) origins.push(o);
  // cumulative errors per origin: cum[k][h-1] = sum of actual - forecast over days 1..h (when observed)
  const runs = origins.map((o) => {
    const len = Math.min(horizon, n - o);
    const f = forecast(method, y.slice(0, o), len);
    const actual = y.slice(o, o + len);
    const cum: number[] = [];
    let c = 0;
    for (let i = 0; i < len; i++) { c += actual[i]! - f[i]!; cum.push(c); }
    return { o, f, actual, cum };
  });
  const rmseFrom = (rs: typeof runs, h: number): number | null => {
    const e = rs.filter((r) => r.cum.length >= h).map((r) => r.cum[h - 1]!);
    return e.length ? Math.sqrt(e.reduce((a, b) => a + b * b, 0) / e.length) : null;
  };
  const rmse = Array.from({ length: horizon }, (_, i) => rmseFrom(runs, i + 1));
  const blocks: BlockAccuracy[] = [];
  for (let b = 1; (b - 1) * BLOCK < horizon; b++) {
    const lo = (b - 1) * BLOCK;
    const hi = Math.min(b * BLOCK, horizon);
    const full = runs.filter((r) => r.actual.length >= hi);
    let absErr = 0;
    let actualSum = 0;
    const apes: number[] = [];
    let seen = 0;
    let in80 = 0;
    let in95 = 0;
    full.forEach((r, k) => {
      const a = sum(r.actual, lo, hi);
      const f = sum(r.f, lo, hi);
      absErr += Math.abs(a - f);
      actualSum += Math.abs(a);
      if (a > 0) apes.push(Math.abs(a - f) / a);
      // the block's interval from earlier origins only: the error of a window lo..hi has RMS rmse of its cumulative difference
      const prior = full.slice(0, k);
      if (prior.length < MIN_PRIOR) return;
      const errs = prior.map((p) => (p.cum[hi - 1]! - (lo ? p.cum[lo - 1]! : 0)));
      const s = Math.sqrt(errs.reduce((x, e) => x + e * e, 0) / errs.length);
      seen++;
      if (Math.abs(a - f) <= Z80 * s) in80++;
      if (Math.abs(a - f) <= Z95 * s) in95++;
    });
    blocks.push({
      block: b, origins: full.length,
      wape: full.length && actualSum > 0 ? absErr / actualSum : full.length && absErr === 0 ? 0 : null,
      mape: apes.length ? apes.reduce((x, v) => x + v, 0) / apes.length : null,
      coverage80: seen ? in80 / seen : null,
      coverage95: seen ? in95 / seen : null,
    });
  }
  return { method, origins: runs.length, blocks, rmse, cums: runs.map((r) => r.cum) };
}
