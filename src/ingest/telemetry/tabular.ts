/**
 * Tabular telemetry exports, read the same way whatever their container: a CSV file (portal export; the
 * header read by tokenledger, every column as text) or a Log Analytics / App Insights query-API result
 * ({tables: [{columns: [{name, type}], rows: [[...]]}]}, positional rows). Either becomes a relation with
 * one text column per source column, named as in the source.
 */
import { InputError } from '../../domain/errors.js';
import { ident, literal, type Store } from '../../store/db.js';
import { readCsvHeader } from '../focus/csv-header.js';
import { tableFunction } from '../focus/read-file.js';

export interface Tabular { sql: string; columns: string[] }

export async function tabularSource(store: Store, file: string): Promise<Tabular> {
  if (!/\.json(\.gz)?$/i.test(file)) {
    const header = await readCsvHeader(file);
    return { sql: `SELECT * FROM ${tableFunction(file, 'csv', header)}`, columns: header };
  }
  const [{ cols }] = (await store.query<{ cols: string[] | null }>(
    `SELECT list_transform(CAST(d->'tables'->0->'columns' AS JSON[]), lambda c: c->>'name') AS cols FROM read_json_objects(${literal(file)}, format = 'auto') t(d)`)) as [{ cols: string[] | null }];
  if (!cols?.length) throw new InputError({ file }, 'no tables[0].columns; expected a query result {"tables": [{"columns": [...], "rows": [...]}]}');
  // objects (dynamic columns such as customDimensions) keep their JSON text; scalars their value
  const pick = (i: number) => `CASE WHEN json_type(r->${i}) IN ('OBJECT', 'ARRAY') THEN CAST(r->${i} AS VARCHAR) ELSE r->>${i} END`;
  return {
    sql: `SELECT ${cols.map((c, i) => `${pick(i)} AS ${ident(c)}`).join(', ')}
          FROM (SELECT unnest(CAST(d->'tables'->0->'rows' AS JSON[])) AS r FROM read_json_objects(${literal(file)}, format = 'auto') t(d))`,
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
