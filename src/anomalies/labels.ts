/**
 * Labels on anomalies, kept in the store (migration 013): yes (a real anomaly), no (not one), planned (a
 * known, intended change). The report shows them; "no" and "planned" stop an anomaly from being alerted on
 * again (`openAnomalies`), and the labels are what an evaluation on real data is scored against.
 */
import { UsageError } from '../domain/errors.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';

export const LABELS = ['yes', 'no', 'planned'] as const;
export type Label = (typeof LABELS)[number];

export function parseLabel(v: string): Label {
  const l = v.toLowerCase();
  if (!(LABELS as readonly string[]).includes(l)) throw new UsageError(`label ${v}: expected yes, no or planned`);
  return l as Label;
}

export function checkId(id: string): string {
  if (!/^[0-9a-f]{12}$/.test(id)) {
    throw new UsageError(`anomaly ID ${id}: expected the 12 hexadecimal characters \`tokenledger report anomalies\` shows`);
  }
  return id;
}

/** The labels of the store, by anomaly ID. */
export async function labelsOf(ledger: Ledger): Promise<Map<string, Label>> {
  const rows = await ledger.query<{ id: string; label: Label }>('SELECT id, label FROM anomaly_labels');
  return new Map(rows.map((r) => [r.id, r.label]));
}

/** Store (or replace) the label of an anomaly. */
export async function storeLabel(store: Store, a: { id: string; series: string; start: string }, label: Label, note: string | null,
  now: Date): Promise<void> {
  await store.transaction(async () => {
    await store.query(sql`DELETE FROM anomaly_labels WHERE id = ${a.id}`);
    await store.query(sql`INSERT INTO anomaly_labels VALUES (${a.id}, ${label}, ${a.series}, CAST(${a.start} AS DATE), ${note},
      CAST(${now.toISOString()} AS TIMESTAMP))`);
  });
}
