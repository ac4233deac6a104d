/**
 * The alert outbox: events are recorded once (alert_events) and a delivery row per webhook is queued
 * (alert_outbox) in the same transaction; deliveries are then attempted outside it. A delivery that
 * fails (network error, timeout, non-2xx) stays pending with its error and the time of its next attempt
 * (backoff 5 min, doubling, at most 6 h), which the next run honours. A receiver may see an event again
 * only if it accepted it but its answer was lost: each POST carries `Idempotency-Key: <event id>`.
 */
import type { Store } from '../store/db.js';
import { list, sql } from '../store/sql.js';
import type { AlertEvent } from './events.js';
import { payload, type WebhookFormat } from './payloads.js';

export interface Webhook { url: string; format: WebhookFormat }
export interface Delivery { event_id: string; url: string; format: string; status: 'sent' | 'pending'; attempts: number;
  error: string | null; next_attempt_at: string | null }

const BASE_MS = 5 * 60_000;
const MAX_MS = 6 * 3_600_000;
const TIMEOUT_MS = 10_000;

/** The events already emitted, by id. */
export async function emittedIds(store: Store, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await store.query<{ event_id: string }>(sql`SELECT DISTINCT event_id FROM alert_events WHERE event_id IN (${list(ids)})`);
  return new Set(rows.map((r) => r.event_id));
}

const ts = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** Record new events and queue one delivery per webhook, atomically. */
export async function recordEvents(store: Store, events: AlertEvent[], webhooks: Webhook[], now: Date, dashboard?: string): Promise<void> {
  if (!events.length) return;
  await store.transaction(async () => {
    for (const e of events) {
      await store.query(sql`INSERT INTO alert_events VALUES (${e.id}, ${e.kind}, ${e.severity}, ${e.subject}, ${e.period}, ${e.title},
        ${JSON.stringify(payload(e, 'json', dashboard))}, CAST(${ts(now)} AS TIMESTAMP))`);
      for (const w of webhooks) {
        await store.query(sql`INSERT INTO alert_outbox VALUES (${e.id}, ${w.url}, ${w.format}, 'pending', 0, CAST(${ts(now)} AS TIMESTAMP),
          NULL, NULL)`);
      }
    }
  });
}

/** Attempt every pending delivery that is due; record each outcome. */
export async function deliverPending(store: Store, now: Date, dashboard?: string,
  post: typeof fetch = fetch): Promise<Delivery[]> {
  const due = await store.query<{ event_id: string; url: string; format: WebhookFormat; attempts: number; payload: string }>(sql`
    SELECT o.event_id, o.url, o.format, o.attempts, e.payload
    FROM alert_outbox o JOIN alert_events e USING (event_id)
    WHERE o.status = 'pending' AND o.next_attempt_at <= CAST(${ts(now)} AS TIMESTAMP)
    ORDER BY e.emitted_at, o.event_id, o.url`);
  const out: Delivery[] = [];
  for (const d of due) {
    const stored = JSON.parse(d.payload) as { id: string; subject: string; period: string | null; title: string;
      type: string; event: AlertEvent['data'] };
    const [kind, severity] = stored.type.split('.') as [AlertEvent['kind'], AlertEvent['severity']];
    const event: AlertEvent = { id: stored.id, kind, severity, subject: stored.subject, period: stored.period, title: stored.title,
      data: stored.event };
    let error: string | null = null;
    try {
      const res = await post(d.url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': d.event_id },
        body: JSON.stringify(payload(event, d.format, dashboard)), signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) error = `HTTP ${res.status}`;
      await res.body?.cancel();
    } catch (e) {
      error = (e as Error).message;
    }
    const attempts = Number(d.attempts) + 1;
    if (error === null) {
      await store.query(sql`UPDATE alert_outbox SET status = 'sent', attempts = ${attempts}, last_error = NULL,
        sent_at = CAST(${ts(now)} AS TIMESTAMP) WHERE event_id = ${d.event_id} AND url = ${d.url}`);
      out.push({ event_id: d.event_id, url: d.url, format: d.format, status: 'sent', attempts, error: null, next_attempt_at: null });
    } else {
      const next = new Date(now.getTime() + Math.min(MAX_MS, BASE_MS * 2 ** (attempts - 1)));
      await store.query(sql`UPDATE alert_outbox SET attempts = ${attempts}, last_error = ${error},
        next_attempt_at = CAST(${ts(next)} AS TIMESTAMP) WHERE event_id = ${d.event_id} AND url = ${d.url}`);
      out.push({ event_id: d.event_id, url: d.url, format: d.format, status: 'pending', attempts, error,
        next_attempt_at: next.toISOString() });
    }
  }
  return out;
}

/** Deliveries still pending, and when the first of them is due again (for the report of a run). */
export async function pendingCount(store: Store): Promise<{ count: number; nextAttemptAt: string | null }> {
  const [r] = await store.query<{ n: string; next: string | null }>(
    "SELECT count(*) AS n, strftime(min(next_attempt_at), '%Y-%m-%dT%H:%M:%SZ') AS next FROM alert_outbox WHERE status = 'pending'");
  return { count: Number(r?.n ?? 0), nextAttemptAt: r?.next ?? null };
}
