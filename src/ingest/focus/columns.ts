/**
 * How each column of a FOCUS file lands in billing_rows: typed columns the tool uses (money as
 * DECIMAL(38,18), periods as UTC TIMESTAMP, Tags as a JSON object), and everything else kept as original
 * text in tl_extra. Builds the SELECT that reads one file; a value that does not parse raises a DuckDB
 * error() carrying file index, row, column, expectation and value, which ingest turns into an InputError.
 */
import { ident, literal } from '../../store/db.js';

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
export const NOT_NULL = new Set(['BilledCost', 'EffectiveCost', 'BillingCurrency', 'BillingPeriodStart', 'ChargePeriodStart', 'ChargeCategory']);

export const ERROR_MARK = 'TL_BAD_VALUE';

const EXPECTED: Record<TypedKind, string> = {
  decimal: 'a decimal number such as 12.50 or -0.0004',
  timestamp: 'a date-time such as 2026-10-01T00:00:00Z or 2026-10-01 00:00:00',
  varchar: 'text',
};

/** SQL raising a located error for a bad value of `col` (the row number is __tl_row). */
function fail(fileIndex: number, col: string, expected: string, value: string): string {
  return `error(${literal(`${ERROR_MARK}\u001f${fileIndex}\u001f`)} || __tl_row || ${literal(`\u001f${col}\u001f${expected}\u001f`)} || coalesce(${value}, 'NULL'))`;
}

function typedExpr(fileIndex: number, srcName: string, srcType: string, kind: TypedKind, target: string): string {
  const v = ident(srcName);
  const asText = srcType === 'VARCHAR' ? v : `CAST(${v} AS VARCHAR)`;
  const notNull = NOT_NULL.has(target)
    ? `WHEN ${v} IS NULL THEN ${fail(fileIndex, target, 'a value (this column is required on every row)', 'NULL')} `
    : `WHEN ${v} IS NULL THEN NULL `;
  switch (kind) {
    case 'decimal': {
      const parsed = `TRY_CAST(${v} AS DECIMAL(38,18))`;
      return `CASE ${notNull}ELSE coalesce(${parsed}, ${fail(fileIndex, target, EXPECTED.decimal, asText)}) END`;
    }
    case 'timestamp': {
      const parsed = srcType.startsWith('TIMESTAMP') || srcType === 'DATE'
        ? `CAST(timezone('UTC', CAST(${v} AS TIMESTAMPTZ)) AS TIMESTAMP)`
        : `coalesce(CAST(timezone('UTC', TRY_CAST(${v} AS TIMESTAMPTZ)) AS TIMESTAMP), try_strptime(${v}, ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y']))`;
      return `CASE ${notNull}ELSE coalesce(${parsed}, ${fail(fileIndex, target, EXPECTED.timestamp, asText)}) END`;
    }
    case 'varchar':
      return NOT_NULL.has(target) ? `CASE ${notNull}ELSE ${asText} END` : asText;
  }
}

/**
 * Tags as a JSON object: JSON text as is; Azure's legacy brace-less `"k": "v", ...` wrapped in braces;
 * MAP/STRUCT (Parquet) converted. Text that is not JSON becomes NULL with its original kept in tl_extra.
 */
function tagsExpr(srcName: string | undefined, srcType: string | undefined): { expr: string; fix: string } {
  if (srcName === undefined) return { expr: 'NULL::JSON', fix: 'NULL::VARCHAR' };
  const v = ident(srcName);
  if (srcType !== 'VARCHAR') return { expr: `to_json(${v})`, fix: 'NULL::VARCHAR' };
  const t = `trim(${v})`;
  const isObj = `(json_valid(${t}) AND json_type(${t}) = 'OBJECT')`;
  const wrapped = `('{' || ${t} || '}')`;
  const wrappedOk = `(json_valid(${wrapped}) AND json_type(${wrapped}) = 'OBJECT')`;
  return {
    expr: `CASE WHEN ${v} IS NULL OR ${t} IN ('', '{}') THEN NULL WHEN ${isObj} THEN ${t}::JSON WHEN ${wrappedOk} THEN ${wrapped}::JSON ELSE NULL END`,
    fix: `CASE WHEN ${v} IS NULL OR ${t} IN ('', '{}') OR ${isObj} THEN NULL WHEN ${wrappedOk} THEN 'TagsWrappedInBraces' ELSE 'TagsNotJson' END`,
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
 *    tl_extra as original text, so nothing is lost; Tags that needed repair keep their original there too.
 */
export function buildSelectList(fileIndex: number, cols: SourceColumn[]): { select: string; extra: string[] } {
  const byLower = new Map(cols.map((c) => [c.name.trim().toLowerCase(), c]));
  const used = new Set<string>();
  const parts: string[] = [];
  for (const t of TYPED_COLUMNS) {
    const src = byLower.get(t.name.toLowerCase());
    if (src) used.add(src.name);
    const expr = src ? typedExpr(fileIndex, src.name, src.type, t.kind, t.name) : 'NULL';
    const type = t.kind === 'decimal' ? 'DECIMAL(38,18)' : t.kind === 'timestamp' ? 'TIMESTAMP' : 'VARCHAR';
    parts.push(`CAST(${expr} AS ${type}) AS ${ident(t.name)}`);
  }
  const tagsSrc = byLower.get('tags');
  if (tagsSrc) used.add(tagsSrc.name);
  const tags = tagsExpr(tagsSrc?.name, tagsSrc?.type);
  parts.push(`${tags.expr} AS "Tags"`, `${tags.fix} AS tl_tags_fix`);
  const extra = cols.filter((c) => !used.has(c.name)).map((c) => c.name);
  const extraPairs = extra.map((n) => `${literal(n)}, ${ident(n)}`);
  if (tagsSrc) extraPairs.push(`'Tags', CASE WHEN ${tags.fix} IS NOT NULL THEN CAST(${ident(tagsSrc.name)} AS VARCHAR) END`);
  parts.push(extraPairs.length ? `json_object(${extraPairs.join(', ')}) AS tl_extra` : `NULL::JSON AS tl_extra`);
  return { select: parts.join(',\n  '), extra };
}
