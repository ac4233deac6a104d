/**
 * Classifies the distinct meters found by the pre-scan with the AI meter rules and leaves the answers in
 * a temp table tl_meter (one row per meter key) for finalize.sql to join. Rules run in JS, once per meter.
 */
import type { MeterFacts } from '../../domain/ai-charge.js';
import { classifyMeter } from '../../normalize/classify.js';
import type { CompiledRules } from '../../normalize/rules-schema.js';
import type { Store } from '../../store/db.js';

export type MeterRow = Record<string, string | null>;

const SHAPE = JSON.stringify([{
  meter_key: 'VARCHAR', is_ai: 'BOOLEAN', unclassified: 'BOOLEAN', reason: 'VARCHAR', model: 'VARCHAR',
  model_version: 'VARCHAR', token_type: 'VARCHAR', tier: 'VARCHAR', scope: 'VARCHAR', rule_id: 'VARCHAR',
  block_size: 'BIGINT',
}]);

export function factsOf(r: MeterRow): MeterFacts {
  return {
    provider: r.provider ?? null,
    serviceName: r.ServiceName ?? null,
    serviceCategory: r.ServiceCategory ?? null,
    serviceSubcategory: r.ServiceSubcategory ?? null,
    meterCategory: r.x_SkuMeterCategory ?? null,
    meterSubcategory: r.x_SkuMeterSubcategory ?? null,
    meterName: r.x_SkuMeterName ?? null,
    skuMeter: r.SkuMeter ?? null,
    skuPriceDetails: r.SkuPriceDetails ?? null,
    usageType: r.x_UsageType ?? null,
    pricingUnit: r.PricingUnit ?? null,
    pricingUnitDescription: r.x_PricingUnitDescription ?? null,
    pricingBlockSize: r.x_PricingBlockSize ?? null,
    consumedUnit: r.ConsumedUnit ?? null,
  };
}

export async function classifyMeters(store: Store, meters: MeterRow[], rules: CompiledRules): Promise<number> {
  const unique = new Map(meters.map((m) => [m.tl_meter_key, m]));
  const classified = [...unique.values()].map((r) => {
    const c = classifyMeter(factsOf(r), rules);
    return {
      meter_key: r.tl_meter_key, is_ai: c.isAi, unclassified: c.unclassified, reason: c.reason, model: c.model,
      model_version: c.modelVersion, token_type: c.tokenType, tier: c.tier, scope: c.scope, rule_id: c.ruleId,
      block_size: Number(c.blockSize),
    };
  });
  await store.query(
    `CREATE OR REPLACE TEMP TABLE tl_meter AS SELECT * REPLACE (CAST(meter_key AS UBIGINT) AS meter_key)
     FROM (SELECT unnest(from_json($j, '${SHAPE}'), recursive := true))`,
    { j: JSON.stringify(classified) },
  );
  return unique.size;
}
