/**
 * Rows that belong to no committed ingestion ("orphans"), and what every command does about them.
 *
 * Why it exists: a `kill -9` during the COMMIT of a large ingest can leave DuckDB's optimistically written
 * row groups in the store without the rest of the transaction (the `ingestions`, `*_files` and
 * `ingestion_events` rows). The transaction alone is not trusted, so the rule is: a row is part of the
 * ledger only through a committed ingestion record with a live status (`active` or `partially_replaced`).
 *
 * 1. `findOrphans` (a read; works on a read-only store): per table and ingestion id, the rows whose
 *    ingestion has no record (files, 'ingested' events) or no live one (billing, telemetry, gateway log
 *    and event rows). It reads the store's own tables by their qualified names, past any shadow of step 3.
 *    Every command runs it, so first a check that costs milliseconds at any size: each row table's count
 *    against what the records say it holds (billing: rows ingested minus rows replaced, as logged;
 *    telemetry and events: their files' row counts) and the small tables' orphans. Only a difference
 *    pays for the scan by ingestion id (`check` always scans).
 * 2. `sweepOrphans`: deletes them in one transaction (writers, and readers that could take the lock).
 * 3. `hideOrphans`: for a reader that cannot write (another reader holds the file): a TEMP view per table,
 *    under the table's own name, without the orphans. DuckDB resolves the temporary catalog first, also
 *    inside the stored views (`charges`, `telemetry`...), so nothing the reader runs can see them.
 */
import type { Store } from './db.js';
import { code, ident, join, sql, type Sql } from './sql.js';

/** Statuses whose rows are part of the ledger. */
export const LIVE_STATUSES = ['active', 'partially_replaced'] as const;

/** `rowTable`: one row per record of a file (large; counted, not scanned, when nothing looks wrong). */
interface Guarded { table: string; column: string; what: string; orphan: (db: Sql) => Sql; rowTable?: boolean }

const live = (db: Sql) => sql`(SELECT ingestion_id FROM ${db}.main.ingestions WHERE status IN ('active', 'partially_replaced'))`;
const recorded = (db: Sql) => sql`(SELECT ingestion_id FROM ${db}.main.ingestions)`;

/** The tables of `ingest capacity` (src/ingest/capacity/rows.ts), each row of one capacity_files record. */
export const CAPACITY_ROW_TABLES = ['quota_snapshots', 'quota_group_limits', 'capacity_reservations', 'ai_model_capacity', 'ai_deployments',
  'gpu_samples', 'minute_metrics'];

/** Every table that holds rows of an ingestion, and when a row of it is an orphan. */
const GUARDED: Guarded[] = [
  { table: 'billing_rows', column: 'tl_ingestion_id', what: 'billing rows', orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`,
    rowTable: true },
  { table: 'telemetry_wide_rows', column: 'tl_ingestion_id', what: 'telemetry records',
    orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`, rowTable: true },
  { table: 'telemetry_request_rows', column: 'tl_ingestion_id', what: 'telemetry records',
    orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`, rowTable: true },
  { table: 'apim_gateway_log', column: 'tl_ingestion_id', what: 'gateway log rows',
    orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`, rowTable: true },
  { table: 'event_rows', column: 'tl_ingestion_id', what: 'event records', orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`,
    rowTable: true },
  // the daily rollup of billing rows (rollup.ts): small, so scanned on every open like the file records
  { table: 'charges_daily', column: 'tl_ingestion_id', what: 'billing rollup rows',
    orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}` },
  // the telemetry rollups (telemetry-rollup.ts): counted against telemetry_files.rollup_rows on every open
  { table: 'telemetry_daily', column: 'tl_ingestion_id', what: 'telemetry rollup rows',
    orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`, rowTable: true },
  { table: 'telemetry_resource_daily', column: 'tl_ingestion_id', what: 'telemetry rollup rows',
    orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`, rowTable: true },
  { table: 'telemetry_minute', column: 'tl_ingestion_id', what: 'telemetry rollup rows',
    orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`, rowTable: true },
  { table: 'ingestion_files', column: 'ingestion_id', what: 'billing file records',
    orphan: (db) => sql`ingestion_id NOT IN ${recorded(db)}` },
  { table: 'telemetry_files', column: 'ingestion_id', what: 'telemetry file records',
    orphan: (db) => sql`ingestion_id NOT IN ${recorded(db)}` },
  { table: 'event_files', column: 'ingestion_id', what: 'events file records', orphan: (db) => sql`ingestion_id NOT IN ${recorded(db)}` },
  // capacity snapshots (migration 015): small tables, one row per record of a file
  ...CAPACITY_ROW_TABLES.map((table): Guarded => ({ table, column: 'tl_ingestion_id', what: 'capacity snapshot rows',
    orphan: (db) => sql`tl_ingestion_id NOT IN ${live(db)}`, rowTable: true })),
  { table: 'capacity_files', column: 'ingestion_id', what: 'capacity file records',
    orphan: (db) => sql`ingestion_id NOT IN ${recorded(db)}` },
  { table: 'ingestion_events', column: 'ingestion_id', what: 'ingestion log entries',
    orphan: (db) => sql`action = 'ingested' AND ingestion_id NOT IN ${recorded(db)}` },
];

export interface Orphans {
  table: string;
  /** In words: "billing rows", "telemetry records"... */
  what: string;
  ingestionId: string;
  rows: number;
  /** The file the rows came from, when the table says (billing rows do). */
  source: string | null;
}

/** The store's own catalog (the database name DuckDB gives the file), for names past any TEMP shadow. */
async function catalog(store: Store): Promise<Sql> {
  const [row] = await store.query<{ db: string }>('SELECT current_database() AS db');
  return ident(row!.db);
}

const orphanCondition = (g: Guarded, db: Sql): Sql => sql`coalesce(${g.orphan(db)}, false)`;

/** Whether the row counts disagree with the records, or a file or log record has no ingestion. */
async function suspect(store: Store, db: Sql): Promise<boolean> {
  const t = (name: string) => sql`${db}.main.${ident(name)}`;
  const [r] = await store.query<{ n: string }>(sql`SELECT
    abs((SELECT count(*) FROM ${t('billing_rows')}) - (SELECT coalesce(sum(row_count), 0) FROM ${t('ingestions')} WHERE kind = 'focus')
      + (SELECT coalesce(sum(row_count), 0) FROM ${t('ingestion_events')} WHERE action = 'replaced'))
    + abs((SELECT count(*) FROM ${t('telemetry_wide_rows')}) + (SELECT count(*) FROM ${t('telemetry_request_rows')})
      - (SELECT coalesce(sum(row_count), 0) FROM ${t('telemetry_files')} WHERE format <> 'apim-gateway-log'))
    + abs((SELECT count(*) FROM ${t('telemetry_daily')}) + (SELECT count(*) FROM ${t('telemetry_resource_daily')})
      + (SELECT count(*) FROM ${t('telemetry_minute')}) - (SELECT coalesce(sum(rollup_rows), 0) FROM ${t('telemetry_files')}))
    + abs((SELECT count(*) FROM ${t('apim_gateway_log')})
      - (SELECT coalesce(sum(row_count), 0) FROM ${t('telemetry_files')} WHERE format = 'apim-gateway-log'))
    + abs((SELECT count(*) FROM ${t('event_rows')}) - (SELECT coalesce(sum(row_count), 0) FROM ${t('event_files')}))
    + abs(${join(CAPACITY_ROW_TABLES.map((c) => sql`(SELECT count(*) FROM ${t(c)})`), ' + ')}
      - (SELECT coalesce(sum(row_count), 0) FROM ${t('capacity_files')}))
    + (SELECT count(*) FROM ${t('ingestions')} WHERE status NOT IN ('active', 'partially_replaced', 'replaced'))
    ${join(GUARDED.filter((g) => !g.rowTable).map((g) =>
      sql`+ (SELECT count(*) FROM ${t(g.table)} WHERE ${orphanCondition(g, db)})`), '\n    ')} AS n`);
  return Number(r!.n) !== 0;
}

/**
 * Rows of no committed (live) ingestion, per table and ingestion; empty in a healthy store. A read.
 * `full`: scan every row table even when the counts agree (what `check` does).
 */
export async function findOrphans(store: Store, o: { full?: boolean } = {}): Promise<Orphans[]> {
  const db = await catalog(store);
  if (!o.full && !(await suspect(store, db))) return [];
  const parts = GUARDED.map((g) => {
    const source = g.table === 'billing_rows' ? code('any_value(tl_source_file)') : code('CAST(NULL AS VARCHAR)');
    return sql`SELECT ${g.table} AS tbl, ${g.what} AS what, CAST(${ident(g.column)} AS VARCHAR) AS ingestion_id, count(*) AS n,
      ${source} AS source FROM ${db}.main.${ident(g.table)} WHERE ${orphanCondition(g, db)} GROUP BY ALL`;
  });
  const rows = await store.query<{ tbl: string; what: string; ingestion_id: string | null; n: string; source: string | null }>(
    sql`${join(parts, '\nUNION ALL\n')}\nORDER BY tbl, ingestion_id`);
  return rows.map((r) => ({ table: r.tbl, what: r.what, ingestionId: r.ingestion_id ?? '(none)', rows: Number(r.n), source: r.source }));
}

/** Delete every orphan in one transaction; returns what was removed (empty when nothing was). */
export async function sweepOrphans(store: Store, o: { full?: boolean } = {}): Promise<Orphans[]> {
  if (store.readOnly) throw new Error('sweepOrphans needs a store opened for writing');
  // the writer holds the only lock on the file: nothing can add orphans between this read and the delete
  const found = await findOrphans(store, o);
  if (!found.length) return found;
  return store.transaction(async () => {
    const db = await catalog(store);
    for (const g of GUARDED) {
      if (found.some((o) => o.table === g.table)) {
        await store.query(sql`DELETE FROM ${db}.main.${ident(g.table)} WHERE ${orphanCondition(g, db)}`);
      }
    }
    return found;
  });
}

/** Shadow every table that has orphans with a TEMP view without them (for this connection only). */
export async function hideOrphans(store: Store, found: Orphans[]): Promise<void> {
  const db = await catalog(store);
  for (const g of GUARDED) {
    if (!found.some((o) => o.table === g.table)) continue;
    await store.query(sql`CREATE OR REPLACE TEMP VIEW ${ident(g.table)} AS
      SELECT * FROM ${db}.main.${ident(g.table)} WHERE NOT ${orphanCondition(g, db)}`);
  }
}

/**
 * The orphans a person is told about: an ingestion's daily rollup rows are left out beside its billing
 * rows (they are what those rows sum, and go with them), kept when they are alone; the telemetry rollups
 * likewise beside its telemetry records.
 */
export function reportedOrphans(found: Orphans[]): Orphans[] {
  const billing = new Set(found.filter((o) => o.table === 'billing_rows').map((o) => o.ingestionId));
  const telemetry = new Set(found.filter((o) => o.table.startsWith('telemetry_') && o.table.endsWith('_rows')).map((o) => o.ingestionId));
  return found.filter((o) => (o.table !== 'charges_daily' || !billing.has(o.ingestionId))
    && (!ROLLUPS_OF_TELEMETRY.includes(o.table) || !telemetry.has(o.ingestionId)));
}

const ROLLUPS_OF_TELEMETRY = ['telemetry_daily', 'telemetry_resource_daily', 'telemetry_minute'];

/**
 * What was found, in one sentence per ingestion: "305,879 billing rows of ing-... (big.csv.gz)". The
 * file and log records of the same ingestion are counted with it (the rollup as reportedOrphans says).
 */
export function describeOrphans(found: Orphans[]): string[] {
  const byId = new Map<string, Orphans[]>();
  for (const o of reportedOrphans(found)) byId.set(o.ingestionId, [...(byId.get(o.ingestionId) ?? []), o]);
  return [...byId.entries()].map(([id, list]) => {
    const sums = new Map<string, number>();
    for (const o of list) sums.set(o.what, (sums.get(o.what) ?? 0) + o.rows);
    const what = [...sums.entries()].map(([w, n]) => `${n.toLocaleString('en-US')} ${w}`).join(', ');
    const source = list.find((o) => o.source)?.source;
    return `${what} of ingestion ${id}${source ? ` (${source})` : ''}`;
  });
}
