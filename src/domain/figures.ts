/**
 * The headline figures of a month, each defined once, with the words every view uses for it. Views that
 * show two of them side by side (the invoice and the month's spend, allocated and unallocated) print the
 * bridge between them from these definitions (report/bridge.ts), so the same figure is the same number
 * in the CLI, the dashboard, the CFO pack and Power BI.
 *
 * The chain, per month and currency, to the last digit:
 *   invoice total                      BilledCost of the rows of billing period M (what the invoice says)
 *   - charges of other periods         rows on this invoice whose charge period is not M (corrections)
 *   + charges of M on other invoices   rows charged in M but billed in another billing period
 *   = billed cost of M's charges       BilledCost of the rows with ChargePeriodStart in M
 *   + effective - billed               purchases amortized over their use, commitment discounts applied
 *   + shared costs moved (a scope)     under a scope: what sharing rules spread to it, less its own pools
 *                                      they spread to others (0 without a scope)
 *   = spend                            the cost basis (EffectiveCost by default) of M's charges
 *   = allocated + shared (spread) + shared (not spread) + unallocated
 *   unallocated = no telemetry + telemetry without a feature + untagged + tags without a feature
 */

export interface FigureDefinition {
  /** The words a view prints. */
  label: string;
  /** What it is, for a CFO (and for the docs and the CFO pack's assumptions). */
  definition: string;
}

export const FIGURES = {
  invoice_total: { label: 'invoice total', definition: 'BilledCost of the billing period: what the invoices of the month say' },
  other_periods: {
    label: 'charges of other periods on this invoice',
    definition: 'rows billed in the month whose charge period is another month: corrections of earlier periods, late charges',
  },
  other_invoices: { label: 'charges of the month on other invoices',
    definition: 'rows charged in the month but billed in another billing period' },
  billed_charges: { label: "billed cost of the month's charges",
    definition: 'BilledCost of the rows whose ChargePeriodStart is in the month' },
  amortization: {
    label: 'effective - billed',
    definition: 'EffectiveCost - BilledCost of the month\'s charges: purchases amortized over their use, commitment discounts applied',
  },
  shared_net: {
    label: 'shared costs moved by sharing rules',
    definition: 'under a scope (a team, feature...): shared costs the sharing rules spread to it, less the shared pools of its own ' +
      'resources they spread to others; 0 for the whole ledger',
  },
  spend: { label: 'spend',
    definition: 'the cost basis (EffectiveCost unless --cost billed) of the charges of the month (ChargePeriodStart)' },
  allocated: { label: 'allocated to features', definition: 'spend a feature claims directly: by telemetry tokens or by resource tags' },
  shared_spread: { label: 'shared, spread by sharing rules',
    definition: 'platform and overhead no feature claims, spread over features by a sharing rule' },
  shared_unspread: { label: 'shared, not spread (__shared__)',
    definition: 'platform and overhead no feature claims and no sharing rule spread' },
  unallocated: { label: 'unallocated (__unallocated__)', definition: 'spend nobody can claim; its parts say why' },
  unallocated_no_telemetry: { label: 'no telemetry',
    definition: 'token charges with no telemetry for their day, resource, model and token type' },
  unallocated_no_feature: { label: 'telemetry without a feature', definition: 'token charges whose telemetry names no feature' },
  unallocated_untagged: { label: 'untagged', definition: 'other charges on resources without any allocation tag' },
  unallocated_tags_no_feature: { label: 'tags without a feature', definition: 'other charges on resources tagged, but not with a feature' },
  no_unit_type: { label: 'on features without a unit type',
    definition: 'allocated and shared cost of features no unit type claims (in no cost per unit)' },
} as const satisfies Record<string, FigureDefinition>;

export type FigureName = keyof typeof FIGURES;

/** The headline figures of one month and currency, as exact decimal strings. */
export type MonthFigures = { month: string; currency: string; cost_basis: 'effective' | 'billed' } & Record<FigureName, string>;
