/**
 * One run of `tokenledger alerts`:
 * 1. collect the events of every source (sources.ts: data freshness, budgets; anomalies next);
 * 2. mark each new or already emitted (alert_events);
 * 3. unless a dry run: record the new ones with a delivery per webhook (outbox.ts), then attempt every
 *    due delivery, new and left over from earlier runs;
 * 4. the exit code: 0 nothing new, 1 new warnings only, 2 a new breach (cron and CI act on it).
 */
import type { Config } from '../config/config.js';
import type { Ledger } from '../ledger/ledger.js';
import type { AlertEvent } from './events.js';
import { deliverPending, emittedIds, pendingCount, recordEvents, type Delivery } from './outbox.js';
import { collectEvents, type AlertSource } from './sources.js';

export interface AlertsRun {
  events: (AlertEvent & { new: boolean })[];
  deliveries: Delivery[];
  pending: number;
  /** When the first pending delivery is due again (UTC), or null. */
  nextAttemptAt: string | null;
  exitCode: 0 | 1 | 2;
}

export interface AlertsOptions {
  today: string;
  now: Date;
  dryRun: boolean;
  post?: typeof fetch;
  sources?: AlertSource[];
}

export async function runAlerts(ledger: Ledger, config: Config, o: AlertsOptions): Promise<AlertsRun> {
  const events = await collectEvents({ ledger, config, today: o.today }, o.sources);
  const seen = await emittedIds(ledger.store, events.map((e) => e.id));
  const marked = events.map((e) => ({ ...e, new: !seen.has(e.id) }));
  const fresh = marked.filter((e) => e.new);
  let deliveries: Delivery[] = [];
  if (!o.dryRun) {
    const dashboard = config.alerts?.dashboard_url;
    await recordEvents(ledger.store, fresh, config.alerts?.webhooks ?? [], o.now, dashboard);
    deliveries = await deliverPending(ledger.store, o.now, dashboard, o.post);
  }
  const exitCode = fresh.some((e) => e.severity === 'breach') ? 2 : fresh.length ? 1 : 0;
  const pending = o.dryRun ? { count: 0, nextAttemptAt: null } : await pendingCount(ledger.store);
  return { events: marked, deliveries, pending: pending.count, nextAttemptAt: pending.nextAttemptAt, exitCode };
}
