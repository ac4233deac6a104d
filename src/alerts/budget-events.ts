/**
 * Budget alert events: one per crossed threshold of each budget's current period. An actual threshold
 * at 100 % or more is a breach; every other crossing (lower actual thresholds, forecast thresholds) is a
 * warning. A budget whose status is unknown emits nothing here: the freshness source says why. Rolling
 * windows (a new window every day) are keyed by month: while over a threshold, they alert once a month.
 */
import { evaluateBudgets } from '../budgets/run.js';
import { dayBefore } from '../domain/month.js';
import type { AlertEvent } from './events.js';
import { eventId } from './events.js';
import type { AlertContext } from './sources.js';

export async function budgetEvents(ctx: AlertContext): Promise<AlertEvent[]> {
  if (!ctx.config.budgets?.length) return [];
  const costBasis = ctx.ledger.defaultCostBasis;
  const { evaluations } = await evaluateBudgets(ctx.ledger, { month: null, today: ctx.today, costBasis });
  const events: AlertEvent[] = [];
  for (const e of evaluations) {
    if (e.status === 'unknown') continue;
    const b = e.budget;
    // a rolling window moves every day: its events are keyed by the month, so a budget that stays over a threshold alerts once a month
    const periodKey = typeof b.period === 'object' ? `rolling ${dayBefore(e.period.end).slice(0, 7)}` : e.period.start;
    for (const t of e.thresholds.filter((x) => x.crossed)) {
      const breach = t.basis === 'actual' && t.at >= 100;
      const what = t.basis === 'actual' ? `spent ${e.percent_used}% of` : `is projected to reach ${t.at}% of`;
      const unit = b.measure === 'cost' ? (e.currency ?? '') : b.measure;
      events.push({
        id: eventId(['budget', b.name, b.measure, periodKey, t.basis, t.at, b.amount, e.currency]),
        kind: 'budget', severity: breach ? 'breach' : 'warning', subject: b.name, period: e.period.label,
        title: `Budget ${b.name} ${what} ${b.amount} ${unit} in ${e.period.label} (threshold ${t.at}%${t.basis === 'forecast'
          ? ' forecast' : ''})`,
        data: {
          budget: b.name, scope: b.scope, measure: b.measure, currency: e.currency, period: e.period.label, threshold: t.at,
          basis: t.basis, amount: b.amount, spent: e.spent, percent_used: e.percent_used, projected: e.projected.text.point,
          projected_lo80: e.projected.text.lo80, projected_hi80: e.projected.text.hi80, exhaustion_date: e.exhaustion_date,
          status: e.status, data_through: e.data_through,
        },
      });
    }
  }
  return events;
}
