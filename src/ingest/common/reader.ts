/**
 * How every source reads a data file with DuckDB, and what it says when DuckDB cannot: the table function
 * for a CSV or Parquet file (CSV with the header tokenledger read itself, every column as text, nothing
 * guessed), and the InputError a reader failure becomes (ragged rows, bad quoting, unreadable Parquet),
 * located at DuckDB's line when it gives one. The path and the column names travel as parameters.
 */
import { listValue, structValue } from '@duckdb/node-api';
import { InputError } from '../../domain/errors.js';
import { code, sql, type Sql } from '../../store/sql.js';

export type DataFormat = 'csv' | 'parquet';

/** What a CSV reader counts as NULL: the FOCUS 1.0 sample writes literal NULL; empty fields are empty. */
const NULL_STRINGS = ['NULL', 'null', ''];

/**
 * The DuckDB table function reading one file. CSV: the header tokenledger read itself (names from the
 * file, passed as a STRUCT value, never as text), every column as text, no guessing of dialect or header,
 * strict (a ragged row is an error naming its line). Parquet: its own types and `file_row_number`.
 */
export function tableFunction(path: string, format: DataFormat, header: string[] = []): Sql {
  if (format === 'parquet') return sql`read_parquet(${path}, file_row_number = true)`;
  const columns = structValue(Object.fromEntries(header.map((h) => [h, 'VARCHAR'])));
  const compression = code(path.toLowerCase().endsWith('.gz') ? "'gzip'" : "'none'");
  return sql`read_csv(${path}, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', columns = ${columns},
    nullstr = ${listValue(NULL_STRINGS)}, compression = ${compression}, strict_mode = true)`;
}

/** Whether a DuckDB error came from reading the file (not from tokenledger's own SQL). */
export function isReaderError(e: unknown): boolean {
  return /CSV Error|Invalid Input Error|IO Error|parquet|Could not read/i.test((e as Error)?.message ?? '');
}

/** Whether a DuckDB error is about tokenledger's own SQL (never the input's fault: rethrown as it is). */
export function isOwnSqlError(e: unknown): boolean {
  return /^(Binder|Parser|Catalog) Error/.test((e as Error)?.message ?? String(e));
}

/** Wrap a DuckDB reader failure (ragged rows, bad quoting, unreadable Parquet) as a located InputError. */
export function readerError(path: string, e: unknown): InputError {
  const msg = (e as Error).message ?? String(e);
  const line = /line[: ]+(\d+)/i.exec(msg);
  const loc = line ? { file: path, line: Number(line[1]) } : { file: path };
  const first = msg.split('\n').filter((l) => l.trim()).slice(0, 3).join(' ');
  return new InputError(loc, `cannot read the file as ${path.toLowerCase().includes('.parquet') ? 'Parquet' : 'CSV'}: ${first}`, {
    hint: 'Every row must have as many fields as the header; quote fields that contain commas or line breaks.',
  });
}

/**
 * A list of text values (NULLs allowed) as one parameter, typed VARCHAR[] even when empty: JSON text read
 * back by from_json, so no value is ever part of the statement's text.
 */
export function textList(values: (string | null)[]): Sql {
  return sql`CAST(from_json(${JSON.stringify(values)}, '["VARCHAR"]') AS VARCHAR[])`;
}
