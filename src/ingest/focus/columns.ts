/**
 * How each column of a FOCUS file lands in billing_rows: typed columns the tool uses (money as
 * DECIMAL(38,18), periods as UTC TIMESTAMP, Tags as a JSON object), and everything else kept as original
 * text in tl_extra_values. Builds the SELECT that reads one file; a value that does not parse raises a DuckDB
 * error() carrying file index, row, column, expectation and value, which ingest turns into an InputError.
 */
import { expectedValues, FOCUS_ENUMERATIONS } from '../../domain/focus-values.js';
import type { Store } from '../../store/db.js';
import { code, ident, join, sql, type Sql } from '../../store/sql.js';
import { decimalsNeeded } from '../common/numbers.js';
import { EXPECTED_TIMESTAMP, parsedTimestamp, timestampProblem, YEAR_MAX, YEAR_MIN, type DateOrder } from '../common/timestamps.js';

export type TypedKind = 'decimal' | 'timestamp' | 'varchar';

const DECIMALS = [
  'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'ListUnitPrice', 'ContractedUnitPrice',
  'ConsumedQuantity', 'PricingQuantity', 'CommitmentDiscountQuantity', 'x_BilledUnitPrice',
  'x_EffectiveUnitPrice', 'x_PricingBlockSize', 'x_BillingExchangeRate',
];
const TIMESTAMPS = ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'];
const VARCHARS = [
  'BillingAccountId', 'BillingAccountName', 'BillingAccountType', 'BillingCurrency', 'ChargeCategory',
  'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'CommitmentDiscountCategory', 'CommitmentDiscountId',
  'CommitmentDiscountName', 'CommitmentDiscountStatus', 'CommitmentDiscountType', 'ConsumedUnit', 'InvoiceId',
  'InvoiceIssuerName', 'PricingCategory', 'PricingUnit', 'PricingCurrency', 'ProviderName', 'PublisherName',
  'ServiceProviderName', 'HostProviderName', 'RegionId', 'RegionName', 'ResourceId', 'ResourceName',
  'ResourceType', 'ServiceCategory', 'ServiceSubcategory', 'ServiceName', 'SkuId', 'SkuMeter', 'SkuPriceId',
  'SkuPriceDetails', 'SubAccountId', 'SubAccountName', 'SubAccountType', 'x_SkuMeterCategory',
  'x_SkuMeterSubcategory', 'x_SkuMeterName', 'x_PricingUnitDescription', 'x_ResourceGroupName',
  'x_CostCenter', 'x_InvoiceSectionName', 'x_SkuDescription', 'x_UsageType',
];

/** Typed columns of billing_rows, in table order (Tags handled on its own). */
export const TYPED_COLUMNS: { name: string; kind: TypedKind }[] = [
  ...DECIMALS.map((name) => ({ name, kind: 'decimal' as const })),
  ...TIMESTAMPS.map((name) => ({ name, kind: 'timestamp' as const })),
  ...VARCHARS.map((name) => ({ name, kind: 'varchar' as const })),
];

/** Columns that must be present and non-null on every row for the ledger to add up. */
export const NOT_NULL = new Set(['BilledCost', 'EffectiveCost', 'BillingCurrency', 'BillingPeriodStart', 'ChargePeriodStart',
  'ChargeCategory']);

export const ERROR_MARK = 'TL_BAD_VALUE';

const EXPECTED: Record<TypedKind, string> = {
  decimal: 'a decimal number such as 12.50 or -0.0004',
  timestamp: EXPECTED_TIMESTAMP,
  varchar: 'text',
};

/**
 * Values several typed expressions of a row read (a Parquet number's text, a text's null-normalized value, a
 * time zone conversion, Tags parsed as JSON, a lower-cased enumeration, the pricing-block match), computed once
 * per row in a SELECT below the typed one: DuckDB evaluates every occurrence inside a CASE again (on the Parquet
 * input that was more than half of the insert). What goes here runs on every row, so it must never raise an error.
 */
class Shared {
  readonly list: Sql[] = [];
  add(expr: Sql): Sql {
    const name = `__tl_shared_${this.list.length}`;
    this.list.push(sql`${expr} AS ${ident(name)}`);
    return ident(name);
  }
}

/**
 * SQL raising an error for a bad value of `col`, carrying file index, column, expectation and value (the
 * mark and what it says travel as one parameter). The row is found afterwards (locateBadRow): numbering
 * rows here would serialize the whole scan.
 */
function fail(fileIndex: number, col: string, expected: string | Sql, value: Sql): Sql {
  // a NUL would end the error message: it travels as U+2400 (locateBadRow compares the same way)
  const shown = sql`replace(coalesce(${value}, 'NULL'), chr(0), ${NUL_SHOWN})`;
  if (typeof expected === 'string') return sql`error(${`${ERROR_MARK}\u001f${fileIndex}\u001f${col}\u001f${expected}\u001f`} || ${shown})`;
  return sql`error(${`${ERROR_MARK}\u001f${fileIndex}\u001f${col}\u001f`} || ${expected} || '\u001f' || ${shown})`;
}

/** How a NUL byte in a bad value is shown in (and found back from) its error. */
export const NUL_SHOWN = '\u2400';

/**
 * VARCHAR -> DECIMAL(38,18), exactly, fast. DuckDB parses text into 128-bit decimals about 70x slower
 * than into 64-bit ones, so plain "-123.456" text of at most 9 digits each side goes through DECIMAL(18,9),
 * and longer plain text is split: the integer part through BIGINT, the fraction through DECIMAL(18,18),
 * added exactly. Any other text (exponents, over 18 digits, signs, spaces) takes `fallback`, by default
 * DuckDB's own cast. All paths agree on every text (columns.test.ts).
 */
export function fastDecimal(v: Sql, fallback: Sql = sql`TRY_CAST(${v} AS DECIMAL(38,18))`): Sql {
  // most money has at most 9 digits on each side of the point: one 64-bit DECIMAL(18,9) parse, exact for it
  return sql`CASE WHEN regexp_full_match(${v}, '-?[0-9]{1,9}(\\.[0-9]{1,9})?') THEN CAST(CAST(${v} AS DECIMAL(18,9)) AS DECIMAL(38,18))
    WHEN regexp_full_match(${v}, '-?[0-9]{1,18}(\\.[0-9]{1,18})?') THEN (CASE WHEN starts_with(${v}, '-') THEN -1 ELSE 1 END)
    * (CAST(CAST(ltrim(split_part(${v}, '.', 1), '-') AS BIGINT) AS DECIMAL(38,18))
      + CAST('0.' || split_part(${v}, '.', 2) || '0' AS DECIMAL(18,18)))
    ELSE ${fallback} END`;
}

/**
 * Text -> DECIMAL(38,18) exactly or NULL: never rounded. A number needing more than 18 decimal places is
 * NULL (refused), where DuckDB's cast would round it.
 */
export function exactDecimal(v: Sql): Sql {
  return fastDecimal(v, sql`CASE WHEN ${decimalsNeeded(v)} <= 18 THEN TRY_CAST(${v} AS DECIMAL(38,18)) END`);
}

const DECIMAL_TYPE = /^DECIMAL\((\d+),\s*(\d+)\)$/;
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT',
  'UHUGEINT']);

/**
 * A money or quantity column of any source type as DECIMAL(38,18), exactly.
 * 1. Integers and DECIMALs of at most 18 decimal places: DuckDB's cast, which is exact for them.
 * 2. DOUBLE and FLOAT (what DuckDB, pandas and Spark write to Parquet): through DuckDB's text of the
 *    number, the shortest decimal that reads back as the same binary value (127.98811, not
 *    127.988110000000008192), so a Parquet delivery gives the ledger a CSV of the same export gives.
 * 3. Text, and DECIMALs of more scale: exactDecimal (more than 18 places is refused, never rounded).
 */
export function decimalFrom(v: Sql, srcType: string, asText: Sql = sql`CAST(${v} AS VARCHAR)`): Sql {
  const t = srcType.toUpperCase();
  const scale = DECIMAL_TYPE.exec(t)?.[2];
  if (INTEGER_TYPES.has(t) || (scale !== undefined && Number(scale) <= 18)) return sql`TRY_CAST(${v} AS DECIMAL(38,18))`;
  if (t === 'VARCHAR') return exactDecimal(v);
  return exactDecimal(asText);
}

/** Why a value exactDecimal refused is not money: too many decimal places, or not a number. */
export function decimalProblem(asText: Sql): Sql {
  return sql`CASE WHEN TRY_CAST(${asText} AS DOUBLE) IS NOT NULL AND NOT isinf(TRY_CAST(${asText} AS DOUBLE))
      AND ${decimalsNeeded(asText)} > 18
    THEN ${'a decimal number of at most 18 decimal places (money is kept exactly, never rounded)'} ELSE ${EXPECTED.decimal} END`;
}

/**
 * An enumerated FOCUS column (domain/focus-values.ts): its value, or a located error naming the FOCUS values.
 * The test is a chain of equalities, not `IN (...)`: DuckDB plans an IN list of five or more values as a
 * join against the list, and a join in the INSERT's plan turns its order-keeping batch insert into a plain
 * one, whose row groups the close's checkpoint then merges and rewrites (about a quarter of the ingest).
 */
function enumerated(fileIndex: number, target: string, v: Sql, notNull: Sql, shared: Shared): Sql {
  const e = FOCUS_ENUMERATIONS[target]!;
  const w = e.exact ? v : shared.add(sql`lower(${v})`);
  const anyOf = join((e.exact ? e.values : e.values.map((x) => x.toLowerCase())).map((x) => sql`${w} = ${x}`), ' OR ');
  const expected = expectedValues(target);
  return sql`CASE ${notNull}WHEN ${anyOf} THEN ${v} ELSE ${fail(fileIndex, target, expected, v)} END`;
}

/** What the caller knows that a file does not say: the order of slash dates. */
export interface ReadOptions {
  dateOrder?: DateOrder | undefined;
  /** Text columns of a typed file (Parquet): 'NULL', 'null' and '' are missing values, as the CSV reader reads them. */
  nullStrings?: boolean | undefined;
}

function typedExpr(fileIndex: number, srcName: string, srcType: string, kind: TypedKind, target: string, o: ReadOptions,
  shared: Shared): Sql {
  // the FOCUS 1.0 sample writes the text NULL for a missing value; a Parquet copy of it keeps that text
  const v = o.nullStrings && srcType === 'VARCHAR'
    ? shared.add(sql`(CASE WHEN ${ident(srcName)} IN ('NULL', 'null', '') THEN NULL ELSE ${ident(srcName)} END)`) : ident(srcName);
  const asText = srcType === 'VARCHAR' ? v : shared.add(sql`CAST(${v} AS VARCHAR)`);
  const notNull = NOT_NULL.has(target)
    ? sql`WHEN ${v} IS NULL THEN ${fail(fileIndex, target, 'a value (this column is required on every row)', code('NULL'))} `
    : sql`WHEN ${v} IS NULL THEN NULL `;
  switch (kind) {
    case 'decimal':
      if (target === 'x_PricingBlockSize') {
        const d = shared.add(decimalFrom(v, srcType, asText));
        return sql`CASE ${notNull}WHEN ${d} > ${BLOCK_MAX} THEN ${fail(fileIndex, target, BLOCK_EXPECTED, asText)}
          ELSE coalesce(${d}, ${fail(fileIndex, target, EXPECTED.decimal, asText)}) END`;
      }
      return sql`CASE ${notNull}ELSE coalesce(${decimalFrom(v, srcType, asText)},
        ${fail(fileIndex, target, EXPECTED.decimal, asText)}) END`;
    case 'timestamp': {
      if (srcType.startsWith('TIMESTAMP') || srcType === 'DATE') {
        // TIMESTAMP, TIMESTAMP_NS / _MS / _S and DATE carry no zone (UTC by FOCUS); WITH TIME ZONE is converted
        const ts = shared.add(!srcType.includes('TIME ZONE') ? sql`CAST(${v} AS TIMESTAMP)`
          : sql`CAST(timezone('UTC', CAST(${v} AS TIMESTAMPTZ)) AS TIMESTAMP)`);
        const window = `a date-time from ${YEAR_MIN} to ${YEAR_MAX}`;
        return sql`CASE ${notNull}WHEN year(${ts}) BETWEEN ${YEAR_MIN} AND ${YEAR_MAX} THEN ${ts}
          ELSE ${fail(fileIndex, target, window, asText)} END`;
      }
      return sql`CASE ${notNull}ELSE coalesce(${parsedTimestamp(v, o.dateOrder)},
        ${fail(fileIndex, target, EXPECTED.timestamp, asText)}) END`;
    }
    case 'varchar':
      if (FOCUS_ENUMERATIONS[target]) return enumerated(fileIndex, target, asText, notNull, shared);
      if (BLOCK_UNITS.has(target)) return blockUnit(fileIndex, target, asText, notNull, shared);
      return NOT_NULL.has(target) ? sql`CASE ${notNull}ELSE ${asText} END` : asText;
  }
}

/**
 * The pricing block a unit string names (domain/pricing-unit.ts: "1000000 Tokens", "1M") becomes the meter's
 * block size (a BIGINT multiplied into token counts): a block above BLOCK_MAX tokens is no price list's, and
 * would overflow the ledger's arithmetic, so it is refused here, on its row, like any other bad value.
 */
const BLOCK_UNITS = new Set(['PricingUnit', 'x_PricingUnitDescription']);
export const BLOCK_MAX = 1_000_000_000_000;
const BLOCK_EXPECTED = `a pricing block size of at most ${BLOCK_MAX} (1T) units`;
/** parsePricingBlockSize's pattern (a number, an optional K / M / B, then a space, "/" or the end) in RE2. */
const BLOCK_RE = '^[\\s\\x{00a0}]*([0-9]+)[\\s\\x{00a0}]*([KMBkmb])?([\\s\\x{00a0}/]|$)';

/** Whether the unit text `v` names a block above BLOCK_MAX (exactly when parsePricingBlockSize would: columns.test.ts). */
export function blockTooLarge(v: Sql, share: (e: Sql) => Sql = (e) => e): Sql {
  // one match per row gives both groups (the ingest computes it below the typed SELECT: `share`)
  // the pattern is a constant of the code, written into the statement: a list of group names needs a constant one
  const m = share(sql`regexp_extract(${v}, ${code(`'${BLOCK_RE}'`)}, ['digits', 'scale'])`);
  const digits = sql`struct_extract(${m}, 'digits')`;
  const scale = sql`CASE upper(struct_extract(${m}, 'scale')) WHEN 'K' THEN 1000 WHEN 'M' THEN 1000000 WHEN 'B' THEN 1000000000
    ELSE 1 END`;
  return sql`CASE WHEN ${digits} = '' THEN false WHEN length(ltrim(${digits}, '0')) > 13 THEN true
    ELSE CAST(${digits} AS HUGEINT) * ${scale} > ${BLOCK_MAX} END`;
}

function blockUnit(fileIndex: number, target: string, v: Sql, notNull: Sql, shared: Shared): Sql {
  const tooLarge = blockTooLarge(v, (e) => shared.add(e));
  return sql`CASE ${notNull}WHEN ${tooLarge} THEN ${fail(fileIndex, target, BLOCK_EXPECTED, v)} ELSE ${v} END`;
}

/**
 * Tags as a JSON object: JSON text as is; Azure's legacy brace-less `"k": "v", ...` wrapped in braces;
 * MAP/STRUCT (Parquet) converted. Text that is not JSON becomes NULL with its original kept in tl_extra.
 */
function tagsExpr(srcName: string | undefined, srcType: string | undefined, shared: Shared): { expr: Sql; fix: Sql } {
  if (srcName === undefined) return { expr: code('NULL::JSON'), fix: code('NULL::VARCHAR') };
  const v = ident(srcName);
  if (srcType !== 'VARCHAR') return { expr: sql`to_json(${v})`, fix: code('NULL::VARCHAR') };
  // parsed once per row, only when not empty; a valid JSON text starting with "{" is an object, so no
  // second parse asks its type (the wrapped form, parsed only for the rows that need it, is one by construction)
  const space = code(`(' ' || chr(9) || chr(10) || chr(13))`); // JSON's whitespace
  const isEmpty = sql`(${v} IS NULL OR trim(${v}, ${space}) IN ('', '{}'))`;
  const empty = shared.add(isEmpty);
  const asJson = shared.add(sql`CASE WHEN ${isEmpty} THEN NULL ELSE TRY_CAST(${v} AS JSON) END`);
  const isObject = sql`starts_with(ltrim(${asJson}, ${space}), '{')`;
  const wrapped = sql`TRY_CAST('{' || ${v} || '}' AS JSON)`;
  return {
    expr: sql`CASE WHEN ${empty} THEN NULL WHEN ${isObject} THEN ${asJson} WHEN ${wrapped} IS NOT NULL THEN ${wrapped} END`,
    fix: sql`CASE WHEN ${empty} OR ${isObject} THEN NULL WHEN ${wrapped} IS NOT NULL THEN 'TagsWrappedInBraces' ELSE 'TagsNotJson' END`,
  };
}

export interface SourceColumn {
  name: string;
  type: string;
}

/**
 * The SELECT list mapping one file's columns onto the staging table.
 * 1. Match file columns to typed columns case-insensitively (trimmed).
 * 2. Typed, present: parse with a located error; typed, absent: NULL.
 * 3. Every column not typed (x_ columns, unknown ones, the FOCUS 1.0 sample's stray Id) goes into
 *    tl_extra_values as original text, in the order of `extra` (recorded per file in ingestion_files),
 *    so nothing is lost; Tags that needed repair keep their original there too (as the last entry).
 *    A list of text is stored column-wise and compresses like the columns it came from; a JSON text per
 *    row would not (the view billing_rows_extra shows them as a MAP).
 */
export function buildSelectList(fileIndex: number, cols: SourceColumn[],
  o: ReadOptions = {}): { select: Sql; extra: string[]; check: Sql; from: (source: Sql) => Sql } {
  const byLower = new Map(cols.map((c) => [c.name.trim().toLowerCase(), c]));
  const used = new Set<string>();
  const parts: Sql[] = [];
  const shared = new Shared();
  for (const t of TYPED_COLUMNS) {
    const src = byLower.get(t.name.toLowerCase());
    if (src) used.add(src.name);
    const expr = src ? typedExpr(fileIndex, src.name, src.type, t.kind, t.name, o, shared) : code('NULL');
    const type = code(t.kind === 'decimal' ? 'DECIMAL(38,18)' : t.kind === 'timestamp' ? 'TIMESTAMP' : 'VARCHAR');
    parts.push(sql`CAST(${expr} AS ${type}) AS ${ident(t.name)}`);
  }
  const tagsSrc = byLower.get('tags');
  if (tagsSrc) used.add(tagsSrc.name);
  const tags = tagsExpr(tagsSrc?.name, tagsSrc?.type, shared);
  parts.push(sql`${tags.expr} AS "Tags"`, sql`${tags.fix} AS tl_tags_fix`);
  const extra = cols.filter((c) => !used.has(c.name)).map((c) => c.name);
  const values = extra.map((n) => sql`CAST(${ident(n)} AS VARCHAR)`);
  const names = [...extra];
  if (tagsSrc) {
    names.push('Tags');
    values.push(sql`CASE WHEN ${tags.fix} IS NOT NULL THEN CAST(${ident(tagsSrc.name)} AS VARCHAR) END`);
  }
  parts.push(values.length ? sql`list_value(${join(values, ', ')}) AS tl_extra_values` : code('CAST([] AS VARCHAR[]) AS tl_extra_values'));
  const check = periodCheck(fileIndex, byLower, parts);
  // what the typed SELECT reads from: the file's columns and the shared values
  const from = (source: Sql) => (shared.list.length ? sql`(SELECT *, ${join(shared.list, ', ')} FROM ${source})` : source);
  return { select: join(parts, ',\n  '), extra: names, check, from };
}

/** The charge and billing periods: a period that ends before it starts is refused. */
const PERIODS = [['ChargePeriodStart', 'ChargePeriodEnd'], ['BillingPeriodStart', 'BillingPeriodEnd']] as const;

/** Marks the second column and value a located error carries (to find the row by both): see read-file.ts. */
export const ALSO_MARK = '\u001e';

/**
 * A predicate over the typed SELECT refusing inverted periods, and (pushed onto `parts`) the original text
 * of both ends, which the error carries so that the row can be found by both values.
 */
function periodCheck(fileIndex: number, byLower: Map<string, SourceColumn>, parts: Sql[]): Sql {
  const cases: Sql[] = [];
  for (const [start, end] of PERIODS) {
    const s = byLower.get(start.toLowerCase());
    const e = byLower.get(end.toLowerCase());
    if (!s || !e) continue;
    const rawS = ident(`tl_raw_${start}`);
    const rawE = ident(`tl_raw_${end}`);
    parts.push(sql`CAST(${ident(s.name)} AS VARCHAR) AS ${rawS}`, sql`CAST(${ident(e.name)} AS VARCHAR) AS ${rawE}`);
    const expected = sql`${`a ${end} not before its ${start} (`} || ${rawS} || ')'`;
    cases.push(sql`WHEN ${ident(end)} < ${ident(start)} THEN ${fail(fileIndex, end, expected,
      sql`${rawE} || ${`${ALSO_MARK}${start}${ALSO_MARK}`} || ${rawS}`)}`);
  }
  return cases.length ? sql`CASE ${join(cases, ' ')} ELSE true END` : code('true');
}

/**
 * The precise expectation for a refused value, worked out once it is found (so that the insert's SELECT
 * stays small: DuckDB plans every expression of it for every file): why a date-time or a number is not one.
 */
export async function refineExpected(store: Store, expected: string, value: string): Promise<string> {
  const v = sql`${value}`;
  const problem = expected === EXPECTED.timestamp ? timestampProblem(v) : expected === EXPECTED.decimal ? decimalProblem(v) : null;
  if (!problem) return expected;
  const [r] = await store.query<{ p: string }>(sql`SELECT ${problem} AS p`);
  return r?.p ?? expected;
}
