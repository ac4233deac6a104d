/**
 * Telemetry records delivered again in another file: the same request (its id, migration 014) in a usage
 * log re-exported under another name, an overlapping log rotation, a span exported twice. Identical files
 * are skipped by their checksum before this; here the files differ but some records are the same, and
 * counting them again would double those requests' tokens in the allocation basis.
 *
 * 1. After a file's insert (inside the ingest transaction, so earlier files of the same command count):
 *    `duplicateIds` counts its records whose request id a record of another ingested file has, per file.
 * 2. By default they are kept and reported (the ingest summary, stderr, and `tokenledger check`).
 * 3. With `--skip-duplicate-ids` (tokenledger.yaml `ingest.telemetry.skip_duplicate_ids`), `dropDuplicateIds`
 *    numbers the file's records first (so the rest keep their file:line) and deletes the repeated ones.
 */
import type { Store } from '../../store/db.js';
import { ident, sql } from '../../store/sql.js';
import { numberTelemetryFile } from '../common/heal.js';

export interface DuplicateIds {
  /** The earlier file, as recorded. */
  file: string;
  ingestionId: string;
  /** Records of the new file whose request id that file has. */
  records: number;
}

/** Records of ingestion `id` whose request id another ingested file has, per that file (a read). */
export async function duplicateIds(store: Store, id: string): Promise<{ total: number; files: DuplicateIds[] }> {
  // no id in any other file (a first ingest, sources without ids): nothing to join, at the cost of a scan that stops early
  const [other] = await store.query(
    sql`SELECT 1 AS x FROM telemetry_rows WHERE request_id IS NOT NULL AND tl_ingestion_id <> ${id} LIMIT 1`);
  if (!other) return { total: 0, files: [] };
  const rows = await store.query<{ file: string; ingestion_id: string; records: string; total: string }>(sql`
    WITH new AS (SELECT request_id FROM telemetry_rows WHERE tl_ingestion_id = ${id} AND request_id IS NOT NULL),
    old AS (
      SELECT DISTINCT tl_ingestion_id, request_id FROM telemetry_rows
      WHERE tl_ingestion_id <> ${id} AND request_id IS NOT NULL AND request_id IN (SELECT request_id FROM new)
    ),
    total AS (SELECT count(*) AS n FROM new WHERE request_id IN (SELECT request_id FROM old))
    SELECT f.path AS file, o.tl_ingestion_id AS ingestion_id, count(*) AS records, (SELECT n FROM total) AS total
    FROM new n JOIN old o USING (request_id) JOIN telemetry_files f ON f.ingestion_id = o.tl_ingestion_id
    GROUP BY ALL ORDER BY f.path, o.tl_ingestion_id`);
  return { total: Number(rows[0]?.total ?? 0),
    files: rows.map((r) => ({ file: r.file, ingestionId: r.ingestion_id, records: Number(r.records) })) };
}

/**
 * Delete the records of ingestion `id` whose request id another ingested file has; `numbered`: its
 * records carry their numbers already (else they are numbered here first, in this transaction).
 */
export async function dropDuplicateIds(store: Store, id: string, numbered: boolean): Promise<void> {
  if (!numbered) await numberTelemetryFile(store, id);
  for (const table of ['telemetry_wide_rows', 'telemetry_request_rows'] as const) {
    await store.query(sql`DELETE FROM ${ident(table)} WHERE tl_ingestion_id = ${id} AND request_id IN (
      SELECT request_id FROM telemetry_rows WHERE tl_ingestion_id <> ${id} AND request_id IS NOT NULL)`);
  }
}

/**
 * The ingest summary's words: "3 record(s) repeat request ids of /logs/a.jsonl (3): counted again; ..." or,
 * skipped, "3 record(s) with request ids of /logs/a.jsonl (3) left out (--skip-duplicate-ids)".
 */
export function duplicateDetail(d: { total: number; files: DuplicateIds[] }, skipped: boolean): string {
  if (!d.total) return '';
  const where = d.files.map((f) => `${f.file} (${f.records})`).join(', ');
  return skipped ? `${d.total} record(s) with request ids already ingested from ${where} left out (--skip-duplicate-ids)`
    : `${d.total} record(s) repeat request ids already ingested from ${where}: counted twice; --skip-duplicate-ids leaves them out`;
}
