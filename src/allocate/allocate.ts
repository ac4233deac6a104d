/**
 * The allocation engine: every charge to feature, team, environment and cost center, with the method
 * and basis of each share (OpenCost's vocabulary: what nobody can claim is __unallocated__). The SQL
 * (allocate.sql) is the algorithm; materialize.ts keeps its result in alloc_rows, and reports read that
 * through `allocationSql`.
 */
import { costColumn, type ReportOptions } from '../report/options.js';
import { periodWhere } from '../report/period.js';

/**
 * What a charge is, as one 64-bit key: the facts cost-class and sharing rules match on (alloc_charges).
 * An expression over the `charges` view.
 */
export const CHARGE_KEY = `hash(ChargeCategory, ServiceName, ServiceCategory, x_SkuMeterCategory, x_SkuMeterSubcategory, x_SkuMeterName,
         lower(ResourceId), ResourceName, tl_is_ai, tl_token_type, CAST(Tags AS VARCHAR))`;

/**
 * The allocation rows of the period (one per billing row and key), read from the materialized
 * alloc_rows: allocated_cost in the asked cost basis, and the charge's Tags. Call ensureAllocation first.
 */
export function allocationSql(o: Pick<ReportOptions, 'period' | 'costBasis'>): string {
  const cost = costColumn(o.costBasis) === 'BilledCost' ? 'billed_cost' : 'effective_cost';
  const method = `CASE a.method_code ${Object.entries(METHODS).map(([code, text]) => `WHEN ${code} THEN '${text}'`).join(' ')} END`;
  return `SELECT a.*, ${method} AS method, f.path AS tl_source_file, a.${cost} AS allocated_cost, c.Tags FROM alloc_rows a JOIN alloc_charges c USING (charge_key)
    LEFT JOIN ingestion_files f ON f.ingestion_id = a.tl_ingestion_id AND f.part = a.tl_source_part WHERE ${periodWhere(o.period, 'a.day')}`;
}

/** How a share was allocated, by alloc_rows.method_code (a code: a text on tens of millions of shares cost seconds). */
export const METHODS: Record<number, string> = {
  0: 'none',
  1: 'telemetry day+resource+model+token_type',
  2: 'telemetry day+resource+token_type',
  3: 'telemetry day+model+token_type',
  4: 'telemetry day+resource+model+token_type (prompt tokens without cache split)',
  5: 'telemetry day+resource+token_type (prompt tokens without cache split)',
  6: 'telemetry day+model+token_type (prompt tokens without cache split)',
  9: 'tags',
};

/** The dimensions allocation knows, with the column that holds each. */
export const ALLOCATION_DIMENSIONS: Record<string, string> = {
  feature: 'feature',
  team: 'team',
  environment: 'environment',
  'cost-center': 'cost_center',
};
