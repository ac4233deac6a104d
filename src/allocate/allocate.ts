/**
 * The allocation engine: every charge to feature, team, environment and cost center, with the method
 * and basis of each share (OpenCost's vocabulary: what nobody can claim is __unallocated__). The SQL
 * (allocate.sql) is the algorithm; materialize.ts keeps its result in alloc_rows, and reports read that
 * through `allocationSql`.
 */
import { ALLOCATION_METHODS } from '../domain/allocation.js';
import { allocatedCostColumn, type CostBasis } from '../domain/cost-basis.js';
import type { Period } from '../domain/period.js';
import { code, inPeriod, join, sql, type Sql } from '../store/sql.js';

/**
 * What a charge is, as one 64-bit key: the facts cost-class and sharing rules match on (alloc_charges).
 * An expression over the `charges` view.
 */
export const CHARGE_KEY = `hash(ChargeCategory, ServiceName, ServiceCategory, x_SkuMeterCategory, x_SkuMeterSubcategory, x_SkuMeterName,
         lower(ResourceId), ResourceName, tl_is_ai, tl_token_type, CAST(Tags AS VARCHAR))`;

/** The words of each allocation method (domain/allocation.ts), as a CASE over a method code column. */
export function methodLabelSql(column: string): Sql {
  return sql`CASE ${code(column)} ${join(ALLOCATION_METHODS.map((m) => sql`WHEN ${code(String(m.code))} THEN ${m.label}`), ' ')} END`;
}

/**
 * The allocation rows of the period (one per billing row and key), read from the materialized
 * alloc_rows: allocated_cost in the asked cost basis and the method in words; with `tags`, the charge's Tags
 * (a join of every share to alloc_charges, paid only by who reads them).
 */
export function allocationSql(o: { period: Period; costBasis: CostBasis }, opts: { tags?: boolean } = {}): Sql {
  const cost = code(allocatedCostColumn(o.costBasis));
  const tags = opts.tags ? code(', c.Tags') : code('');
  const charges = opts.tags ? code(' JOIN alloc_charges c USING (charge_key)') : code('');
  return sql`SELECT a.*, ${methodLabelSql('a.method_code')} AS method, a.${cost} AS allocated_cost${tags}
    FROM alloc_rows a${charges}
      WHERE ${inPeriod(code('a.day'), o.period)}`;
}
