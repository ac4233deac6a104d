/**
 * What a budget's period was spent on: the top features, models and token types of the period's spend
 * in the budget's scope (from the same daily series, so they add up to what the budget counts), and
 * for month cost budgets the change against the month before split into volume / intensity / rate by
 * the variance engine (report/variance.sql), on the Ledger cut to the budget's allocation scope.
 */
import type { Budget } from '../config/budgets.js';
import { divideDecimals, multiplyDecimals, roundDecimal, sumDecimals } from '../domain/decimal.js';
import type { CostBasis } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import type { BudgetPeriod } from './periods.js';
import { dailySeries, type SeriesRequest } from './series.js';
import { compareDecimals } from './compare.js';

const TOP = 3;

/** "support-copilot 61.2%, agent-assist 30.1%, doc-intake 8.7%" for one dimension, over the period through `to`. */
export async function topContributors(ledger: Ledger, budget: Budget, costBasis: CostBasis, period: BudgetPeriod, to: string,
  by: NonNullable<SeriesRequest['by']>, currency: string | null): Promise<string | null> {
  if (to <= period.start) return null;
  const series = (await dailySeries(ledger, { measure: budget.measure, costBasis, scope: budget.scope, by, from: period.start, to }))
    .filter((s) => budget.measure !== 'cost' || s.currency === currency);
  const totals = new Map<string, string>();
  for (const s of series) totals.set(s.key ?? '', sumDecimals([totals.get(s.key ?? '') ?? '0', ...s.exact]));
  const all = sumDecimals(['0', ...totals.values()]);
  if (compareDecimals(all, '0') <= 0) return null;
  return [...totals].sort((a, b) => compareDecimals(b[1], a[1]) || a[0].localeCompare(b[0])).slice(0, TOP)
    .map(([k, v]) => `${k} ${roundDecimal(divideDecimals(multiplyDecimals(v, '100'), all, 20)!, 1)}%`).join(', ');
}
