/**
 * FOCUS columns with a closed list of values, which reports compare with (ChargeCategory = 'Purchase',
 * ChargeClass = 'Correction') or a reader relies on. ChargeCategory and ChargeClass must be spelt as FOCUS
 * spells them (case matters to every report's filter); the others are accepted in any case (the FOCUS 1.0
 * sample writes "Usage-based"). The ingest refuses anything else; `check` fails on stored rows that hold
 * anything else (a store written before the ingest refused them), and reports are gated on it.
 */
export const FOCUS_ENUMERATIONS: Record<string, { values: string[]; exact: boolean }> = {
  ChargeCategory: { values: ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'], exact: true },
  ChargeClass: { values: ['Correction'], exact: true },
  ChargeFrequency: { values: ['One-Time', 'Recurring', 'Usage-Based'], exact: false },
  PricingCategory: { values: ['Standard', 'Dynamic', 'Committed', 'Other'], exact: false },
  CommitmentDiscountCategory: { values: ['Spend', 'Usage'], exact: false },
  CommitmentDiscountStatus: { values: ['Used', 'Unused'], exact: false },
};

/** What a value of `column` must be, in words. */
export function expectedValues(column: string): string {
  const e = FOCUS_ENUMERATIONS[column]!;
  return `one of ${e.values.join(', ')}${e.exact ? ' (spelt exactly so: FOCUS values are case-sensitive)' : ''}`;
}
