/**
 * The allocation engine: every charge to feature, team, environment and cost center, with the method
 * and basis of each share (OpenCost's vocabulary: what nobody can claim is __unallocated__). The SQL
 * (allocate.sql) is the algorithm; materialize.ts keeps its result in alloc_rows, and reports read that
 * through `allocationSql`.
 */
import { ALLOCATION_METHODS } from '../domain/allocation.js';
import { costColumn, type ReportOptions, periodWhere } from '../report/options.js';

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
  const method = `CASE a.method_code ${ALLOCATION_METHODS.map((m) => `WHEN ${m.code} THEN '${m.label}'`).join(' ')} END`;
  return `SELECT a.*, ${method} AS method, f.path AS tl_source_file, a.${cost} AS allocated_cost, c.Tags FROM alloc_rows a JOIN alloc_charges c USING (charge_key)
    LEFT JOIN ingestion_files f ON f.ingestion_id = a.tl_ingestion_id AND f.part = a.tl_source_part WHERE ${periodWhere(o.period, 'a.day')}`;
}


