/**
 * Tabular telemetry exports, read the same way whatever their container: a CSV file (portal export; the
 * header read by tokenledger, every column as text) or a Log Analytics / App Insights query-API result
 * ({tables: [{columns: [{name, type}], rows: [[...]]}]}, positional rows). Either becomes a relation with
 * one text column per source column, named as in the source.
 */
import { InputError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { code, ident, join, sql, type Sql } from '../../store/sql.js';
import { readCsvHeader } from '../common/csv-header.js';
import { tableFunction } from '../common/reader.js';

export interface Tabular { sql: Sql; columns: string[] }

export async function tabularSource(store: Store, file: string): Promise<Tabular> {
  if (!/\.json(\.gz)?$/i.test(file)) {
    const header = await readCsvHeader(file, { wholeFile: true });
    return { sql: sql`SELECT * FROM ${tableFunction(file, 'csv', header)}`, columns: header };
  }
  const [{ cols }] = (await store.query<{ cols: string[] | null }>(
    sql`SELECT list_transform(CAST(d->'tables'->0->'columns' AS JSON[]), lambda c: c->>'name') AS cols
      FROM read_json_objects(${file}, format = 'auto') t(d)`)) as [{ cols: string[] | null }];
  if (!cols?.length)
    throw new InputError({ file }, 'no tables[0].columns; expected a query result {"tables": [{"columns": [...], "rows": [...]}]}');
  const bad = cols.findIndex((c) => typeof c !== 'string' || c.trim() === '' || c.includes('\u0000'));
  if (bad >= 0) throw new InputError({ file }, `tables[0].columns[${bad}] has no usable name; expected {"name": "...", "type": "..."}`);
  const twice = cols.findIndex((c, i) => cols.findIndex((d) => d.toLowerCase() === c.toLowerCase()) !== i);
  if (twice >= 0) throw new InputError({ file }, `column ${cols[twice]} appears twice in tables[0].columns`);
  // objects (dynamic columns such as customDimensions) keep their JSON text; scalars their value
  const pick = (i: number) => code(`CASE WHEN json_type(r->${i}) IN ('OBJECT', 'ARRAY') THEN CAST(r->${i} AS VARCHAR) ELSE r->>${i} END`);
  return {
    sql: sql`SELECT ${join(cols.map((c, i) => sql`${pick(i)} AS ${ident(c)}`), ', ')}
          FROM (SELECT unnest(CAST(d->'tables'->0->'rows' AS JSON[])) AS r FROM read_json_objects(${file}, format = 'auto') t(d))`,
    columns: cols,
  };
}

/** The source column for a field, by any of its names, case-insensitively and ignoring " [UTC]". */
export function columnFor(t: Tabular, names: string[]): string | undefined {
  const norm = (c: string) => c.toLowerCase().replace(/\s*\[utc\]$/, '').trim();
  return t.columns.find((c) => names.includes(norm(c)));
}

export function requireColumn(file: string, t: Tabular, names: string[], expected: string): string {
  const c = columnFor(t, names);
  if (!c) throw new InputError({ file, line: 1 }, `missing column ${names.join(' or ')}; expected ${expected}`);
  return c;
}
