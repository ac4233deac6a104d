/**
 * Stored billing rows whose enumerated FOCUS columns hold a value outside FOCUS (src/domain/focus-values.ts):
 * the ingest refuses them now, but a store written before it did may hold them, and a report filtering on
 * ChargeCategory = 'Usage' would silently leave such a row out. `check` fails on them; the data status
 * gates reports on them like the other failed checks.
 */
import { FOCUS_ENUMERATIONS } from '../domain/focus-values.js';
import type { Store } from '../store/db.js';
import { ident, join, sql, type Sql } from '../store/sql.js';

/** Whether `col` holds a value outside FOCUS. */
function isOutside(col: string): Sql {
  const e = FOCUS_ENUMERATIONS[col]!;
  const c = ident(col);
  const values = join((e.exact ? e.values : e.values.map((v) => v.toLowerCase())).map((v) => sql`${v}`), ', ');
  return sql`${c} IS NOT NULL AND ${e.exact ? c : sql`lower(${c})`} NOT IN (${values})`;
}

/** One branch per column: the rows (file, line, column, value) whose value is not a FOCUS value. */
function outside(): Sql {
  return join(Object.keys(FOCUS_ENUMERATIONS).map((col) =>
    sql`SELECT tl_source_file AS file, tl_source_row + 1 AS line, ${col} AS col, ${ident(col)} AS value FROM billing_rows
      WHERE ${isOutside(col)}`), ' UNION ALL ');
}

export interface EnumerationFindings { count: number; examples: string[] }

/**
 * 1. The daily rollup keeps every enumerated column: if none of its rows holds a value outside FOCUS, no
 *    billing row does (what every report's data status asks, without a scan of the rows).
 * 2. Otherwise the rows themselves, for the count and the located examples.
 */
export async function invalidEnumerations(store: Store, examples = 5): Promise<EnumerationFindings> {
  const [r] = await store.query<{ n: string }>(sql`SELECT count(*) AS n FROM charges_daily
    WHERE ${join(Object.keys(FOCUS_ENUMERATIONS).map((col) => sql`(${isOutside(col)})`), ' OR ')}`);
  if (Number(r!.n) === 0) return { count: 0, examples: [] };
  const rows = await store.query<{ file: string; line: string; col: string; value: string; n: string }>(
    sql`SELECT file, line, col, value, count(*) OVER () AS n FROM (${outside()}) ORDER BY file, line, col LIMIT ${examples}`);
  return {
    count: Number(rows[0]?.n ?? 0),
    examples: rows.map((r) => `${r.file}:${r.line}: ${r.col} is ${JSON.stringify(r.value.replace(/\0/g, '\u2400'))}, not a FOCUS value`),
  };
}
