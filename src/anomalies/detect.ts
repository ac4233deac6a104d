/**
 * The anomaly detector on one daily series: what each day was expected to be, and whether it was out of
 * line. It is causal (a day is judged on the days before it only), so the flags of a day never change
 * when later data arrives and an anomaly's ID (its series and first day) is stable from run to run.
 * Pure numbers in, numbers out: the series reader (series.ts) and the evaluation corpus both feed it.
 *
 * Per day t, over the "clean" history (flagged days replaced by what was expected of them):
 * 1. Fit a multiplicative weekly season and a linear trend robustly: Tukey's resistant line (medians of
 *    thirds) on the deseasonalized history of the last `window` days, weekday factors as medians of the
 *    history over the trend, twice. First days of a month are left out of the fit; a month-start effect
 *    seen on the previous month starts (a monthly fee) is added to the expectation of the next one.
 * 2. Scale: the MAD of the last 56 one-day-ahead relative errors (the fit's own residuals, inflated,
 *    until there are 14: in-sample residuals of a median season understate the noise), floored at
 *    `minScale`; the score of a day is its relative residual over that scale; |score| >= k flags it.
 * 3. Drift: the median relative residual of the last 7 days against the fit made `lag` days earlier
 *    (extrapolated; a fit of at least 35 days); beyond `driftMin` and 5 of its standard errors, the day is flagged ("drift").
 * 4. Robust weights: a flagged day (and a day with missing data) enters the history as its expectation,
 *    so an anomaly does not teach the model. A run of `stepDays` same-signed flags is a level change:
 *    the history restarts at its first day with the observed values, and later days are judged on it.
 */

export interface DetectOptions {
  /** Days of history each fit uses (default 56). */
  window?: number;
  /** Days of history before a day can be judged (default 21). */
  minHistory?: number;
  /** Flag a day whose relative residual is at least k robust standard deviations (default 4). */
  k?: number;
  /** Floor of the relative scale (default 0.03: 3 % noise is not an anomaly). */
  minScale?: number;
  /** Smallest 7-day median deviation the drift channel flags (default 0.12). */
  driftMin?: number;
  /** Days between the fit the drift channel compares with and today (default 14). */
  lag?: number;
  /** Same-signed flagged days in a row that make a level change (default 5). */
  stepDays?: number;
  /** Days whose data is known to be missing (ingestion gaps): never learned from. */
  missing?: readonly boolean[];
}

export type Channel = 'day' | 'drift';
export interface DayJudgement {
  expected: number | null;
  score: number;
  /** +1 above, -1 below what was expected, 0 not flagged. */
  flag: -1 | 0 | 1;
  channel: Channel | null;
  /** This day completed a run of flags that was taken as a level change (step). */
  step: boolean;
}

interface Fit { origin: number; history: number; intercept: number; slope: number; season: number[]; scale: number; monthStart: number }

// a typed array sorts numbers natively (no comparator calls): the detector's hot loop is medians of ~56 values,
// copied by a plain loop into one reused buffer (Float64Array.from iterates, and a fresh array per median is garbage)
let scratch = new Float64Array(256);
export const median = (xs: number[]): number => {
  const n = xs.length;
  if (!n) return NaN;
  if (n > scratch.length) scratch = new Float64Array(2 * n);
  const s = scratch.subarray(0, n);
  let plain = true;
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    s[i] = x;
    // NaN and signed zeros order differently under < than under the sort: those go to the sort
    if (x === 0 || x !== x) plain = false;
  }
  const m = n >> 1;
  if (!plain) {
    s.sort();
    return n % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  }
  // Hoare's selection of the m-th smallest; every element left of it is then <= it
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = s[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (s[i]! < pivot) i++;
      while (s[j]! > pivot) j--;
      if (i <= j) {
        const tmp = s[i]!;
        s[i] = s[j]!;
        s[j] = tmp;
        i++;
        j--;
      }
    }
    if (m <= j) hi = j;
    else if (m >= i) lo = i;
    else break;
  }
  const mid = s[m]!;
  if (n % 2) return mid;
  let below = -Infinity;
  for (let i = 0; i < m; i++) if (s[i]! > below) below = s[i]!;
  return (below + mid) / 2;
};

/** The median of xs[from..to), which ascend. */
const sortedMedian = (xs: number[], from: number, to: number): number => {
  const n = to - from;
  if (n <= 0) return NaN;
  const m = from + (n >> 1);
  return n % 2 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
};

const dayOfWeek = (day0: number, i: number) => (((day0 + i) % 7) + 7) % 7;

/**
 * Tukey's resistant line through (x, y): the slope between the medians of the first and last thirds,
 * the intercept as the median of what is left; as robust as Theil-Sen, in O(n log n).
 */
function resistantLine(xs: number[], ys: number[], withSlope: boolean): { intercept: number; slope: number } {
  let slope = 0;
  if (withSlope) {
    const third = Math.floor(xs.length / 3);
    // xs ascend (days before t, in order): the median of a third is its middle, as sorting would find
    const dx = sortedMedian(xs, xs.length - third, xs.length) - sortedMedian(xs, 0, third);
    slope = dx > 0 ? (median(ys.slice(-third)) - median(ys.slice(0, third))) / dx : 0;
  }
  return { intercept: median(ys.map((y, i) => y - slope * xs[i]!)), slope };
}

export interface SeriesCalendar {
  /** Day of week of the first day (0 Sunday). */
  firstDayOfWeek: number;
  /** Index of each first day of a month in the series. */
  monthStarts: ReadonlySet<number>;
}

/** Calendar of a series starting on `first` (YYYY-MM-DD) with `n` days. */
export function calendarOf(first: string, n: number): SeriesCalendar {
  const t0 = Date.parse(`${first}T00:00:00Z`);
  const monthStarts = new Set<number>();
  for (let i = 0; i < n; i++) if (new Date(t0 + i * 86_400_000).getUTCDate() === 1) monthStarts.add(i);
  return { firstDayOfWeek: new Date(t0).getUTCDay(), monthStarts };
}

function fitAt(t: number, clean: number[], start: number, cal: SeriesCalendar, o: Required<Omit<DetectOptions, 'missing'>>,
  previous: Fit | null, values: readonly number[], errors: number[]): Fit | null {
  const from = Math.max(start, t - o.window);
  const idx: number[] = [];
  for (let i = from; i < t; i++) if (!cal.monthStarts.has(i)) idx.push(i);
  if (idx.length < 5) return null;
  const y = idx.map((i) => clean[i]!);
  // 1. season and trend, twice; the season is kept from before when the history is short (after a step)
  let season = previous && idx.length < 21 ? previous.season : [1, 1, 1, 1, 1, 1, 1];
  let line = { intercept: 0, slope: 0 };
  for (let pass = 0; pass < 2; pass++) {
    line = resistantLine(idx.map((i) => i - t), y.map((v, j) => v / season[dayOfWeek(cal.firstDayOfWeek, idx[j]!)]!), idx.length >= 14);
    if (idx.length < 21) break;
    const ratios: number[][] = [[], [], [], [], [], [], []];
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      const trend = line.intercept + line.slope * (i - t);
      if (trend > 0) ratios[dayOfWeek(cal.firstDayOfWeek, i)]!.push(y[j]! / trend);
    }
    const raw = ratios.map((r) => (r.length >= 2 ? median(r) : 1));
    const mean = raw.reduce((a, b) => a + b, 0) / 7;
    season = mean > 0 ? raw.map((s) => s / mean) : [1, 1, 1, 1, 1, 1, 1];
  }
  const fitted = (i: number) => Math.max(0, (line.intercept + line.slope * (i - t)) * season[dayOfWeek(cal.firstDayOfWeek, i)]!);
  // 2. relative residuals and their robust scale
  const level = Math.max(Math.abs(line.intercept), 1e-9);
  const mad = (xs: number[]) => {
    const c = median(xs);
    return 1.4826 * median(xs.map((r) => Math.abs(r - c)));
  };
  const recent = errors.slice(-56);
  // the in-sample residuals only until there are 14 one-day-ahead errors
  const scale = Math.max(o.minScale, recent.length >= 14 ? mad(recent)
    : 1.5 * mad(idx.map((i, j) => (y[j]! - fitted(i)) / Math.max(fitted(i), 0.05 * level))));
  // 1b. month starts: the median excess of the previous (up to two) month starts, when all of them had one
  const starts = [...cal.monthStarts].filter((m) => m < t && m >= t - 100 && m >= Math.max(7, start)).slice(-2);
  const excess = starts.map((m) => values[m]! - fitted(m));
  const monthStart = excess.length && excess.every((e, j) => Math.abs(e) > 3 * scale * Math.max(fitted(starts[j]!), 0.05 * level))
    && (excess.every((e) => e > 0) || excess.every((e) => e < 0)) ? median(excess) : 0;
  return { origin: t, history: t - from, intercept: line.intercept, slope: line.slope, season, scale, monthStart };
}

function expectedOf(f: Fit, i: number, cal: SeriesCalendar): number {
  const base = Math.max(0, (f.intercept + f.slope * (i - f.origin)) * f.season[dayOfWeek(cal.firstDayOfWeek, i)]!);
  return cal.monthStarts.has(i) ? Math.max(0, base + f.monthStart) : base;
}

const DEFAULTS = { window: 56, minHistory: 21, k: 4, minScale: 0.03, driftMin: 0.12, lag: 14, stepDays: 5 };

/** Judge every day of `values` (one value per day from `cal`'s first day). */
export function detect(values: readonly number[], cal: SeriesCalendar, options: DetectOptions = {}): DayJudgement[] {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k !== 'missing')) } as
    Required<Omit<DetectOptions, 'missing'>>;
  const missing = options.missing ?? [];
  const clean: number[] = [];
  const errors: number[] = [];
  const fits: (Fit | null)[] = [];
  const out: DayJudgement[] = [];
  let start = 0;
  let run: { sign: number; from: number } | null = null;
  for (let t = 0; t < values.length; t++) {
    const v = values[t]!;
    const fit = t - start >= o.minHistory || (start > 0 && t - start >= o.stepDays) ? fitAt(t, clean, start, cal, o, fits[t - 1] ?? null,
      values, errors) : null;
    fits.push(fit);
    if (!fit) {
      clean.push(v);
      out.push({ expected: null, score: 0, flag: 0, channel: null, step: false });
      continue;
    }
    const expected = expectedOf(fit, t, cal);
    const level = Math.max(Math.abs(fit.intercept), 1e-9);
    const score = (v - expected) / (fit.scale * Math.max(expected, 0.05 * level));
    if (!missing[t] && !cal.monthStarts.has(t)) errors.push((v - expected) / Math.max(expected, 0.05 * level));
    let flag: -1 | 0 | 1 = Math.abs(score) >= o.k ? (score > 0 ? 1 : -1) : 0;
    let channel: Channel | null = flag ? 'day' : null;
    let judged = expected;
    let judgedScore = score;
    // 3. drift against the fit of `lag` days ago, over the last 7 days
    const old = fits[t - o.lag];
    if (!flag && old && old.history >= 35 && old.origin - old.history >= start && t - 6 >= start) {
      // relative to the old fit's level where it expected (nearly) nothing, as the day channel is: an
      // absolute floor would make a drift's score depend on the series' unit
      const oldLevel = Math.max(Math.abs(old.intercept), 1e-9);
      const devs: number[] = [];
      for (let i = t - 6; i <= t; i++) {
        const e = expectedOf(old, i, cal);
        if (!missing[i]) devs.push((values[i]! - e) / Math.max(e, 0.05 * oldLevel));
      }
      const m = median(devs);
      const se = (1.25 * fit.scale) / Math.sqrt(Math.max(devs.length, 1));
      if (devs.length >= 5 && Math.abs(m) >= o.driftMin && Math.abs(m) >= 5 * se) {
        flag = m > 0 ? 1 : -1;
        channel = 'drift';
        judged = expectedOf(old, t, cal);
        judgedScore = m / se;
      }
    }
    // 4. robust weights, and level changes
    let step = false;
    if (channel === 'day' && !missing[t]) {
      run = run && run.sign === flag ? run : { sign: flag, from: t };
      if (t - run.from + 1 >= o.stepDays) {
        for (let i = run.from; i < t; i++) clean[i] = values[i]!;
        clean.push(v);
        start = run.from;
        step = true;
        run = null;
        out.push({ expected: judged, score: judgedScore, flag, channel, step });
        continue;
      }
    } else if (!missing[t]) run = null;
    clean.push(channel === 'day' || missing[t] ? expected : v);
    out.push({ expected: judged, score: judgedScore, flag, channel, step });
  }
  return out;
}
