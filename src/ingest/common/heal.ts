/**
 * Row numbers (lineage: which line of its file a row came from) are written after an ingest commits, for
 * every kind: numbering rows inside the insert serializes DuckDB's scan, and an UPDATE inside the ingest
 * transaction makes its commit rewrite every row group. A crash between the commit and the numbering
 * leaves rows unnumbered; `healPendingRows` finds and numbers them, and every ingest of any kind (and
 * every command, see app/context.ts: writers always, readers when `pendingNumbering` finds any and the
 * store can be opened for writing) starts with it, so one kind's interruption is healed by any command.
 *
 * What marks a file as not numbered yet: billing parts and telemetry files a flag in their file table
 * (`rows_numbered`); events files have no flag, their rows hold 0 until numbered (no record is number 0).
 */
import { loadSql, type Store } from '../../store/db.js';
import { code, fill, ident, sql, value } from '../../store/sql.js';

const BILLING = loadSql(import.meta.url, 'number-billing-rows.sql');
const TELEMETRY = loadSql(import.meta.url, 'number-telemetry-rows.sql');
const EVENTS = loadSql(import.meta.url, 'number-event-rows.sql');

/** The two tables behind telemetry_rows; a file's rows are in one of them. */
const TELEMETRY_TABLES = ['telemetry_wide_rows', 'telemetry_request_rows'];

export interface HealedRows { billing: number; telemetry: number; events: number }

/** Number every file of every kind left unnumbered; returns how many files (billing: parts) of each. */
export async function healPendingRows(store: Store): Promise<HealedRows> {
  return {
    billing: await numberBillingRows(store),
    telemetry: await numberTelemetryRows(store),
    events: await numberEventRows(store),
  };
}

/** How many files (billing: parts) of each kind wait for their numbers; a read, for read-only stores too. */
export async function pendingNumbering(store: Store): Promise<HealedRows> {
  const [r] = await store.query<{ billing: string; telemetry: string; events: string }>(sql`SELECT
    (SELECT count(*) FROM ingestion_files WHERE NOT rows_numbered) AS billing,
    (SELECT count(*) FROM telemetry_files WHERE NOT rows_numbered) AS telemetry,
    (SELECT count(*) FROM event_files WHERE ingestion_id IN (SELECT DISTINCT tl_ingestion_id FROM event_rows WHERE tl_source_row = 0))
      AS events`);
  return { billing: Number(r!.billing), telemetry: Number(r!.telemetry), events: Number(r!.events) };
}

/** Billing CSV parts, each in its own small transaction (Parquet rows carry file_row_number already). */
export async function numberBillingRows(store: Store): Promise<number> {
  const pending = await store.query<{ ingestion_id: string; part: number }>(
    sql`SELECT ingestion_id, part FROM ingestion_files WHERE NOT rows_numbered ORDER BY ingestion_id, part`);
  for (const p of pending) {
    const where = { ID: value(p.ingestion_id), PART: value(Number(p.part)) };
    await store.transaction(async () => {
      await store.query(fill(BILLING, where));
      await store.query(
        sql`UPDATE ingestion_files SET rows_numbered = true WHERE ingestion_id = ${p.ingestion_id} AND part = ${Number(p.part)}`);
    });
  }
  return pending.length;
}

/** Telemetry files, file by file. */
export async function numberTelemetryRows(store: Store): Promise<number> {
  const pending = await store.query<{ ingestion_id: string }>(
    sql`SELECT ingestion_id FROM telemetry_files WHERE NOT rows_numbered ORDER BY ingestion_id`);
  for (const p of pending) {
    await store.transaction(async () => {
      await numberTelemetryFile(store, p.ingestion_id);
      await store.query(sql`UPDATE telemetry_files SET rows_numbered = true WHERE ingestion_id = ${p.ingestion_id}`);
    });
  }
  return pending.length;
}

/** The records of one telemetry ingestion numbered in file order (inside the caller's transaction). */
export async function numberTelemetryFile(store: Store, ingestionId: string): Promise<void> {
  for (const table of TELEMETRY_TABLES) await store.query(fill(TELEMETRY, { TABLE: ident(table), ID: value(ingestionId) }));
}

/** Events files whose rows still hold 0. */
export async function numberEventRows(store: Store): Promise<number> {
  const pending = await store.query<{ ingestion_id: string; format: string }>(sql`
    SELECT f.ingestion_id, f.format FROM event_files f
    WHERE f.ingestion_id IN (SELECT DISTINCT tl_ingestion_id FROM event_rows WHERE tl_source_row = 0)
    ORDER BY f.ingestion_id`);
  for (const p of pending) {
    // the first CSV record is line 2 (after the header); the first JSONL record is record 1
    const first = code(p.format === 'csv' ? '2' : '1');
    await store.transaction(() => store.query(fill(EVENTS, { ID: value(p.ingestion_id), FIRST: first })));
  }
  return pending.length;
}
