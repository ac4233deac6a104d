/**
 * Alert events: what `tokenledger alerts` emits, one per (budget, period, threshold, amount), per
 * data-freshness state and (next) per anomaly. An event's id is a hash of exactly what makes it the
 * same event, so a re-run finds it already emitted, and a changed budget amount or a new period is a
 * new event (re-armed).
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '../store/db.js';

export type Severity = 'warning' | 'breach';

export interface AlertEvent {
  id: string;
  kind: 'budget' | 'freshness' | 'anomaly';
  severity: Severity;
  subject: string;
  period: string | null;
  title: string;
  /** What a receiver needs: amounts, projection, data through, scope... (the JSON payload's `event`). */
  data: Record<string, JsonValue>;
}

/** The id of an event from the parts that make it itself. */
export function eventId(parts: (string | number | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20);
}
