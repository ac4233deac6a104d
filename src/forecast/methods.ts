/**
 * The statistical forecasting methods, as pure functions over a daily series (numbers, oldest first,
 * one per day, no gaps). Each method fits on a history and returns the point forecast for the next
 * `horizon` days. No dates, money or ledger here: the caller turns figures into numbers and the
 * estimates back into rounded decimal text.
 *
 * 1. seasonal-naive: each day repeats the same weekday of the last week.
 * 2. damped-trend: Holt's linear exponential smoothing with a damped trend (Gardner & McKenzie), its
 *    smoothing and damping parameters picked on a small grid by one-step-ahead squared error, fitted on the
 *    series with its weekday pattern divided out (multiplicative weekly indices), forecasts multiplied back.
 * 3. linear-trend: least squares line over the last LINEAR_WINDOW days, on the same deseasonalized series.
 * Forecasts of a non-negative history are never negative (a cost or token count cannot go below zero).
 */

export type MethodName = 'seasonal-naive' | 'damped-trend' | 'linear-trend';
export const METHODS: MethodName[] = ['seasonal-naive', 'damped-trend', 'linear-trend'];

const WEEK = 7;
const LINEAR_WINDOW = 180;
const INDEX_WINDOW = 8 * WEEK;

/** The point forecast of `method` for days 1..horizon after the end of `history`. */
export function forecast(method: MethodName, history: number[], horizon: number): number[] {
  if (!history.length) return new Array<number>(horizon).fill(0);
  const out = method === 'seasonal-naive' ? seasonalNaive(history, horizon) : deseasonalized(history, horizon, method);
  return history.every((v) => v >= 0) ? out.map((v) => Math.max(0, v)) : out;
}

function seasonalNaive(y: number[], horizon: number): number[] {
  const n = y.length;
  if (n < WEEK) return new Array<number>(horizon).fill(y[n - 1]!);
  return Array.from({ length: horizon }, (_, i) => y[n - WEEK + (i % WEEK)]!);
}

/**
 * Multiplicative weekday indices over the last INDEX_WINDOW days: each day's ratio to its centred 7-day
 * mean, averaged per weekday position (position = index mod 7 counted from the end), normalised to mean 1.
 * All ones when the series is too short or has non-positive means.
 */
export function weeklyIndices(y: number[]): number[] {
  const ones = new Array<number>(WEEK).fill(1);
  const n = y.length;
  if (n < 3 * WEEK) return ones;
  const sums = new Array<number>(WEEK).fill(0);
  const counts = new Array<number>(WEEK).fill(0);
  for (let t = Math.max(3, n - INDEX_WINDOW); t <= n - 4; t++) {
    let m = 0;
    for (let k = t - 3; k <= t + 3; k++) m += y[k]!;
    m /= WEEK;
    if (m <= 0) return ones;
    const pos = (n - 1 - t) % WEEK;
    sums[pos]! += y[t]! / m;
    counts[pos]! += 1;
  }
  const idx = sums.map((s, i) => (counts[i] ? s / counts[i]! : 1));
  const mean = idx.reduce((a, b) => a + b, 0) / WEEK;
  return mean > 0 ? idx.map((v) => v / mean) : ones;
}

/** The index of day t of a series of length n (t may be past the end). */
const indexAt = (idx: number[], n: number, t: number) => idx[(((n - 1 - t) % WEEK) + WEEK) % WEEK]!;

function deseasonalized(y: number[], horizon: number, method: 'damped-trend' | 'linear-trend'): number[] {
  const n = y.length;
  const idx = weeklyIndices(y);
  const adjusted = y.map((v, t) => v / indexAt(idx, n, t));
  const f = method === 'linear-trend' ? linearTrend(adjusted, horizon) : dampedTrend(adjusted, horizon);
  return f.map((v, i) => v * indexAt(idx, n, n + i));
}

/** Least squares a + b t over the last LINEAR_WINDOW points, extended. */
export function linearTrend(y: number[], horizon: number): number[] {
  const w = y.slice(-LINEAR_WINDOW);
  const n = w.length;
  const tm = (n - 1) / 2;
  const ym = w.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tm) * (w[t]! - ym);
    sxx += (t - tm) ** 2;
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return Array.from({ length: horizon }, (_, i) => ym + b * (n - 1 + i + 1 - tm));
}

const ALPHAS = [0.1, 0.2, 0.4, 0.7];
const BETAS = [0.02, 0.1, 0.2];
const PHIS = [0.8, 0.9, 0.98];

/** Holt's damped trend: level l, trend b; forecast l + (phi + ... + phi^h) b. Parameters by one-step SSE. */
export function dampedTrend(y: number[], horizon: number): number[] {
  if (y.length < 3) return new Array<number>(horizon).fill(y[y.length - 1] ?? 0);
  let best = { sse: Infinity, l: 0, b: 0, phi: 1 };
  for (const alpha of ALPHAS) for (const beta of BETAS) for (const phi of PHIS) {
    let l = y[0]!;
    let b = y[1]! - y[0]!;
    let sse = 0;
    for (let t = 1; t < y.length; t++) {
      const pred = l + phi * b;
      const e = y[t]! - pred;
      sse += e * e;
      const lNew = pred + alpha * e;
      b = phi * b + alpha * beta * e;
      l = lNew;
    }
    if (sse < best.sse) best = { sse, l, b, phi };
  }
  const out: number[] = [];
  let damp = 0;
  for (let h = 1; h <= horizon; h++) {
    damp += best.phi ** h;
    out.push(best.l + damp * best.b);
  }
  return out;
}
