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
import { periodTotals, type TotalsDimension } from './series.js';
import { compareDecimals } from './compare.js';

const TOP = 3;

export type Contributors = Record<TotalsDimension, string | null>;

/**
 * "support-copilot 61.2%, agent-assist 30.1%, doc-intake 8.7%" per dimension (feature, model, token type), over
 * the period through `to`, from one statement (periodTotals): each key's total in the budget's currency (cost)
 * or over every currency (tokens).
 */
export async function topContributors(ledger: Ledger, budget: Budget, costBasis: CostBasis, period: BudgetPeriod, to: string,
  currency: string | null): Promise<Contributors> {
  const out: Contributors = { feature: null, model: null, token_type: null };
  if (to <= period.start) return out;
  const rows = (await periodTotals(ledger, { measure: budget.measure, costBasis, scope: budget.scope, from: period.start, to }))
    .filter((r) => budget.measure !== 'cost' || r.currency === currency);
  for (const dim of Object.keys(out) as TotalsDimension[]) {
    const totals = new Map<string, string>();
    for (const r of rows) if (r.dimension === dim) totals.set(r.key, sumDecimals([totals.get(r.key) ?? '0', r.total]));
    const all = sumDecimals(['0', ...totals.values()]);
    if (compareDecimals(all, '0') <= 0) continue;
    out[dim] = [...totals].sort((a, b) => compareDecimals(b[1], a[1]) || a[0].localeCompare(b[0])).slice(0, TOP)
      .map(([k, v]) => `${k} ${roundDecimal(divideDecimals(multiplyDecimals(v, '100'), all, 20)!, 1)}%`).join(', ');
  }
  return out;
}
