/**
 * Reading one FOCUS data file with DuckDB (through the table function of common/reader.ts): its columns,
 * the statement that stages it, and the row behind a bad value. CSV is read as text (nothing guessed)
 * with literal NULL and empty strings as nulls; Parquet keeps its types. Each row gets its 1-based
 * position in the file for lineage.
 */
import { InputError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { code, ident, join, sql, type Sql } from '../../store/sql.js';
import { csvPhysicalLine, readCsvHeader } from '../common/csv-header.js';
import { isReaderError, readerError, readerErrorAt, tableFunction, type DataFormat } from '../common/reader.js';
import { ALSO_MARK, buildSelectList, ERROR_MARK, NUL_SHOWN, refineExpected, type ReadOptions, type SourceColumn } from './columns.js';

export async function readColumns(store: Store, path: string, format: DataFormat): Promise<SourceColumn[]> {
  if (format === 'csv') return (await readCsvHeader(path)).map((name) => ({ name, type: 'VARCHAR' }));
  try {
    const cols = await store.columns(sql`SELECT * FROM ${tableFunction(path, format)}`);
    return cols.filter((c) => c.name !== 'file_row_number');
  } catch (e) {
    throw readerError(path, e);
  }
}

/** The facts of a row that say what its meter is (classification reads them; the bench profiles their hash). */
export const METER_FACTS = [
  'ServiceProviderName', 'ProviderName', 'HostProviderName', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory',
  'x_SkuMeterCategory', 'x_SkuMeterSubcategory', 'x_SkuMeterName', 'SkuMeter', 'SkuPriceDetails', 'x_UsageType',
  'PricingUnit', 'x_PricingUnitDescription', 'x_PricingBlockSize', 'ConsumedUnit',
];

/** The key of a row's meter: DuckDB's 64-bit hash of the facts classification reads (NULLs included). */
const METER_KEY = sql`hash(${join(METER_FACTS.map((c) => ident(c)), ', ')})`;

/**
 * Run `fn` (a statement reading `file`); if a bad value aborted it, roll the transaction back (DuckDB
 * has aborted it anyway), find the row, and throw an InputError naming file, line, column and value.
 * The command's transaction is reopened so that the caller's rollback has something to roll back.
 */
export async function withLocatedErrors<T>(store: Store, file: { path: string; format: DataFormat }, header: string[],
  fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isReaderError(e, file.format) && !String((e as Error)?.message).includes(ERROR_MARK)) throw e;
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
  if (i < 0) return readerErrorAt(file.path, e);
  const [, , column = '?', expected, ...rest] = msg.slice(i).split('\u001f');
  // an error about two columns (an inverted period) carries the other column and its value too
  const [value = '', alsoColumn, alsoValue] = rest.join('\u001f').split('\n')[0]!.split(ALSO_MARK);
  const isNull = value === 'NULL' && expected?.startsWith('a value');
  const also = alsoColumn !== undefined && alsoValue !== undefined ? { column: alsoColumn, value: alsoValue } : undefined;
  const row = await locateBadRow(store, file.path, file.format, header, column, isNull ? null : value, also).catch(() => null);
  const why = isNull || expected === undefined ? expected : await refineExpected(store, expected, value).catch(() => expected);
  // the physical line: record n is line n + 1 only without blank lines and quoted line breaks before it
  const line = row !== null && file.format === 'csv' ? (await csvPhysicalLine(file.path, { record: row })) ?? row + 1 : null;
  return new InputError(
    { file: file.path, ...(line !== null ? { line } : {}), ...(row !== null ? { row } : {}), column },
    `expected ${why}, found ${isNull ? 'an empty value' : JSON.stringify(value.slice(0, 80))}`,
  );
}

/**
 * Find the first row of a file whose `column` holds `value` (or is empty when value is null): the
 * slow, exact path taken only after a bad value aborted the fast one.
 */
export async function locateBadRow(store: Store, path: string, format: DataFormat, header: string[], column: string,
  value: string | null, also?: { column: string; value: string }): Promise<number | null> {
  const srcOf = (c: string) => header.find((h) => h.trim().toLowerCase() === c.toLowerCase()) ?? c;
  const src = srcOf(column);
  const rowExpr = code(format === 'parquet' ? 'file_row_number + 1' : 'row_number() OVER ()');
  const cond = value === null ? code('v IS NULL') : sql`replace(CAST(v AS VARCHAR), chr(0), ${NUL_SHOWN}) = ${value}`;
  const w = also ? sql`CAST(w AS VARCHAR) = ${also.value}` : code('true');
  const rows = await store.query<{ r: string }>(
    sql`SELECT r FROM (SELECT ${rowExpr} AS r, ${ident(src)} AS v, ${also ? ident(srcOf(also.column)) : code('NULL')} AS w
      FROM ${tableFunction(path, format, header)}) WHERE ${cond} AND ${w} ORDER BY r LIMIT 1`);
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
  read?: ReadOptions;
}): { sql: Sql; extra: string[] } {
  const { select, extra, check, from } = buildSelectList(opts.fileIndex, opts.columns, opts.read);
  // Parquet numbers its rows; CSV rows are numbered after the commit (common/heal.ts).
  const rowExpr = code(opts.format === 'parquet' ? 'CAST(file_row_number + 1 AS BIGINT)' : 'CAST(0 AS BIGINT)');
  const body = sql`
SELECT CAST(${opts.ingestionId} AS VARCHAR) AS tl_ingestion_id, CAST(${opts.path} AS VARCHAR) AS tl_source_file,
  CAST(${opts.part} AS INTEGER) AS tl_source_part, ${rowExpr} AS tl_source_row, CAST(${opts.ingestedAt} AS TIMESTAMP) AS tl_ingested_at,
  ${select}
FROM ${from(tableFunction(opts.path, opts.format, opts.columns.map((c) => c.name)))}`;
  return { sql: sql`SELECT *, ${METER_KEY} AS tl_meter_key FROM (${body}) WHERE ${check}`, extra };
}
