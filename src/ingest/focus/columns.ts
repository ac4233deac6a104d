/**
 * How each column of a FOCUS file lands in billing_rows: typed columns the tool uses (money as
 * DECIMAL(38,18), periods as UTC TIMESTAMP, Tags as a JSON object), and everything else kept as original
 * text in tl_extra_values. Builds the SELECT that reads one file; a value that does not parse raises a DuckDB
 * error() carrying file index, row, column, expectation and value, which ingest turns into an InputError.
 */
import { code, ident, join, sql, type Sql } from '../../store/sql.js';

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
  timestamp: 'a date-time such as 2026-10-01T00:00:00Z or 2026-10-01 00:00:00',
  varchar: 'text',
};

/**
 * SQL raising an error for a bad value of `col`, carrying file index, column, expectation and value (the
 * mark and what it says travel as one parameter). The row is found afterwards (locateBadRow): numbering
 * rows here would serialize the whole scan.
 */
function fail(fileIndex: number, col: string, expected: string, value: Sql): Sql {
  return sql`error(${`${ERROR_MARK}\u001f${fileIndex}\u001f${col}\u001f${expected}\u001f`} || coalesce(${value}, 'NULL'))`;
}

/**
 * VARCHAR -> DECIMAL(38,18), exactly, fast. DuckDB parses text into 128-bit decimals about 70x slower
 * than into 64-bit ones, so plain "-123.456" text is split: the integer part through BIGINT, the
 * fraction through DECIMAL(18,18), added exactly. Any other text (exponents, over 18 digits, signs,
 * spaces) takes DuckDB's own cast, which decides. Both paths agree on every text (columns.test.ts).
 */
export function fastDecimal(v: Sql): Sql {
  return sql`CASE WHEN regexp_full_match(${v}, '-?[0-9]{1,18}(\\.[0-9]{1,18})?') THEN (CASE WHEN starts_with(${v}, '-') THEN -1 ELSE 1 END)
    * (CAST(CAST(ltrim(split_part(${v}, '.', 1), '-') AS BIGINT) AS DECIMAL(38,18))
      + CAST('0.' || split_part(${v}, '.', 2) || '0' AS DECIMAL(18,18)))
    ELSE TRY_CAST(${v} AS DECIMAL(38,18)) END`;
}

function typedExpr(fileIndex: number, srcName: string, srcType: string, kind: TypedKind, target: string): Sql {
  const v = ident(srcName);
  const asText = srcType === 'VARCHAR' ? v : sql`CAST(${v} AS VARCHAR)`;
  const notNull = NOT_NULL.has(target)
    ? sql`WHEN ${v} IS NULL THEN ${fail(fileIndex, target, 'a value (this column is required on every row)', code('NULL'))} `
    : sql`WHEN ${v} IS NULL THEN NULL `;
  switch (kind) {
    case 'decimal': {
      const parsed = srcType === 'VARCHAR' ? fastDecimal(v) : sql`TRY_CAST(${v} AS DECIMAL(38,18))`;
      return sql`CASE ${notNull}ELSE coalesce(${parsed}, ${fail(fileIndex, target, EXPECTED.decimal, asText)}) END`;
    }
    case 'timestamp': {
      const parsed = srcType.startsWith('TIMESTAMP') || srcType === 'DATE'
        ? sql`CAST(timezone('UTC', CAST(${v} AS TIMESTAMPTZ)) AS TIMESTAMP)`
        : sql`coalesce(CAST(timezone('UTC', TRY_CAST(${v} AS TIMESTAMPTZ)) AS TIMESTAMP), try_strptime(${v}, ['%m/%d/%Y %H:%M:%S',
          '%m/%d/%Y']))`;
      return sql`CASE ${notNull}ELSE coalesce(${parsed}, ${fail(fileIndex, target, EXPECTED.timestamp, asText)}) END`;
    }
    case 'varchar':
      return NOT_NULL.has(target) ? sql`CASE ${notNull}ELSE ${asText} END` : asText;
  }
}

/**
 * Tags as a JSON object: JSON text as is; Azure's legacy brace-less `"k": "v", ...` wrapped in braces;
 * MAP/STRUCT (Parquet) converted. Text that is not JSON becomes NULL with its original kept in tl_extra.
 */
function tagsExpr(srcName: string | undefined, srcType: string | undefined): { expr: Sql; fix: Sql } {
  if (srcName === undefined) return { expr: code('NULL::JSON'), fix: code('NULL::VARCHAR') };
  const v = ident(srcName);
  if (srcType !== 'VARCHAR') return { expr: sql`to_json(${v})`, fix: code('NULL::VARCHAR') };
  const asJson = sql`TRY_CAST(${v} AS JSON)`;
  const wrapped = sql`TRY_CAST('{' || ${v} || '}' AS JSON)`;
  const empty = sql`(${v} IS NULL OR trim(${v}) IN ('', '{}'))`;
  return {
    expr: sql`CASE WHEN ${empty} THEN NULL WHEN json_type(${asJson}) = 'OBJECT' THEN ${asJson} WHEN json_type(${wrapped}) = 'OBJECT'
      THEN ${wrapped} END`,
    fix: sql`CASE WHEN ${empty} OR json_type(${asJson}) = 'OBJECT' THEN NULL WHEN json_type(${wrapped}) = 'OBJECT'
      THEN 'TagsWrappedInBraces' ELSE 'TagsNotJson' END`,
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
export function buildSelectList(fileIndex: number, cols: SourceColumn[]): { select: Sql; extra: string[] } {
  const byLower = new Map(cols.map((c) => [c.name.trim().toLowerCase(), c]));
  const used = new Set<string>();
  const parts: Sql[] = [];
  for (const t of TYPED_COLUMNS) {
    const src = byLower.get(t.name.toLowerCase());
    if (src) used.add(src.name);
    const expr = src ? typedExpr(fileIndex, src.name, src.type, t.kind, t.name) : code('NULL');
    const type = code(t.kind === 'decimal' ? 'DECIMAL(38,18)' : t.kind === 'timestamp' ? 'TIMESTAMP' : 'VARCHAR');
    parts.push(sql`CAST(${expr} AS ${type}) AS ${ident(t.name)}`);
  }
  const tagsSrc = byLower.get('tags');
  if (tagsSrc) used.add(tagsSrc.name);
  const tags = tagsExpr(tagsSrc?.name, tagsSrc?.type);
  parts.push(sql`${tags.expr} AS "Tags"`, sql`${tags.fix} AS tl_tags_fix`);
  const extra = cols.filter((c) => !used.has(c.name)).map((c) => c.name);
  const values = extra.map((n) => sql`CAST(${ident(n)} AS VARCHAR)`);
  const names = [...extra];
  if (tagsSrc) {
    names.push('Tags');
    values.push(sql`CASE WHEN ${tags.fix} IS NOT NULL THEN CAST(${ident(tagsSrc.name)} AS VARCHAR) END`);
  }
  parts.push(values.length ? sql`list_value(${join(values, ', ')}) AS tl_extra_values` : code('CAST([] AS VARCHAR[]) AS tl_extra_values'));
  return { select: join(parts, ',\n  '), extra: names };
}
