/**
 * The allocation engine: every charge of a period to feature, team, environment and cost center, with
 * the method and basis of each share (OpenCost's vocabulary: what nobody can claim is __unallocated__).
 * The SQL (allocate.sql) is the algorithm; this module fills in the period and cost basis.
 */
import { loadSql } from '../store/db.js';
import { costColumn, fillSql, type ReportOptions } from '../report/options.js';
import { periodWhere } from '../report/period.js';

const SQL = loadSql(import.meta.url, 'allocate.sql');

/** The allocation rows of the period, as a SQL query (one row per billing row and key). */
export function allocationSql(o: Pick<ReportOptions, 'period' | 'costBasis'>): string {
  return fillSql(SQL, {
    COST: costColumn(o.costBasis),
    WHERE: periodWhere(o.period, 'ChargePeriodStart'),
    TEL_WHERE: periodWhere(o.period, 'ts'),
  });
}

/** The dimensions allocation knows, with the column that holds each. */
export const ALLOCATION_DIMENSIONS: Record<string, string> = {
  feature: 'feature',
  team: 'team',
  environment: 'environment',
  'cost-center': 'cost_center',
};
