/**
 * The record every ingest keeps, billing or telemetry: one `ingestions` row per ingested file or export,
 * and `ingestion_events` for what was ingested, replaced or skipped. One place writes them, so both
 * ingests log the same way and `report ingestions` reads one shape.
 */
import type { Store } from '../store/db.js';

export type IngestionKind = 'focus' | 'telemetry' | 'events';

/** The earlier ingestion of the same content, if any (what makes re-ingesting a no-op). */
export async function ingestedBefore(store: Store, kind: IngestionKind, checksum: string): Promise<{ ingestion_id: string; ingested_at: string; status: string } | undefined> {
  const rows = await store.query<{ ingestion_id: string; ingested_at: string; status: string }>(
    'SELECT ingestion_id, CAST(ingested_at AS VARCHAR) AS ingested_at, status FROM ingestions WHERE kind = $kind AND checksum = $c', { kind, c: checksum });
  return rows[0];
}

export async function logEvent(store: Store, at: string, action: 'ingested' | 'replaced' | 'skipped', ingestionId: string | null, source: string, rows: number, detail: string): Promise<void> {
  await store.query('INSERT INTO ingestion_events VALUES (CAST($at AS TIMESTAMP), $action, $id, $source, $rows, $detail)', {
    at, action, id: ingestionId, source, rows, detail,
  });
}

export interface IngestionRecord {
  id: string;
  kind: IngestionKind;
  format: string;
  source: string;
  checksum: string;
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
  await store.query(
    `INSERT INTO ingestions (ingestion_id, kind, source, checksum, file_count, row_count, scope_key, billing_account_ids,
       billing_periods, currencies, focus_version, missing_spec_columns, export_name, run_id, export_time, ingested_at, status, format)
     VALUES ($id, $kind, $source, $checksum, $files, $rows, $scope,
       from_json($accounts, '["VARCHAR"]'), CAST(from_json($periods, '["VARCHAR"]') AS DATE[]),
       from_json($currencies, '["VARCHAR"]'), $version, from_json($missing, '["VARCHAR"]'),
       $exportName, $runId, CAST($exportTime AS TIMESTAMP), CAST($at AS TIMESTAMP), 'active', $format)`,
    {
      id: r.id, kind: r.kind, source: r.source, checksum: r.checksum, files: r.files, rows: r.rows, scope: r.scope,
      accounts: JSON.stringify(r.accounts ?? []), periods: JSON.stringify(r.periods ?? []), currencies: JSON.stringify(r.currencies ?? []),
      version: r.focusVersion ?? null, missing: JSON.stringify(r.missingSpecColumns ?? []),
      exportName: r.exportName ?? null, runId: r.runId ?? null, exportTime: r.exportTime ?? null, at: r.at, format: r.format,
    });
}

/** A per-file ingestion id: prefix, ingest time and the start of a hash of the file's content. */
export function fileIngestionId(prefix: string, at: string, contentHash: string): string {
  return `${prefix}-${at.slice(0, 19).replace(/[-: ]/g, '')}-${contentHash.slice(0, 10)}`;
}

/**
 * Re-ingesting the same file is a no-op: if this content was ingested before, log the skip and say which
 * ingestion has it; null when the file is new.
 */
export async function skipIfSeen(store: Store, kind: IngestionKind, sha256: string, at: string, source: string): Promise<{ ingestionId: string; detail: string } | null> {
  const seen = await ingestedBefore(store, kind, sha256);
  if (!seen) return null;
  const detail = `same content as ${seen.ingestion_id} (ingested ${seen.ingested_at}); nothing to do`;
  await logEvent(store, at, 'skipped', seen.ingestion_id, source, 0, detail);
  return { ingestionId: seen.ingestion_id, detail };
}
