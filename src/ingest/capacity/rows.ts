/**
 * The rows a capacity reader produces, per table of migration 015 (gpu_samples' job dimensions: 018), and the one INSERT that writes a
 * file's rows of a table: the rows travel as one JSON parameter of text values and DuckDB casts each to
 * its column's type (decimals from their exact text), so no value is spliced into SQL text.
 */
import type { Store } from '../../store/db.js';
import { code, sql } from '../../store/sql.js';

export type Cell = string | number | boolean | null | string[];
export type Row = Record<string, Cell>;

/** Each table's columns after tl_ingestion_id, in order (captured_at / ts set by the reader or the ingest). */
export const TABLE_COLUMNS = {
  quota_snapshots: ['tl_source_line', 'captured_at', 'provider', 'subscription_id', 'region', 'name', 'name_key', 'display_name',
    'measure', 'deployment_type', 'model', 'current_value', 'limit_value', 'unit', 'quota_applicable'],
  quota_group_limits: ['tl_source_line', 'captured_at', 'group_name', 'region', 'name', 'name_key', 'group_limit', 'available_limit',
    'subscription_id', 'quota_allocated'],
  capacity_reservations: ['tl_source_line', 'captured_at', 'subscription_id', 'region', 'group_name', 'name', 'sku_name', 'sku_key',
    'zones', 'reserved', 'current_capacity', 'allocated_vms', 'vm_ids'],
  ai_model_capacity: ['tl_source_line', 'captured_at', 'subscription_id', 'region', 'model_format', 'model_name', 'model_version',
    'sku_name', 'available_capacity'],
  ai_deployments: ['tl_source_line', 'captured_at', 'subscription_id', 'region', 'account', 'deployment', 'model_name', 'model_version',
    'sku_name', 'capacity'],
  gpu_samples: ['tl_source_line', 'ts', 'hostname', 'gpu', 'uuid', 'gpu_model', 'pod', 'namespace', 'container', 'metric', 'value',
    'feature', 'team', 'environment', 'cost_center'],
  minute_metrics: ['tl_source_line', 'ts', 'subscription_id', 'region', 'resource', 'deployment', 'model', 'metric', 'status_code',
    'value'],
} as const;

export type CapacityTable = keyof typeof TABLE_COLUMNS;
export const CAPACITY_TABLES = Object.keys(TABLE_COLUMNS) as CapacityTable[];

/** Tables whose rows are one snapshot (their time is the capture time), as against time series. */
export const SNAPSHOT_TABLES: CapacityTable[] = ['quota_snapshots', 'quota_group_limits', 'capacity_reservations', 'ai_model_capacity',
  'ai_deployments'];

/** What a reader made of one file. */
export interface ParsedCapacity {
  format: string;
  rows: Partial<Record<CapacityTable, Row[]>>;
  /** Subscription / region the file itself names (ids, request URLs). */
  subscription?: string;
  region?: string;
  /** Latest sample time in the content (time series formats), ISO text. */
  latestSample?: string;
}

/** Insert one file's rows of a table (values as text, cast by DuckDB to the column types). */
export async function insertRows(store: Store, table: CapacityTable, ingestionId: string, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  const cols = TABLE_COLUMNS[table];
  const shape = JSON.stringify(Object.fromEntries(cols.map((c) => [c, c === 'vm_ids' ? 'VARCHAR[]' : 'VARCHAR'])));
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(cols.map((c) => {
    const v = r[c] ?? null;
    return [c, v === null || Array.isArray(v) ? v : String(v)];
  }))));
  // column names and the JSON shape are the program's own constants; the rows are one parameter
  const list = code(cols.join(', '));
  const picks = code(cols.map((c) => `r.${c}`).join(', '));
  await store.query(sql`INSERT INTO ${code(table)} (tl_ingestion_id, ${list})
    SELECT ${ingestionId}, ${picks} FROM (SELECT unnest(from_json(${json}, ${code(`'[${shape}]'`)})) AS r)`);
}
