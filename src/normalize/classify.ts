/**
 * Decide what one meter (a distinct set of billing-row facts) means: AI or not, model, token type, tier,
 * scope and pricing block. Pure: the rules come in compiled, nothing is read from disk. Ingest runs this
 * once per distinct meter, not per row, and joins the answer back in SQL.
 */
import {
  normalizeModelId,
  type MeterClassification,
  type MeterFacts,
  type Scope,
  type Tier,
  type TokenType,
} from '../domain/ai-charge.js';
import { parsePricingBlockSize } from '../domain/pricing-unit.js';
import type { CompiledRules, ServiceField } from './rules-schema.js';

interface PriceDetails {
  ModelId?: unknown;
  ModelVersion?: unknown;
  TokenDirection?: unknown;
  TokenType?: unknown;
  TokenCacheAction?: unknown;
}

function parseDetails(json: string | null): PriceDetails | null {
  if (!json || !json.trim().startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as PriceDetails) : null;
  } catch {
    return null;
  }
}

/** Block size: x_PricingBlockSize, else the number in x_PricingUnitDescription, else in PricingUnit, else 1. */
export function resolveBlockSize(f: MeterFacts): bigint {
  if (f.pricingBlockSize) {
    const n = Number(f.pricingBlockSize);
    if (Number.isFinite(n) && n >= 1 && Number.isInteger(n)) return BigInt(n);
  }
  return parsePricingBlockSize(f.pricingUnitDescription) ?? parsePricingBlockSize(f.pricingUnit) ?? 1n;
}

function fieldValue(f: MeterFacts, field: ServiceField): string | null {
  switch (field) {
    case 'ServiceName': return f.serviceName;
    case 'ServiceCategory': return f.serviceCategory;
    case 'ServiceSubcategory': return f.serviceSubcategory;
    case 'ProviderName': return f.provider;
    case 'x_SkuMeterCategory': return f.meterCategory;
    case 'x_SkuMeterSubcategory': return f.meterSubcategory;
    case 'x_SkuMeterName': return f.meterName;
    case 'SkuMeter': return f.skuMeter;
    case 'x_UsageType': return f.usageType;
    default: {
      const never: never = field;
      throw new Error(`unknown rule field ${String(never)}`);
    }
  }
}

/** The text meter rules look at: meter name, FOCUS SkuMeter, meter subcategory, usage type. */
export function meterText(f: MeterFacts): string {
  return [f.meterName, f.skuMeter, f.meterSubcategory, f.usageType].filter((s) => s && s.trim()).join(' | ');
}

function fillTemplate(template: string, m: RegExpExecArray): string {
  return normalizeModelId(template.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? ''));
}

function tokenTypeFromDetails(d: PriceDetails): TokenType | null {
  const cache = String(d.TokenCacheAction ?? '').toLowerCase();
  if (cache === 'read') return 'cached_input';
  if (cache === 'write') return 'cache_write';
  const dir = String(d.TokenDirection ?? d.TokenType ?? '').toLowerCase();
  if (dir === 'input') return 'input';
  if (dir === 'output') return 'output';
  return null;
}

const firstMatch = <T extends { re: RegExp }>(list: T[], text: string): T | undefined => list.find((r) => r.re.test(text));

/**
 * Classify one meter.
 *
 * 1. Block size from the unit columns (always, AI or not).
 * 2. FOCUS SkuPriceDetails with a ModelId decides model and version; its TokenCacheAction /
 *    TokenDirection / TokenType decide the token type, the meter text is the fallback.
 * 3. Otherwise the row must be in an AI service (aiService rules) or look like AI (aiLooking).
 * 4. A non-token charge rule (PTU hours, cache storage, commitments) classifies it without tokens.
 * 5. A model rule names the model; a token type rule the token type; a token type on a unit that is
 *    clearly not tokens (hours, GB) is refused. Anything missing makes the row unclassified, with why.
 * 6. Tier and scope from their rules; meter-name rows without a scope marker get defaultMeterScope.
 */
export function classifyMeter(f: MeterFacts, rules: CompiledRules): MeterClassification {
  const blockSize = resolveBlockSize(f);
  const text = meterText(f);
  const tier = (): Tier => firstMatch(rules.tiers, text)?.tier ?? rules.defaultTier;
  const scope = (fallback: Scope | null): Scope | null => firstMatch(rules.scopes, text)?.scope ?? fallback;
  const base = { blockSize, unclassified: false, reason: null } as const;
  const units = [f.pricingUnit, f.consumedUnit, f.pricingUnitDescription].filter(Boolean).join(' ');
  const tokenTypeOf = (): TokenType | null => firstMatch(rules.tokenTypes, text)?.type ?? null;

  const details = parseDetails(f.skuPriceDetails);
  if (details && typeof details.ModelId === 'string' && details.ModelId.trim()) {
    const tokenType = tokenTypeFromDetails(details) ?? tokenTypeOf();
    const nonToken = tokenType === null ? firstMatch(rules.nonTokenCharges, text) : undefined;
    return {
      ...base,
      isAi: true,
      model: normalizeModelId(details.ModelId),
      modelVersion: details.ModelVersion == null || details.ModelVersion === '' ? null : String(details.ModelVersion),
      tokenType,
      tier: nonToken?.tier ?? tier(),
      scope: scope(null),
      ruleId: nonToken ? `skuPriceDetails+nonToken:${nonToken.id}` : 'skuPriceDetails',
      unclassified: tokenType === null && !nonToken,
      reason: tokenType === null && !nonToken ? 'SkuPriceDetails names a model but no token direction' : null,
    };
  }

  const inService = rules.aiService.some((r) => {
    const v = fieldValue(f, r.field);
    return v !== null && r.re.test(v);
  });
  const looksAi = rules.aiLooking !== null && text !== '' && rules.aiLooking.test(text);
  const notAi: MeterClassification = {
    ...base, isAi: false, model: null, modelVersion: null, tokenType: null, tier: null, scope: null, ruleId: null,
  };
  if (!inService && !looksAi) return notAi;

  const modelRule = rules.models.map((r) => ({ r, m: r.re.exec(text) })).find((x) => x.m !== null);
  const model = modelRule ? fillTemplate(modelRule.r.id, modelRule.m!) : null;
  const versionMatch = rules.modelVersion?.exec(f.meterName ?? text);
  const modelVersion = versionMatch?.[1] ?? null;

  const nonToken = firstMatch(rules.nonTokenCharges, text);
  if (nonToken && (inService || model)) {
    return {
      ...base, isAi: true, model, modelVersion, tokenType: null, tier: nonToken.tier ?? tier(),
      scope: scope(rules.defaultMeterScope), ruleId: `nonToken:${nonToken.id}`,
    };
  }
  if (!inService && !model) {
    return { ...notAi, unclassified: true, reason: 'looks like AI but is outside the AI services the rules know' };
  }
  if (!model) {
    return { ...notAi, isAi: true, unclassified: true, reason: 'no model rule matched the meter' };
  }
  const tokenType = tokenTypeOf();
  const reason = tokenType === null
    ? 'no token type rule matched the meter'
    : rules.nonTokenUnits !== null && rules.nonTokenUnits.test(units)
      ? `token meter priced in a non-token unit (${units})`
      : null;
  return {
    ...base,
    isAi: true,
    model,
    modelVersion,
    tokenType: reason === null ? tokenType : null,
    tier: tier(),
    scope: scope(rules.defaultMeterScope),
    ruleId: `meter:${modelRule!.r.id}`,
    unclassified: reason !== null,
    reason,
  };
}
