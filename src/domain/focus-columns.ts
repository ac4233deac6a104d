/**
 * FOCUS column sets per specification version, and version detection from the columns a file has.
 * Column counts: 1.0 = 43, 1.1 = 50, 1.2 = 57, 1.3 = 65 (each version adds to the one before).
 * Microsoft's "1.2-preview" export has the 1.2 additions except the three PricingCurrency* price columns,
 * plus its own x_ columns.
 */

export const FOCUS_1_0 = [
  'AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency',
  'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargeClass', 'ChargeDescription',
  'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart', 'CommitmentDiscountCategory',
  'CommitmentDiscountId', 'CommitmentDiscountName', 'CommitmentDiscountStatus', 'CommitmentDiscountType',
  'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost',
  'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory', 'PricingQuantity', 'PricingUnit',
  'ProviderName', 'PublisherName', 'RegionId', 'RegionName', 'ResourceId', 'ResourceName', 'ResourceType',
  'ServiceCategory', 'ServiceName', 'SkuId', 'SkuPriceId', 'SubAccountId', 'SubAccountName', 'Tags',
] as const;

export const ADDED_IN_1_1 = [
  'CapacityReservationId', 'CapacityReservationStatus', 'CommitmentDiscountQuantity',
  'CommitmentDiscountUnit', 'ServiceSubcategory', 'SkuMeter', 'SkuPriceDetails',
] as const;

export const ADDED_IN_1_2 = [
  'BillingAccountType', 'SubAccountType', 'InvoiceId', 'PricingCurrency',
  'PricingCurrencyContractedUnitPrice', 'PricingCurrencyEffectiveCost', 'PricingCurrencyListUnitPrice',
] as const;

export const ADDED_IN_1_3 = [
  'ServiceProviderName', 'HostProviderName', 'AllocatedMethodId', 'AllocatedMethodDetails',
  'AllocatedResourceId', 'AllocatedResourceName', 'AllocatedTags', 'ContractApplied',
] as const;

export type FocusVersion = '1.0' | '1.1' | '1.2' | '1.2-preview' | '1.3';

export const FOCUS_COLUMNS: Record<Exclude<FocusVersion, '1.2-preview'>, readonly string[]> = {
  '1.0': FOCUS_1_0,
  '1.1': [...FOCUS_1_0, ...ADDED_IN_1_1],
  '1.2': [...FOCUS_1_0, ...ADDED_IN_1_1, ...ADDED_IN_1_2],
  '1.3': [...FOCUS_1_0, ...ADDED_IN_1_1, ...ADDED_IN_1_2, ...ADDED_IN_1_3],
};

const PRICING_CURRENCY_PRICES = ['PricingCurrencyContractedUnitPrice', 'PricingCurrencyEffectiveCost', 'PricingCurrencyListUnitPrice'];

/**
 * The columns tokenledger itself cannot work without. The spec's own mandatory set differs per version
 * and is checked by `tokenledger check`; ingest refuses only what it could not account for.
 */
export const REQUIRED_FOR_INGEST = [
  'BilledCost', 'EffectiveCost', 'BillingCurrency', 'BillingAccountId', 'BillingPeriodStart',
  'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd', 'ChargeCategory',
] as const;

/**
 * Detect the FOCUS version from a file's columns (case-insensitive).
 * 1. Any column added in 1.3 means 1.3.
 * 2. Any column added in 1.2: 1.2, or Microsoft's 1.2-preview when the PricingCurrency* prices are absent
 *    and the file carries x_ columns.
 * 3. Any column added in 1.1 means 1.1; otherwise 1.0.
 */
export function detectFocusVersion(columns: readonly string[]): FocusVersion {
  const have = new Set(columns.map((c) => c.toLowerCase()));
  const any = (list: readonly string[]) => list.some((c) => have.has(c.toLowerCase()));
  if (any(ADDED_IN_1_3)) return '1.3';
  if (any(ADDED_IN_1_2)) {
    const hasX = columns.some((c) => c.startsWith('x_'));
    return !any(PRICING_CURRENCY_PRICES) && hasX ? '1.2-preview' : '1.2';
  }
  if (any(ADDED_IN_1_1)) return '1.1';
  return '1.0';
}

/** Spec columns of `version` that the file lacks (1.2-preview is compared with 1.2 minus the price columns). */
export function missingSpecColumns(columns: readonly string[], version: FocusVersion): string[] {
  const have = new Set(columns.map((c) => c.toLowerCase()));
  const spec = version === '1.2-preview'
    ? FOCUS_COLUMNS['1.2'].filter((c) => !PRICING_CURRENCY_PRICES.includes(c))
    : FOCUS_COLUMNS[version];
  return spec.filter((c) => !have.has(c.toLowerCase()));
}

/**
 * Columns the FOCUS specification says MUST be present ("The X column MUST be present in a FOCUS
 * dataset"), per version. 1.3 makes ServiceProviderName and HostProviderName mandatory and deprecates
 * ProviderName and PublisherName. ChargeFrequency is RECOMMENDED; the others are conditional.
 */
const MANDATORY_1_0 = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargePeriodEnd', 'ChargePeriodStart', 'ContractedCost',
  'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName',
  'ServiceCategory', 'ServiceName',
] as const;

export function mandatoryColumns(version: FocusVersion): string[] {
  if (version !== '1.3') return [...MANDATORY_1_0];
  return [...MANDATORY_1_0.filter((c) => c !== 'ProviderName' && c !== 'PublisherName'), 'ServiceProviderName', 'HostProviderName'];
}
