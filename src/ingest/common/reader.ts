/**
 * How every source reads a data file with DuckDB, and what it says when DuckDB cannot: the table function
 * for a CSV or Parquet file (CSV with the header tokenledger read itself, every column as text, nothing
 * guessed), and the InputError a reader failure becomes (ragged rows, bad quoting, unreadable Parquet),
 * located at DuckDB's line when it gives one. The path and the column names travel as parameters.
 */
import { duckdb } from '../../store/packages.js';

const { listValue, structValue } = duckdb;
import { formatLocation, InputError } from '../../domain/errors.js';
import { csvPhysicalLine } from './csv-header.js';
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

/**
 * Whether a DuckDB error came from reading the file (not from tokenledger's own SQL). DuckDB's Parquet
 * reader fails on a damaged file with errors that do not say "Parquet" (Thrift's TProtocolException,
 * "Out of buffer", "don't know what type", "Invalid Error"): for a Parquet file those count too.
 */
export function isReaderError(e: unknown, format?: DataFormat): boolean {
  const msg = (e as Error)?.message ?? '';
  if (/CSV Error|Invalid Input Error|IO Error|parquet|Could not read|Malformed JSON|invalid UTF-8/i.test(msg)) return true;
  return format === 'parquet' && !isOwnSqlError(e) &&
    /^(Invalid|Serialization|Out of Range|Conversion|Not implemented|INTERNAL) Error|TProtocolException|Out of buffer|don't know what type|Thrift|snappy|zstd|decompress|dictionary|page/i
      .test(msg);
}

/** Whether a DuckDB error is about tokenledger's own SQL (never the input's fault: rethrown as it is). */
export function isOwnSqlError(e: unknown): boolean {
  return /^(Binder|Parser|Catalog) Error/.test((e as Error)?.message ?? String(e));
}

/** At most `max` characters of a value quoted in a message (a 5 MB field is not echoed back). */
export function cut(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

/**
 * DuckDB's message without the statement it ran (the "LINE 1: SELECT ..." context DuckDB appends is
 * tokenledger's SQL, not the user's problem), each line cut short.
 */
export function readerMessage(e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  const lines = msg.split('\n');
  // DuckDB's own advice (reader options) and the statement are not the user's business
  const end = lines.findIndex((l) => /^LINE \d+:|^Possible fixes:|^\s+file = /.test(l));
  const kept = (end >= 0 ? lines.slice(0, end) : lines).filter((l) => l.trim()).slice(0, 4).map((l) => cut(l.trim(), 240));
  return cut(kept.join(' '), 600);
}

/** Wrap a DuckDB reader failure (ragged rows, bad quoting, unreadable Parquet) as a located InputError. */
export function readerError(path: string, e: unknown): InputError {
  const msg = readerMessage(e);
  const kind = /\.parquet$/i.test(path) ? 'Parquet' : /\.(jsonl|ndjson|json)(\.gz)?$/i.test(path) ? 'JSON' : 'CSV';
  const line = kind === 'Parquet' ? null : /(?:on line|line:|in line) *(\d+)/i.exec(msg);
  const loc = line ? { file: path, line: Number(line[1]) } : { file: path };
  return new InputError(loc, `cannot read the file as ${kind}: ${msg}`, {
    hint: kind === 'Parquet' ? 'The Parquet file is damaged or not Parquet: export it again (a partial download ends like this).'
      : kind === 'JSON' ? 'Each line must be one complete JSON object (a query-API export: one JSON document).'
        : 'Every row must have as many fields as the header; quote fields that contain commas or line breaks.',
  });
}

/** `readerError` at the file's physical line: DuckDB's line of a CSV error is off after blank lines or quoted line breaks. */
export async function readerErrorAt(path: string, e: unknown): Promise<InputError> {
  const err = readerError(path, e);
  if (err.location.line === undefined || !/\.csv(\.gz)?$/i.test(path)) return err;
  const line = await csvPhysicalLine(path, { duckdbLine: err.location.line });
  if (line === null || line === err.location.line) return err;
  const problem = err.message.slice(formatLocation(err.location).length + 2);
  return new InputError({ ...err.location, line }, problem.replace(/(CSV Error on Line: )\d+/, `$1${line}`),
    err.hint === undefined ? {} : { hint: err.hint });
}

/**
 * A list of text values (NULLs allowed) as one parameter, typed VARCHAR[] even when empty: JSON text read
 * back by from_json, so no value is ever part of the statement's text.
 */
export function textList(values: (string | null)[]): Sql {
  return sql`CAST(from_json(${JSON.stringify(values)}, '["VARCHAR"]') AS VARCHAR[])`;
}
