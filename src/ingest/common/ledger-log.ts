/**
 * The record every ingest keeps, billing, telemetry or events: one `ingestions` row per ingested file or
 * export, and `ingestion_events` for what was ingested, replaced or skipped. One place writes them, so every
 * ingest logs the same way and `report ingestions` reads one shape.
 */
import type { Store } from '../../store/db.js';
import { sql } from '../../store/sql.js';

export type IngestionKind = 'focus' | 'telemetry' | 'events' | 'capacity';

/** The earlier ingestion of the same content, if any (what makes re-ingesting a no-op). */
export async function ingestedBefore(store: Store, kind: IngestionKind,
  checksum: string): Promise<{ ingestion_id: string; ingested_at: string; status: string } | undefined> {
  const rows = await store.query<{ ingestion_id: string; ingested_at: string; status: string }>(
    sql`SELECT ingestion_id, CAST(ingested_at AS VARCHAR) AS ingested_at, status FROM ingestions WHERE kind = ${kind}
      AND (checksum = ${checksum} OR content_checksum = ${checksum}) ORDER BY ingested_at LIMIT 1`);
  return rows[0];
}

export async function logEvent(store: Store, at: string, action: 'ingested' | 'replaced' | 'skipped', ingestionId: string | null,
  source: string, rows: number, detail: string): Promise<void> {
  await store.query(
    sql`INSERT INTO ingestion_events VALUES (CAST(${at} AS TIMESTAMP), ${action}, ${ingestionId}, ${source}, ${rows}, ${detail})`);
}

export interface IngestionRecord {
  id: string;
  kind: IngestionKind;
  format: string;
  source: string;
  checksum: string;
  /** sha256 of the content once decompressed (migration 010); the checksum when not compressed. */
  contentChecksum?: string;
  files: number;
  rows: number;
  scope: string;
  at: string;
  accounts?: string[];
  periods?: string[];
  currencies?: string[];
  focusVersion?: string | null;
  missingSpecColumns?: string[];
  exportName?: string | null;
  runId?: string | null;
  exportTime?: string | null;
}

export async function insertIngestion(store: Store, r: IngestionRecord): Promise<void> {
  const json = (v: string[] | undefined) => JSON.stringify(v ?? []);
  await store.query(sql`INSERT INTO ingestions (ingestion_id, kind, source, checksum, file_count, row_count, scope_key, billing_account_ids,
       billing_periods, currencies, focus_version, missing_spec_columns, export_name, run_id, export_time, ingested_at, status, format,
       content_checksum)
     VALUES (${r.id}, ${r.kind}, ${r.source}, ${r.checksum}, ${r.files}, ${r.rows}, ${r.scope},
       from_json(${json(r.accounts)}, '["VARCHAR"]'), CAST(from_json(${json(r.periods)}, '["VARCHAR"]') AS DATE[]),
       from_json(${json(r.currencies)}, '["VARCHAR"]'), ${r.focusVersion ?? null}, from_json(${json(r.missingSpecColumns)}, '["VARCHAR"]'),
       ${r.exportName ?? null}, ${r.runId ?? null}, CAST(${r.exportTime ?? null} AS TIMESTAMP), CAST(${r.at} AS TIMESTAMP),
         'active', ${r.format}, ${r.contentChecksum ?? r.checksum})`);
}

/** A per-file ingestion id: prefix, ingest time and the start of a hash of the file's content. */
export function fileIngestionId(prefix: string, at: string, contentHash: string): string {
  return `${prefix}-${at.slice(0, 19).replace(/[-: ]/g, '')}-${contentHash.slice(0, 10)}`;
}

/**
 * Re-ingesting the same file is a no-op: if this content was ingested before, log the skip and say which
 * ingestion has it; null when the file is new.
 */
export async function skipIfSeen(store: Store, kind: IngestionKind, sha256: string, at: string,
  source: string): Promise<{ ingestionId: string; detail: string } | null> {
  const seen = await ingestedBefore(store, kind, sha256);
  if (!seen) return null;
  const detail = `same content as ${seen.ingestion_id} (ingested ${seen.ingested_at}); nothing to do`;
  await logEvent(store, at, 'skipped', seen.ingestion_id, source, 0, detail);
  return { ingestionId: seen.ingestion_id, detail };
}
