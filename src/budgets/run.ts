/**
 * Every budget of tokenledger.yaml evaluated as of one day: the last day of --month (or today when that
 * is earlier), else today. Each budget's data status is the Ledger's over its own period, judged against
 * that day, so stale data and gaps make a budget `unknown` rather than `ok`. What `report budgets` and
 * `tokenledger alerts` both read.
 */
import type { Budget } from '../config/budgets.js';
import type { CostBasis } from '../domain/cost-basis.js';
import { addMonths, dayBefore } from '../domain/month.js';
import type { Ledger } from '../ledger/ledger.js';
import { evaluateBudget, seriesRequestOf, type BudgetEvaluation } from './evaluate.js';
import { dailySeriesMany } from './series.js';
import { periodOf } from './periods.js';

export interface BudgetsRequest { month: string | null; today: string; costBasis: CostBasis }

/** The day budgets are judged on. */
export function asOfDay(r: Pick<BudgetsRequest, 'month' | 'today'>): string {
  if (!r.month) return r.today;
  const last = dayBefore(`${addMonths(r.month, 1)}-01`);
  return last < r.today ? last : r.today;
}

export async function evaluateBudgets(ledger: Ledger, r: BudgetsRequest, budgets: Budget[] = ledger.config.budgets ?? []):
  Promise<{ asOf: string; evaluations: BudgetEvaluation[] }> {
  const asOf = asOfDay(r);
  const staleDays = ledger.config.checks?.stale_after_days ?? 3;
  // 1. each budget's data status over its own period; 2. every budget's daily series in one statement; 3. each judged
  const statuses: Awaited<ReturnType<Ledger['status']>>[] = [];
  for (const b of budgets) {
    const p = periodOf(b, asOf);
    statuses.push(await ledger.status({ from: p.start, to: p.end, label: p.label }, asOf));
  }
  const requests = budgets.map((b, i) => seriesRequestOf(b, r.costBasis, { asOf, completeThrough: statuses[i]!.complete_through }));
  const wanted = requests.flatMap((q) => (q ? [q] : []));
  const read = await dailySeriesMany(ledger, wanted);
  const evaluations: BudgetEvaluation[] = [];
  for (const [i, b] of budgets.entries()) {
    const q = requests[i];
    evaluations.push(await evaluateBudget(ledger, b, r.costBasis, {
      asOf, staleDays, completeThrough: statuses[i]!.complete_through, problems: statuses[i]!.problems,
      series: q ? read[wanted.indexOf(q)] : undefined,
    }));
  }
  return { asOf, evaluations };
}
