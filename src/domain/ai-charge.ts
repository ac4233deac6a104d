/**
 * The vocabulary of an AI model charge after normalization: what a billing row means in tokens.
 * Pure types shared by normalize, report and (later) allocation.
 */

export const TOKEN_TYPES = ['input', 'output', 'cached_input', 'cache_write'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

export const TIERS = ['standard', 'batch', 'provisioned', 'priority'] as const;
export type Tier = (typeof TIERS)[number];

export const SCOPES = ['global', 'datazone', 'regional'] as const;
export type Scope = (typeof SCOPES)[number];

/** The fields of a billing row that decide what it is (one "meter"): classification runs once per distinct key. */
export interface MeterFacts {
  provider: string | null;
  serviceName: string | null;
  serviceCategory: string | null;
  serviceSubcategory: string | null;
  meterCategory: string | null; // x_SkuMeterCategory
  meterSubcategory: string | null; // x_SkuMeterSubcategory
  meterName: string | null; // x_SkuMeterName
  skuMeter: string | null; // SkuMeter (FOCUS 1.1+)
  skuPriceDetails: string | null; // JSON text
  usageType: string | null; // x_UsageType (AWS)
  pricingUnit: string | null;
  pricingUnitDescription: string | null; // x_PricingUnitDescription
  pricingBlockSize: string | null; // x_PricingBlockSize, decimal text
  consumedUnit: string | null;
}

export interface MeterClassification {
  /** An AI model charge (tokens, PTU hours, other model usage). */
  isAi: boolean;
  /** The row looks like AI (service or meter text) but the rules could not say what it is. */
  unclassified: boolean;
  model: string | null;
  modelVersion: string | null;
  tokenType: TokenType | null;
  tier: Tier | null;
  scope: Scope | null;
  blockSize: bigint;
  /** Which rule(s) decided, for the audit trail, e.g. "skuPriceDetails" or "meter:gpt-4o". */
  ruleId: string | null;
  /** Why it is unclassified, for the `unclassified` report. */
  reason: string | null;
}

/**
 * Normalize a model id: lowercase, spaces and underscores to hyphens, no repeated or trailing hyphens.
 * "GPT 4o Mini" -> "gpt-4o-mini"; "solora-saturn-4.8" stays.
 */
export function normalizeModelId(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
}
