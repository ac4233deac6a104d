/**
 * Reading one FOCUS data file with DuckDB: the table function for its format, its columns, and the
 * statement that stages it. CSV is read as text (nothing guessed) with literal NULL and empty strings as
 * nulls; Parquet keeps its types. Each row gets its 1-based position in the file for lineage.
 */
import { InputError } from '../../domain/errors.js';
import { ident, literal, type Store } from '../../store/db.js';
import { buildSelectList, type SourceColumn } from './columns.js';
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

/** The key of a row's meter: a hash of the facts classification reads (NULL kept distinct from ''). */
const METER_KEY = `md5(concat_ws(chr(31), ${METER_FACTS.map((c) => `coalesce(CAST(${ident(c)} AS VARCHAR), chr(0))`).join(', ')}))`;

/**
 * SQL that stages one file into tl_stage (created by the first file, appended by the others).
 * The inner query numbers rows in file order; the outer one parses and types them.
 */
export function stageSql(opts: {
  path: string;
  format: DataFormat;
  fileIndex: number;
  part: number;
  columns: SourceColumn[];
  ingestionId: string;
  ingestedAt: string;
  create: boolean;
}): string {
  const { select } = buildSelectList(opts.fileIndex, opts.columns);
  const rowExpr = opts.format === 'parquet' ? 'file_row_number + 1' : 'row_number() OVER ()';
  const body = `
SELECT ${literal(opts.ingestionId)} AS tl_ingestion_id, ${literal(opts.path)} AS tl_source_file,
  ${opts.part} AS tl_source_part, __tl_row AS tl_source_row, TIMESTAMP ${literal(opts.ingestedAt)} AS tl_ingested_at,
  ${select}
FROM (SELECT *, ${rowExpr} AS __tl_row FROM ${tableFunction(opts.path, opts.format, opts.columns.map((c) => c.name))})`;
  const keyed = `SELECT *, ${METER_KEY} AS tl_meter_key FROM (${body})`;
  return opts.create ? `CREATE OR REPLACE TEMP TABLE tl_stage AS ${keyed}` : `INSERT INTO tl_stage ${keyed}`;
}
