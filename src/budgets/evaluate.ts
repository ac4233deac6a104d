/**
 * A budget judged on one period: what was spent (exact), how fast, where it is heading (the forecast of
 * src/forecast/ over the days left, with its interval), when it runs out, and its status. A budget is
 * judged only on complete data; when the data is stale, has gaps or the currency is ambiguous, the
 * status is `unknown` and the reason says why (never "ok" by default: LiteLLM's most reported budget bug
 * is spend that silently never arrives).
 *
 * 1. As of: the last day of --month (or today), data through = min(complete-through day, as of).
 * 2. Series of the measure in the budget's scope, up to a year before through the data-through day.
 * 3. Spent = the period's days through data-through; burn rates: last 7 days' mean, period mean.
 * 4. Projection = spent + forecast of the days left, 80/95 % intervals from the backtest errors.
 * 5. Exhaustion date: the first day the cumulative spend (actual, then projected) reaches the amount.
 *    A scope nothing matched in that year is unknown (a misspelled value would otherwise read "ok").
 * 6. Status: unknown > breached (spent >= amount) > forecast breach (projection >= amount) > warn (an
 *    actual threshold crossed) > ok. Each threshold is crossed or not, on its basis (what alerts emit).
 */
import type { Budget } from '../config/budgets.js';
import type { CostBasis } from '../domain/cost-basis.js';
import { divideDecimals, multiplyDecimals, roundDecimal, sumDecimals } from '../domain/decimal.js';
import { forecastSeries, windowTotal, type Interval } from '../forecast/index.js';
import type { Ledger } from '../ledger/ledger.js';
import { compareDecimals } from './compare.js';
import { exactPlus, placesOf } from './estimate.js';
import { periodOf, type BudgetPeriod } from './periods.js';
import { addDays, dailySeries, daysBetween, type DailySeries, type SeriesRequest } from './series.js';

const HISTORY_DAYS = 365;

export type BudgetStatus = 'ok' | 'warn' | 'breached' | 'forecast breach' | 'unknown';

export interface ThresholdState { at: number; basis: 'actual' | 'forecast'; crossed: boolean }

export interface BudgetEvaluation {
  budget: Budget;
  period: BudgetPeriod;
  currency: string | null;
  data_through: string | null;
  spent: string;
  percent_used: string | null;
  burn_recent: string | null;
  burn_period: string | null;
  days_left: number;
  projected: Interval & { text: Record<'point' | 'lo80' | 'hi80' | 'lo95' | 'hi95', string | null> };
  exhaustion_date: string | null;
  status: BudgetStatus;
  reason: string | null;
  method: string | null;
  thresholds: ThresholdState[];
  /** The daily series the evaluation used (for contributors and tests). */
  series: DailySeries | null;
}

export interface EvaluateOptions {
  asOf: string; staleDays: number; completeThrough: string | null; problems: string[];
  /** The budget's daily series when the caller read it already (evaluateBudgets: every budget's in one statement). */
  series?: DailySeries[] | undefined;
}

/** Merge per-currency series into one (tokens have no currency). */
function merged(list: DailySeries[], to: string): DailySeries | null {
  if (!list.length) return null;
  const start = list.reduce((a, s) => (s.start < a ? s.start : a), list[0]!.start);
  const n = daysBetween(start, to);
  const exact = Array.from({ length: n },
    (_, i) => sumDecimals(['0', ...list.map((s) => s.exact[i - daysBetween(start, s.start)] ?? '0')]));
  return { currency: '', key: null, start, exact, values: exact.map(Number) };
}

/** The last day a budget's figures count: its data's last complete day, at most the day judged; null: no billing data. */
const throughOf = (o: Pick<EvaluateOptions, 'asOf' | 'completeThrough'>): string | null =>
  (o.completeThrough === null ? null : o.completeThrough < o.asOf ? o.completeThrough : o.asOf);

/** The daily series a budget is judged on (HISTORY_DAYS through its data's last day), or null: no billing data. */
export function seriesRequestOf(budget: Budget, costBasis: CostBasis, o: Pick<EvaluateOptions, 'asOf' | 'completeThrough'>):
  SeriesRequest | null {
  const through = throughOf(o);
  if (through === null) return null;
  const to = addDays(through, 1);
  return { measure: budget.measure, costBasis, scope: budget.scope, from: addDays(to, -HISTORY_DAYS), to };
}

export async function evaluateBudget(ledger: Ledger, budget: Budget, costBasis: 'effective' | 'billed',
  o: EvaluateOptions): Promise<BudgetEvaluation> {
  const period = periodOf(budget, o.asOf);
  const places = placesOf(budget.measure);
  const through = throughOf(o);
  const base = { budget, period, data_through: through, method: null, series: null, exhaustion_date: null };
  const none = { point: 0, lo80: null, hi80: null, lo95: null, hi95: null, text: { point: null, lo80: null, hi80: null, lo95: null,
    hi95: null } };
  const unknown = (reason: string, extra: Partial<BudgetEvaluation> = {}): BudgetEvaluation => ({
    ...base, currency: budget.currency ?? null, spent: '0', percent_used: null, burn_recent: null, burn_period: null,
    days_left: daysBetween(through && through >= period.start ? addDays(through, 1) : period.start, period.end),
    projected: none, status: 'unknown', reason,
    thresholds: budget.thresholds.map((t) => ({ at: t.at, basis: t.basis, crossed: false })), ...extra,
  });
  const request = seriesRequestOf(budget, costBasis, o);
  if (request === null || through === null) return unknown('no billing data');
  const to = request.to;
  const all = o.series ?? await dailySeries(ledger, request);
  // a scope nothing in the ledger matched for a year is more likely a misspelled value than a budget on track
  const scoped = Object.entries(budget.scope).filter(([, v]) => v && v.length);
  if (!all.length && scoped.length) {
    return unknown(`nothing in the ledger matches the scope (${scoped.map(([k, v]) => `${k}: ${v!.join(', ')}`).join('; ')}) ` +
      `in the ${HISTORY_DAYS} days through ${through}: check the scope's values`);
  }
  let series: DailySeries | null;
  let currency: string | null = null;
  if (budget.measure === 'cost') {
    const currencies = [...new Set(all.map((s) => s.currency))];
    currency = budget.currency ?? (currencies.length === 1 ? currencies[0]! : null);
    if (currency === null && currencies.length > 1)
      return unknown(`several currencies in scope (${currencies.join(', ')}): set currency: on the budget`);
    series = all.find((s) => s.currency === currency) ?? null;
  } else series = merged(all, to);
  // 3. spent and burn rates, exact where they are sums of charges
  const inPeriod = (i: number) => series !== null && addDays(series.start, i) >= period.start;
  const periodDays = series ? series.exact.filter((_, i) => inPeriod(i)) : [];
  const spent = sumDecimals(['0', ...periodDays]);
  const elapsed = Math.max(0, daysBetween(period.start, to));
  const recent = series ? series.exact.slice(-7) : [];
  const burnRecent = recent.length ? roundDecimal(divideDecimals(sumDecimals(recent), String(recent.length), 20)!, places) : null;
  const burnPeriod = elapsed > 0 ? roundDecimal(divideDecimals(spent, String(elapsed), 20)!, places) : null;
  const percent = roundDecimal(divideDecimals(multiplyDecimals(spent, '100'), budget.amount, 20)!, 2);
  const daysLeft = Math.max(0, daysBetween(to > period.start ? to : period.start, period.end));
  const facts = { currency, spent, percent_used: percent, burn_recent: burnRecent, burn_period: burnPeriod, days_left: daysLeft, series };
  // data freshness: stale or incomplete data makes the status unknown, with the figures so far
  const staleBy = daysBetween(through, o.asOf);
  if (to <= period.start && daysBetween(period.start, o.asOf) >= o.staleDays)
    return unknown(`no data in the period yet (data through ${through})`, facts);
  if (staleBy > o.staleDays)
    return unknown(`data through ${through} is ${staleBy} days old (checks.stale_after_days ${o.staleDays})`, facts);
  if (o.problems.length) return unknown(`incomplete data: ${o.problems.join('; ')}`, facts);
  // 4. projection over the days left
  const f = series && series.values.length && daysLeft > 0 ? forecastSeries(series.values, Math.max(daysLeft, 1)) : null;
  const future = daysLeft > 0 && f ? windowTotal(f, 0, daysLeft) : { point: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0 };
  const t = (x: number | null) => (x === null ? null : exactPlus(spent, x, places));
  const projected = { ...future, point: Number(spent) + future.point,
    text: { point: t(future.point), lo80: t(future.lo80), hi80: t(future.hi80), lo95: t(future.lo95), hi95: t(future.hi95) } };
  // 5. exhaustion: actual days first, then the forecast's
  let exhaustion: string | null = null;
  let cum = '0';
  for (let i = 0; series && i < series.exact.length && !exhaustion; i++) {
    if (!inPeriod(i)) continue;
    cum = sumDecimals([cum, series.exact[i]!]);
    if (compareDecimals(cum, budget.amount) >= 0) exhaustion = addDays(series.start, i);
  }
  if (!exhaustion && f) {
    let c = Number(spent);
    for (let i = 0; i < daysLeft; i++) {
      c += f.points[i] ?? 0;
      if (c >= Number(budget.amount)) { exhaustion = addDays(to, i); break; }
    }
  }
  // 6. thresholds and status
  const thresholds = budget.thresholds.map((th): ThresholdState => {
    const limit = multiplyDecimals(budget.amount, String(th.at));
    const crossed = th.basis === 'actual' ? compareDecimals(multiplyDecimals(spent, '100'), limit) >= 0
      : compareDecimals(multiplyDecimals(projected.text.point ?? spent, '100'), limit) >= 0;
    return { at: th.at, basis: th.basis, crossed };
  });
  const status: BudgetStatus = compareDecimals(spent, budget.amount) >= 0 ? 'breached'
    : compareDecimals(projected.text.point ?? spent, budget.amount) >= 0 ? 'forecast breach'
      : thresholds.some((x) => x.basis === 'actual' && x.crossed) ? 'warn' : 'ok';
  return { ...base, ...facts, projected, exhaustion_date: exhaustion, status, reason: null, method: daysLeft > 0 ? f?.method ?? null : null,
    thresholds };
}

