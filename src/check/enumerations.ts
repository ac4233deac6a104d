/**
 * Stored billing rows whose enumerated FOCUS columns hold a value outside FOCUS (src/domain/focus-values.ts):
 * the ingest refuses them now, but a store written before it did may hold them, and a report filtering on
 * ChargeCategory = 'Usage' would silently leave such a row out. `check` fails on them; the data status
 * gates reports on them like the other failed checks.
 */
import { FOCUS_ENUMERATIONS } from '../domain/focus-values.js';
import type { Store } from '../store/db.js';
import { ident, join, sql, type Sql } from '../store/sql.js';

/** One branch per column: the rows (file, line, column, value) whose value is not a FOCUS value. */
function outside(): Sql {
  return join(Object.entries(FOCUS_ENUMERATIONS).map(([col, e]) => {
    const c = ident(col);
    const values = join((e.exact ? e.values : e.values.map((v) => v.toLowerCase())).map((v) => sql`${v}`), ', ');
    return sql`SELECT tl_source_file AS file, tl_source_row + 1 AS line, ${col} AS col, ${c} AS value FROM billing_rows
      WHERE ${c} IS NOT NULL AND ${e.exact ? c : sql`lower(${c})`} NOT IN (${values})`;
  }), ' UNION ALL ');
}

export interface EnumerationFindings { count: number; examples: string[] }

export async function invalidEnumerations(store: Store, examples = 5): Promise<EnumerationFindings> {
  const rows = await store.query<{ file: string; line: string; col: string; value: string; n: string }>(
    sql`SELECT file, line, col, value, count(*) OVER () AS n FROM (${outside()}) ORDER BY file, line, col LIMIT ${examples}`);
  return {
    count: Number(rows[0]?.n ?? 0),
    examples: rows.map((r) => `${r.file}:${r.line}: ${r.col} is ${JSON.stringify(r.value.replace(/\0/g, '\u2400'))}, not a FOCUS value`),
  };
}
