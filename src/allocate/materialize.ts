/**
 * The materialized allocation. Splitting a year of charges over its telemetry takes tens of seconds at
 * 10M requests; reports must answer in under one. So the result of allocate.sql is kept in alloc_rows
 * (per billing row and key, for audit), alloc_charges (what each charge is), alloc_month (per month,
 * for unit economics) and alloc_daily (per day and key, for budgets, forecasts and anomalies), and rebuilt
 * only when what it was computed from changed.
 *
 * 1. The data key: the active ingestions (billing and telemetry, with their status), the meter
 *    classification, pending row numbering and the allocation SQL itself, hashed.
 * 2. Same key as allocation_state: nothing to do.
 * 3. Otherwise rebuild all four tables in one transaction (a failed rebuild leaves the old one).
 *
 * Only commands that write call `ensureAllocation` (ingest, reclassify, allocate), after their own
 * commit; readers call `allocationState` (through the Ledger) and refuse a stale allocation.
 */
import { createHash } from 'node:crypto';
import { loadSql, type Store } from '../store/db.js';
import { code, fill, sql } from '../store/sql.js';
import { CHARGE_KEY } from './allocate.js';

const ALLOCATE = loadSql(import.meta.url, 'allocate.sql');
const MATERIALIZE = loadSql(import.meta.url, 'materialize.sql');
/** Not in SQL_VERSION: a pure function of alloc_rows (a change to it comes with a migration, as 017). */
const DAILY = loadSql(import.meta.url, 'alloc-daily.sql');
const SQL_VERSION = createHash('sha256').update(ALLOCATE).update(MATERIALIZE).digest('hex').slice(0, 16);

async function dataKey(store: Store): Promise<string> {
  const [row] = await store.query<{ k: string }>(sql`SELECT md5(concat_ws('|',
    (SELECT string_agg(ingestion_id || ':' || status, ',' ORDER BY ingestion_id) FROM ingestions WHERE kind IN ('focus', 'telemetry')),
    (SELECT string_agg(CAST(meter_key AS VARCHAR) || ':' || is_ai || ':' || coalesce(model, '') || ':' || coalesce(token_type, ''), ','
      ORDER BY meter_key) FROM meters),
    (SELECT count(*) FROM ingestion_files WHERE NOT rows_numbered),
    (SELECT count(*) FROM telemetry_files WHERE NOT rows_numbered),
    ${SQL_VERSION})) AS k`);
  return row!.k;
}

export interface AllocationState {
  fresh: boolean;
  /** Why it is not fresh, in words a user understands. */
  reason: string;
  rows: number;
  builtAt: string | null;
}

/** Whether the stored allocation was built from the ledger as it is now (a read: nothing is written). */
export async function allocationState(store: Store): Promise<AllocationState> {
  const key = await dataKey(store);
  const [state] = await store.query<{ data_key: string; rows: string; built_at: string }>(
    "SELECT data_key, rows, strftime(built_at, '%Y-%m-%d %H:%M:%S') AS built_at FROM allocation_state");
  if (state?.data_key === key) return { fresh: true, reason: '', rows: Number(state.rows), builtAt: state.built_at };
  const [{ n }] =
    (await store.query<{ n: string }>("SELECT count(*) AS n FROM ingestions WHERE kind IN ('focus', 'telemetry')")) as [{ n: string }];
  if (!state && Number(n) === 0) return { fresh: true, reason: '', rows: 0, builtAt: null };
  return {
    fresh: false,
    reason: state
      ? `built ${state.built_at} UTC; billing, telemetry, meter rules or row numbering changed since`
      : 'never built for the data in this store',
    rows: state ? Number(state.rows) : 0,
    builtAt: state?.built_at ?? null,
  };
}

export interface AllocationBuild { rebuilt: boolean; rows: number; seconds: number }

/** Bring the materialized allocation up to date with the ledger; cheap when it already is. */
export async function ensureAllocation(store: Store, opts: { force?: boolean; onStart?: () => void } = {}): Promise<AllocationBuild> {
  const key = await dataKey(store);
  const [state] = await store.query<{ data_key: string; rows: string }>('SELECT data_key, rows FROM allocation_state');
  if (!opts.force && state?.data_key === key) return { rebuilt: false, rows: Number(state.rows), seconds: 0 };
  opts.onStart?.();
  const started = performance.now();
  const allocate = fill(ALLOCATE, { WHERE: code('true'), TEL_WHERE: code('true'), CHARGE_KEY: code(CHARGE_KEY) });
  const rows = await store.transaction(async () => {
    await store.query('DELETE FROM alloc_rows; DELETE FROM alloc_charges; DELETE FROM alloc_month; DELETE FROM alloc_daily; ' +
      'DELETE FROM allocation_state');
    // one statement at a time (TOKENLEDGER_TRACE=1 times each)
    for (const statement of MATERIALIZE.split(/;\s*\n/).filter((x) => x.replace(/--.*$/gm, '').trim())) {
      await store.query(fill(statement, { ALLOCATE: allocate, CHARGE_KEY: code(CHARGE_KEY) }));
    }
    await store.query(DAILY);
    const [{ n }] = (await store.query<{ n: string }>('SELECT count(*) AS n FROM alloc_rows')) as [{ n: string }];
    const seconds = (performance.now() - started) / 1000;
    await store.query(sql`INSERT INTO allocation_state VALUES (${key}, now()::TIMESTAMP, ${Number(n)}, ${seconds})`);
    return Number(n);
  });
  return { rebuilt: true, rows, seconds: (performance.now() - started) / 1000 };
}
