/**
 * Budget periods: the month, quarter, year or rolling window of days that contains a date, as a
 * half-open range of days [start, end) with a label. Pure date arithmetic on YYYY-MM-DD strings (UTC).
 */
import type { Budget } from '../config/budgets.js';
import { addMonths } from '../domain/month.js';
import { addDays } from './series.js';

export interface BudgetPeriod { start: string; end: string; label: string }

/** The period of `budget` that contains `day`. */
export function periodOf(budget: Pick<Budget, 'period'>, day: string): BudgetPeriod {
  const p = budget.period;
  const month = day.slice(0, 7);
  const year = day.slice(0, 4);
  if (p === 'month') return { start: `${month}-01`, end: `${addMonths(month, 1)}-01`, label: month };
  if (p === 'quarter') {
    const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3);
    const first = `${year}-${String(q * 3 + 1).padStart(2, '0')}`;
    return { start: `${first}-01`, end: `${addMonths(first, 3)}-01`, label: `${year}-Q${q + 1}` };
  }
  if (p === 'year') return { start: `${year}-01-01`, end: `${Number(year) + 1}-01-01`, label: year };
  const start = addDays(day, 1 - p.rolling_days);
  return { start, end: addDays(day, 1), label: `${p.rolling_days}d to ${day}` };
}

/** The period before (same length for rolling windows). */
export function previousPeriod(budget: Pick<Budget, 'period'>, period: BudgetPeriod): BudgetPeriod {
  return periodOf(budget, addDays(period.start, -1));
}
