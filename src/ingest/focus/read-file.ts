/**
 * Reading one FOCUS data file with DuckDB: the table function for its format, its columns, and the
 * statement that stages it. CSV is read as text (nothing guessed) with literal NULL and empty strings as
 * nulls; Parquet keeps its types. Each row gets its 1-based position in the file for lineage.
 */
import { InputError } from '../../domain/errors.js';
import { ident, literal, type Store } from '../../store/db.js';
import { buildSelectList, ERROR_MARK, type SourceColumn } from './columns.js';
import { readCsvHeader } from './csv-header.js';
import type { DataFormat } from './discover.js';

/**
 * The DuckDB table function reading one file. CSV: the header tokenledger read itself, every column as
 * text, no guessing of dialect or header, strict (a ragged row is an error naming its line).
 */
export function tableFunction(path: string, format: DataFormat, header: string[] = []): string {
  if (format === 'parquet') return `read_parquet(${literal(path)}, file_row_number = true)`;
  const columns = header.map((h) => `${literal(h)}: 'VARCHAR'`).join(', ');
  return `read_csv(${literal(path)}, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', `
    + `columns = {${columns}}, nullstr = ['NULL', 'null', ''], compression = ${path.toLowerCase().endsWith('.gz') ? "'gzip'" : "'none'"}, strict_mode = true)`;
}

/** Whether a DuckDB error came from reading the file (not from tokenledger's own SQL). */
export function isReaderError(e: unknown): boolean {
  return /CSV Error|Invalid Input Error|IO Error|parquet|Could not read/i.test((e as Error)?.message ?? '');
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

export async function readColumns(store: Store, path: string, format: DataFormat): Promise<SourceColumn[]> {
  if (format === 'csv') return (await readCsvHeader(path)).map((name) => ({ name, type: 'VARCHAR' }));
  try {
    const cols = await store.columns(`SELECT * FROM ${tableFunction(path, format)}`);
    return cols.filter((c) => c.name !== 'file_row_number');
  } catch (e) {
    throw readerError(path, e);
  }
}

const METER_FACTS = [
  'ServiceProviderName', 'ProviderName', 'HostProviderName', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory',
  'x_SkuMeterCategory', 'x_SkuMeterSubcategory', 'x_SkuMeterName', 'SkuMeter', 'SkuPriceDetails', 'x_UsageType',
  'PricingUnit', 'x_PricingUnitDescription', 'x_PricingBlockSize', 'ConsumedUnit',
];

/** The key of a row's meter: DuckDB's 64-bit hash of the facts classification reads (NULLs included). */
const METER_KEY = `hash(${METER_FACTS.map((c) => ident(c)).join(', ')})`;

/**
 * Run `fn` (a statement reading `file`); if a bad value aborted it, roll the transaction back (DuckDB
 * has aborted it anyway), find the row, and throw an InputError naming file, line, column and value.
 * The command's transaction is reopened so that the caller's rollback has something to roll back.
 */
export async function withLocatedErrors<T>(store: Store, file: { path: string; format: DataFormat }, header: string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isReaderError(e) && !String((e as Error)?.message).includes(ERROR_MARK)) throw e;
    await store.query('ROLLBACK');
    try {
      throw await toInputError(store, e, file, header);
    } finally {
      await store.query('BEGIN TRANSACTION');
    }
  }
}

/**
 * Turn DuckDB's error() from a bad value into an InputError naming file, line and column: the fast scan
 * says which column and value; a second, numbered scan of that file finds the row. Reader errors
 * (ragged rows, bad quoting, unreadable Parquet) keep DuckDB's line.
 */
async function toInputError(store: Store, e: unknown, file: { path: string; format: DataFormat }, header: string[]): Promise<InputError> {
  const msg = (e as Error)?.message ?? '';
  const i = msg.indexOf(ERROR_MARK);
  if (i < 0) return readerError(file.path, e);
  const [, , column = '?', expected, ...rest] = msg.slice(i).split('\u001f');
  const value = rest.join('\u001f').split('\n')[0]!;
  const isNull = value === 'NULL' && expected?.startsWith('a value');
  const row = await locateBadRow(store, file.path, file.format, header, column, isNull ? null : value).catch(() => null);
  return new InputError(
    { file: file.path, ...(row !== null && file.format === 'csv' ? { line: row + 1 } : {}), ...(row !== null ? { row } : {}), column },
    `expected ${expected}, found ${isNull ? 'an empty value' : JSON.stringify(value.slice(0, 80))}`,
  );
}

/**
 * Find the first row of a file whose `column` holds `value` (or is empty when value is null): the
 * slow, exact path taken only after a bad value aborted the fast one.
 */
export async function locateBadRow(store: Store, path: string, format: DataFormat, header: string[], column: string, value: string | null): Promise<number | null> {
  const src = header.find((h) => h.trim().toLowerCase() === column.toLowerCase()) ?? column;
  const rowExpr = format === 'parquet' ? 'file_row_number + 1' : 'row_number() OVER ()';
  const cond = value === null ? 'v IS NULL' : `CAST(v AS VARCHAR) = ${literal(value)}`;
  const rows = await store.query<{ r: string }>(
    `SELECT r FROM (SELECT ${rowExpr} AS r, ${ident(src)} AS v FROM ${tableFunction(path, format, header)}) WHERE ${cond} ORDER BY r LIMIT 1`);
  return rows.length ? Number(rows[0]!.r) : null;
}

/**
 * The SELECT reading one file as billing rows: lineage, typed FOCUS columns (located errors), Tags,
 * the other columns as text, and the meter key. Used by the pre-scan and by the insert.
 */
export function fileSelect(opts: {
  path: string;
  format: DataFormat;
  fileIndex: number;
  part: number;
  columns: SourceColumn[];
  ingestionId: string;
  ingestedAt: string;
}): { sql: string; extra: string[] } {
  const { select, extra } = buildSelectList(opts.fileIndex, opts.columns);
  // Parquet numbers its rows; CSV rows are numbered after the insert (number-rows.sql).
  const rowExpr = opts.format === 'parquet' ? 'CAST(file_row_number + 1 AS BIGINT)' : 'CAST(0 AS BIGINT)';
  const body = `
SELECT ${literal(opts.ingestionId)} AS tl_ingestion_id, ${literal(opts.path)} AS tl_source_file,
  ${opts.part} AS tl_source_part, ${rowExpr} AS tl_source_row, TIMESTAMP ${literal(opts.ingestedAt)} AS tl_ingested_at,
  ${select}
FROM ${tableFunction(opts.path, opts.format, opts.columns.map((c) => c.name))}`;
  return { sql: `SELECT *, ${METER_KEY} AS tl_meter_key FROM (${body})`, extra };
}
