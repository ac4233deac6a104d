/**
 * `tokenledger alerts [--dry-run] [--today DATE] [--format json]`: evaluate budgets and data freshness,
 * print the events (new ones first marked NEW), record and deliver the new ones to the webhooks of
 * tokenledger.yaml, retry deliveries left pending, and exit 0 (nothing new), 1 (new warnings) or 2 (a
 * new breach). --dry-run reads the store only: nothing is recorded or sent.
 */
import { existsSync } from 'node:fs';
import { resolveConfig, storePath, withLedger, withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import type { Delivery } from '../../alerts/outbox.js';
import { runAlerts } from '../../alerts/run.js';
import { parseToday } from '../../domain/period.js';
import { Ledger } from '../../ledger/ledger.js';
import { render, type Format } from '../../report/render.js';

/** One line per webhook and error that failed this run: where, why, and when it is tried again. */
function failures(deliveries: Delivery[]): string[] {
  const by = new Map<string, { n: number; next: string | null }>();
  for (const d of deliveries.filter((x) => x.status === 'pending')) {
    const key = `${d.url}: ${d.error ?? 'failed'}`;
    const seen = by.get(key);
    by.set(key, { n: (seen?.n ?? 0) + 1, next: seen?.next ?? d.next_attempt_at?.replace(/\.\d{3}Z$/, 'Z') ?? null });
  }
  return [...by].map(([key, v]) => `Failed: ${key} (${v.n} deliver${v.n === 1 ? 'y' : 'ies'}; next attempt ${v.next ?? 'next run'}).`);
}

export interface AlertsCliOptions extends GlobalOptions { dryRun?: boolean; today?: string; format: Format }

export async function runAlertsCommand(o: AlertsCliOptions, fx: Effects, post?: typeof fetch): Promise<0 | 1 | 2> {
  const today = parseToday(o.today, fx.env.TOKENLEDGER_TODAY, fx.now());
  const body = async (ledger: Ledger) => {
    const run = await runAlerts(ledger, ledger.config, { today, now: fx.now(), dryRun: Boolean(o.dryRun), post });
    const newCount = run.events.filter((e) => e.new).length;
    const sent = run.deliveries.filter((d) => d.status === 'sent').length;
    fx.stdout(render({
      name: 'alerts',
      title: `Alerts (today ${today}${o.dryRun ? ', dry run: nothing recorded or sent' : ''}): ${newCount} new, ` +
        `${run.events.length - newCount} already emitted`,
      meta: { today, dry_run: Boolean(o.dryRun), exit_code: run.exitCode, deliveries: run.deliveries as never, pending: run.pending,
        next_attempt_at: run.nextAttemptAt },
      columns: [
        { key: 'state', label: 'State', kind: 'text' },
        { key: 'severity', label: 'Severity', kind: 'text' },
        { key: 'kind', label: 'Kind', kind: 'text' },
        { key: 'subject', label: 'Subject', kind: 'text' },
        { key: 'period', label: 'Period', kind: 'text' },
        { key: 'title', label: 'Event', kind: 'text' },
        { key: 'id', label: 'Id', kind: 'text', secondary: true },
        { key: 'data', label: 'Data', kind: 'text', secondary: true },
      ],
      rows: [...run.events].sort((a, b) => Number(b.new) - Number(a.new))
        .map((e) => ({ state: e.new ? 'new' : 'emitted', severity: e.severity, kind: e.kind, subject: e.subject, period: e.period,
          title: e.title, id: e.id, data: o.format === 'table' ? null : e.data })),
      notes: [
        ...(run.deliveries.length ? [`Deliveries: ${sent} sent, ${run.deliveries.length - sent} failed.`] : []),
        ...failures(run.deliveries),
        ...(run.pending ? [`${run.pending} deliveries pending in the outbox, retried with backoff: the next attempt is due at ` +
          `${run.nextAttemptAt ?? 'the next run'} (a run before then sends none of them).`] : []),
        'Exit code: 0 nothing new, 1 new warnings, 2 a new breach (2 is also bad input: the error is then on stderr and stdout is empty).',
      ],
    }, o.format, { width: fx.columns }));
    return run.exitCode;
  };
  // a dry run only reads; and with no store yet there is nothing to judge: the read-only opening says so (and creates nothing)
  if (o.dryRun || !existsSync(storePath(o, resolveConfig(o, fx), fx))) return withLedger(o, fx, body);
  return withWriter(o, fx, (store, config) => body(new Ledger(store, config)), { allocate: false });
}
