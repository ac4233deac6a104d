/**
 * charges_daily: the billing ledger summed per day, kept at write time so that reads never scan every billing
 * row for a headline figure (migration 016 says what a row is). Every writer of billing rows or meters calls
 * one of these inside its own transaction, so the rollup commits or rolls back with the rows it sums:
 *
 * 1. an ingest: `refreshRollup` with its ingestion id and the meters it (re)classified (a rules change
 *    re-classifies meters of earlier ingestions too, whose tokens and classification then change);
 * 2. a replacement: `deleteFromRollup` with the predicate that removed the earlier rows (ingestion and
 *    billing period, columns both tables share);
 * 3. reclassify: `rebuildRollup`;
 * 4. the orphan sweep (integrity.ts) removes rollup rows of no live ingestion, as it does the rows.
 *
 * `rollupDifferences` is the invariant `check` verifies: per ingestion, the rollup's sums equal the rows'.
 */
import { loadSql, type Store } from './db.js';
import { code, fill, sql, type Sql } from './sql.js';

const SELECT = loadSql(import.meta.url, 'charges-daily.sql');

/** The rollup of the `charges` rows matching `where` (the relation `charges` as the statement sees it). */
export function rollupSelect(where: Sql = code('true')): Sql {
  return fill(SELECT, { WHERE: where });
}

/** Meter keys as a list parameter (they exceed JavaScript's safe integers: they travel as text). */
const keyList = (keys: string[]) => sql`CAST(from_json(${JSON.stringify(keys)}, '["VARCHAR"]') AS UBIGINT[])`;

/**
 * Re-sum the rows of an ingestion and of the meters given (in the caller's transaction): what the ingest
 * just wrote, and every row whose meter it re-classified.
 */
export async function refreshRollup(store: Store, o: { ingestionId?: string; meterKeys?: string[] }): Promise<void> {
  const parts: Sql[] = [];
  if (o.ingestionId !== undefined) parts.push(sql`tl_ingestion_id = ${o.ingestionId}`);
  if (o.meterKeys?.length) parts.push(sql`list_contains(${keyList(o.meterKeys)}, tl_meter_key)`);
  if (!parts.length) return;
  const where = parts.length === 1 ? parts[0]! : sql`(${parts[0]!} OR ${parts[1]!})`;
  await store.query(sql`DELETE FROM charges_daily WHERE ${where}`);
  await store.query(sql`INSERT INTO charges_daily BY NAME ${rollupSelect(where)}`);
}

/** Remove the rollup of rows deleted with `where` (a predicate on tl_ingestion_id and BillingPeriodStart only). */
export async function deleteFromRollup(store: Store, where: Sql): Promise<void> {
  await store.query(sql`DELETE FROM charges_daily WHERE ${where}`);
}

/** Sum the whole ledger again (reclassify; and a repair when check finds a difference). */
export async function rebuildRollup(store: Store): Promise<void> {
  await store.query('DELETE FROM charges_daily');
  await store.query(sql`INSERT INTO charges_daily BY NAME ${rollupSelect()}`);
}

export interface RollupDifference {
  ingestionId: string;
  rows: { ledger: number; rollup: number };
  effectiveCost: { ledger: string; rollup: string };
  billedCost: { ledger: string; rollup: string };
  tokens: { ledger: string; rollup: string };
}

/** Ingestions whose rollup does not add up to their rows (empty in a healthy store): rows, both costs, tokens. */
export async function rollupDifferences(store: Store): Promise<RollupDifference[]> {
  const rows = await store.query<Record<string, string>>(sql`
    WITH l AS (SELECT tl_ingestion_id AS id, count(*) AS n, sum(BilledCost) AS billed, sum(EffectiveCost) AS eff, sum(tl_tokens) AS tok
               FROM charges GROUP BY 1),
         r AS (SELECT tl_ingestion_id AS id, sum(tl_rows) AS n, sum(BilledCost) AS billed, sum(EffectiveCost) AS eff, sum(tl_tokens) AS tok
               FROM charges_daily GROUP BY 1)
    SELECT id, coalesce(l.n, 0) AS ln, coalesce(r.n, 0) AS rn, coalesce(l.billed, 0) AS lb, coalesce(r.billed, 0) AS rb,
      coalesce(l.eff, 0) AS le, coalesce(r.eff, 0) AS re, coalesce(l.tok, 0) AS lt, coalesce(r.tok, 0) AS rt
    FROM l FULL JOIN r USING (id)
    WHERE coalesce(l.n, 0) <> coalesce(r.n, 0) OR coalesce(l.billed, 0) <> coalesce(r.billed, 0)
      OR coalesce(l.eff, 0) <> coalesce(r.eff, 0) OR coalesce(l.tok, 0) <> coalesce(r.tok, 0)
    ORDER BY id`);
  return rows.map((r) => ({
    ingestionId: r.id!, rows: { ledger: Number(r.ln), rollup: Number(r.rn) },
    billedCost: { ledger: String(r.lb), rollup: String(r.rb) }, effectiveCost: { ledger: String(r.le), rollup: String(r.re) },
    tokens: { ledger: String(r.lt), rollup: String(r.rt) },
  }));
}
