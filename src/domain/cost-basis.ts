/**
 * The cost basis of a report: EffectiveCost (amortized: purchases spread over their use, commitment
 * discounts applied; the default) or BilledCost (what the invoice charges). FOCUS names the columns; the
 * stored allocation keeps both as billed_cost / effective_cost.
 */
import { UsageError } from './errors.js';

export type CostBasis = 'effective' | 'billed';

export function parseCostBasis(v: string | undefined): CostBasis {
  if (v === undefined || v === 'effective') return 'effective';
  if (v === 'billed') return 'billed';
  throw new UsageError(`--cost ${v}: expected effective or billed`);
}

/** The FOCUS column of the basis. */
export function costColumn(basis: CostBasis): 'BilledCost' | 'EffectiveCost' {
  return basis === 'billed' ? 'BilledCost' : 'EffectiveCost';
}

/** The column of the stored allocation (alloc_rows, alloc_month) that holds the basis. */
export function allocatedCostColumn(basis: CostBasis): 'billed_cost' | 'effective_cost' {
  return basis === 'billed' ? 'billed_cost' : 'effective_cost';
}
