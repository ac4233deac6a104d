/**
 * Data freshness alert events: the data status through the current month (recency, missing days, the
 * other cheap checks the report gate uses) judged on the day, and whether any data arrived in the last
 * checks.stale_after_days days at all. One warning per distinct state (the latest
 * complete day and the problems), so a feed that stays stale alerts once, and again when it changes.
 */
import { addDays, daysBetween } from '../budgets/series.js';
import { monthPeriod } from '../domain/period.js';
import { eventId, type AlertEvent } from './events.js';
import type { AlertContext } from './sources.js';

export async function freshnessEvents(ctx: AlertContext): Promise<AlertEvent[]> {
  const period = monthPeriod(ctx.today.slice(0, 7))!;
  const status = await ctx.ledger.status({ from: null, to: period.to, label: `through ${period.label}` }, ctx.today);
  const staleDays = ctx.config.checks?.stale_after_days ?? 3;
  const through = status.complete_through;
  // a feed that stopped after a closed period is not "stale" to check (no open period), but budgets go blind
  const late = through !== null && daysBetween(through, ctx.today) > staleDays && !status.problems.some((p) => p.includes('stale'))
    ? [`no data after ${through} (${daysBetween(through, ctx.today)} days, checks.stale_after_days ${staleDays}; next expected ${
      addDays(through, 1)})`] : [];
  const problems = through === null ? ['no billing data'] : [...status.problems, ...late];
  if (!problems.length) return [];
  return [{
    id: eventId(['freshness', status.complete_through, ...problems]),
    kind: 'freshness', severity: 'warning', subject: 'data', period: null,
    title: `Data not complete: ${problems.join('; ')} (data through ${status.complete_through ?? 'none'})`,
    data: { data_through: status.complete_through, problems, status_line: status.line },
  }];
}
