/**
 * The telemetry rollups (migration 019): telemetry summed at write time, so that reports never scan every
 * telemetry record for a figure. Three tables, each keyed by ingestion so that it goes with its rows:
 *
 * - `telemetry_daily`: per day, feature, team, environment, cost center, model, grain and cache split (the
 *   dimensions a scope cuts, so a scope filters it as it filters the records);
 * - `telemetry_resource_daily`: per day, resource, model, grain and cache split;
 * - `telemetry_minute`: request-level records per UTC minute, resource, deployment, model and feature.
 *
 * 1. An ingest calls `addTelemetryRollups` with its ingestion id inside its own transaction, after the
 *    file's rows are final (duplicates dropped) and its `telemetry_files` record written (grain, cache split),
 *    so the rollups commit or roll back with the rows; the record keeps how many rollup rows it has
 *    (`rollup_rows`), which the orphan check on every open compares with the tables' counts.
 * 2. Rows deleted later go with their rollup: `deleteTelemetryRollups` (and the orphan sweep, integrity.ts,
 *    removes rollup rows of no live ingestion as it does the records).
 * 3. `telemetryRollupSelect` is the same SELECT over the relation `telemetry` as a statement sees it: the scope
 *    shadow of a rollup without the scope's dimensions (ledger/scope.ts), and what `check` compares with.
 * 4. `telemetryRollupDifferences` is the invariant `check` verifies: per ingestion and rollup, the rows,
 *    requests and every token sum equal those of its records.
 */
import { loadSql, type Store } from './db.js';
import { code, fill, ident, sql, type Sql } from './sql.js';

export const TELEMETRY_ROLLUPS = ['telemetry_daily', 'telemetry_resource_daily', 'telemetry_minute'] as const;
export type TelemetryRollup = (typeof TELEMETRY_ROLLUPS)[number];

const SELECTS: Record<TelemetryRollup, string> = {
  telemetry_daily: loadSql(import.meta.url, 'telemetry-daily.sql'),
  telemetry_resource_daily: loadSql(import.meta.url, 'telemetry-resource-daily.sql'),
  telemetry_minute: loadSql(import.meta.url, 'telemetry-minute.sql'),
};

/** The column each rollup is ordered by when written (so a period reads few row groups). */
const ORDER: Record<TelemetryRollup, string> = { telemetry_daily: 'day', telemetry_resource_daily: 'day', telemetry_minute: 'minute' };

/** The rollup `name` of the `telemetry` rows matching `where` (the relation as the statement sees it). */
export function telemetryRollupSelect(name: TelemetryRollup, where: Sql = code('true')): Sql {
  return fill(SELECTS[name], { WHERE: where });
}

/** Sum a new ingestion's records into every rollup (in the caller's transaction, after its file record). */
export async function addTelemetryRollups(store: Store, ingestionId: string): Promise<void> {
  let rows = 0;
  for (const name of TELEMETRY_ROLLUPS) {
    const [r] = await store.query<{ Count: string }>(sql`INSERT INTO ${ident(name)} BY NAME
      SELECT * FROM (${telemetryRollupSelect(name, sql`tl_ingestion_id = ${ingestionId}`)}) ORDER BY ${code(ORDER[name])}`);
    rows += Number(r?.Count ?? 0);
  }
  // what the orphan check counts the rollups against on every open (integrity.ts)
  await store.query(sql`UPDATE telemetry_files SET rollup_rows = ${rows} WHERE ingestion_id = ${ingestionId}`);
}

/** Remove an ingestion's rollup rows (its records were deleted in the same transaction). */
export async function deleteTelemetryRollups(store: Store, ingestionId: string): Promise<void> {
  for (const name of TELEMETRY_ROLLUPS) await store.query(sql`DELETE FROM ${ident(name)} WHERE tl_ingestion_id = ${ingestionId}`);
}

/** Sum every record again (a repair when check finds a difference). */
export async function rebuildTelemetryRollups(store: Store): Promise<void> {
  for (const name of TELEMETRY_ROLLUPS) {
    await store.query(sql`DELETE FROM ${ident(name)}`);
    await store.query(sql`INSERT INTO ${ident(name)} BY NAME SELECT * FROM (${telemetryRollupSelect(name)}) ORDER BY ${code(ORDER[name])}`);
  }
}

export interface TelemetryRollupDifference {
  rollup: TelemetryRollup;
  ingestionId: string;
  /** Per measure (rows, requests, token columns) the records' sum and the rollup's, where they differ. */
  measures: Record<string, { records: string; rollup: string }>;
}

const MEASURES: Record<TelemetryRollup, string[]> = {
  telemetry_daily: ['tl_rows', 'requests', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens',
    'eligible_input_tokens', 'eligible_cached_tokens'],
  telemetry_resource_daily: ['tl_rows', 'requests', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens'],
  telemetry_minute: ['tl_rows', 'requests', 'input_tokens', 'cached_input_tokens', 'output_tokens', 'throttled'],
};

const KEYS: Record<TelemetryRollup, string[]> = {
  telemetry_daily: ['tl_ingestion_id', 'day', 'feature', 'team', 'environment', 'cost_center', 'model', 'grain', 'cache_split'],
  telemetry_resource_daily: ['tl_ingestion_id', 'day', 'resource_id', 'model', 'grain', 'cache_split'],
  telemetry_minute: ['tl_ingestion_id', 'minute', 'resource_id', 'deployment', 'model', 'feature'],
};

/**
 * Per rollup and ingestion, the measures whose sums differ from those of its records (empty in a healthy
 * store). The records are summed by the rollup's own SELECT and compared group by group (EXCEPT ALL: NULL keys
 * match), so a record counted in a wrong group (day, feature...) is found even when the ingestion's totals agree.
 */
export async function telemetryRollupDifferences(store: Store): Promise<TelemetryRollupDifference[]> {
  const out: TelemetryRollupDifference[] = [];
  for (const name of TELEMETRY_ROLLUPS) {
    const m = MEASURES[name];
    const columns = code([...KEYS[name], ...m].join(', '));
    const sums = (side: string) => code(m
      .map((c) => `CAST(coalesce(sum(${c}) FILTER (WHERE side = '${side}'), 0) AS VARCHAR) AS ${side}_${c}`).join(', '));
    // a fingerprint per ingestion: its groups counted and their hashes summed, on both sides (equal multisets of
    // groups give equal sums; a group that differs changes the sum); the sums only for ingestions that differ
    const rows = await store.query<Record<string, string>>(sql`
      WITH r AS (SELECT ${columns} FROM (${telemetryRollupSelect(name)})), s AS (SELECT ${columns} FROM main.${ident(name)}),
      fr AS (SELECT tl_ingestion_id, count(*) AS g, sum(hash(${columns})) AS h FROM r GROUP BY ALL),
      fs AS (SELECT tl_ingestion_id, count(*) AS g, sum(hash(${columns})) AS h FROM s GROUP BY ALL),
      bad AS (SELECT tl_ingestion_id FROM fr FULL JOIN fs USING (tl_ingestion_id)
        WHERE fr.g IS DISTINCT FROM fs.g OR fr.h IS DISTINCT FROM fs.h)
      SELECT tl_ingestion_id AS id, ${sums('r')}, ${sums('s')}
      FROM (SELECT 'r' AS side, * FROM r UNION ALL SELECT 's', * FROM s) WHERE tl_ingestion_id IN (SELECT tl_ingestion_id FROM bad)
      GROUP BY ALL ORDER BY id`);
    for (const row of rows) {
      const measures: TelemetryRollupDifference['measures'] = {};
      for (const c of m) {
        if (row[`r_${c}`] !== row[`s_${c}`]) measures[c] = { records: String(row[`r_${c}`]), rollup: String(row[`s_${c}`]) };
      }
      out.push({ rollup: name, ingestionId: String(row.id), measures });
    }
  }
  return out;
}
