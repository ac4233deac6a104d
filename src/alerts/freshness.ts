/**
 * Data freshness alert events: the data status of the current month (recency, missing days, the other
 * cheap checks the report gate uses) judged on the day. One warning per distinct state (the latest
 * complete day and the problems), so a feed that stays stale alerts once, and again when it changes.
 */
import { monthPeriod } from '../domain/period.js';
import { eventId, type AlertEvent } from './events.js';
import type { AlertContext } from './sources.js';

export async function freshnessEvents(ctx: AlertContext): Promise<AlertEvent[]> {
  const period = monthPeriod(ctx.today.slice(0, 7))!;
  const status = await ctx.ledger.status({ from: null, to: period.to, label: `through ${period.label}` }, ctx.today);
  const problems = status.complete_through === null ? ['no billing data'] : status.problems;
  if (!problems.length) return [];
  return [{
    id: eventId(['freshness', status.complete_through, ...problems]),
    kind: 'freshness', severity: 'warning', subject: 'data', period: null,
    title: `Data not complete: ${problems.join('; ')} (data through ${status.complete_through ?? 'none'})`,
    data: { data_through: status.complete_through, problems, status_line: status.line },
  }];
}
