/**
 * Classifies meters with the AI meter rules and stores the answers in the table meters, once per meter:
 * the new meters of an ingestion, and all stored meters when the rules changed since they were
 * classified. Rules run in JS (they are regular expressions kept as data), never per billing row.
 */
import type { MeterFacts } from '../../domain/ai-charge.js';
import { classifyMeter } from '../../normalize/classify.js';
import type { CompiledRules } from '../../normalize/rules-schema.js';
import { loadSql, type Store } from '../../store/db.js';
import { fill, sql, value } from '../../store/sql.js';

const TO_CLASSIFY = loadSql(import.meta.url, 'meters-to-classify.sql');

export type MeterRow = Record<string, string | null>;

const SHAPE = JSON.stringify([{
  meter_key: 'VARCHAR', provider: 'VARCHAR', ServiceName: 'VARCHAR', ServiceCategory: 'VARCHAR', ServiceSubcategory: 'VARCHAR',
  x_SkuMeterCategory: 'VARCHAR', x_SkuMeterSubcategory: 'VARCHAR', x_SkuMeterName: 'VARCHAR', SkuMeter: 'VARCHAR',
  SkuPriceDetails: 'VARCHAR', x_UsageType: 'VARCHAR', PricingUnit: 'VARCHAR', x_PricingUnitDescription: 'VARCHAR',
  x_PricingBlockSize: 'VARCHAR', ConsumedUnit: 'VARCHAR',
  is_ai: 'BOOLEAN', unclassified: 'BOOLEAN', reason: 'VARCHAR', model: 'VARCHAR', model_version: 'VARCHAR',
  token_type: 'VARCHAR', tier: 'VARCHAR', scope: 'VARCHAR', rule_id: 'VARCHAR', block_size: 'BIGINT',
}]);

const FACT_COLUMNS = ['provider', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory', 'x_SkuMeterCategory', 'x_SkuMeterSubcategory',
  'x_SkuMeterName', 'SkuMeter', 'SkuPriceDetails', 'x_UsageType', 'PricingUnit', 'x_PricingUnitDescription', 'x_PricingBlockSize',
  'ConsumedUnit'];

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

/**
 * Classify what needs it (see meters-to-classify.sql) and upsert into meters. Returns the meter keys
 * (re)classified: the rollup of their rows is re-summed by the caller (store/rollup.ts).
 */
export async function classifyMeters(store: Store, ingestionId: string, rules: CompiledRules, at: string): Promise<string[]> {
  const rows = await store.query<MeterRow>(fill(TO_CLASSIFY, { ID: value(ingestionId), DIGEST: value(rules.digest) }));
  if (!rows.length) return [];
  const classified = rows.map((r) => {
    const c = classifyMeter(factsOf(r), rules);
    return {
      meter_key: r.tl_meter_key, ...Object.fromEntries(FACT_COLUMNS.map((k) => [k, r[k] ?? null])),
      is_ai: c.isAi, unclassified: c.unclassified, reason: c.reason, model: c.model, model_version: c.modelVersion,
      token_type: c.tokenType, tier: c.tier, scope: c.scope, rule_id: c.ruleId, block_size: Number(c.blockSize),
    };
  });
  await store.query(sql`INSERT OR REPLACE INTO meters BY NAME
     SELECT * REPLACE (CAST(meter_key AS UBIGINT) AS meter_key), ${rules.digest} AS rules_digest, CAST(${at} AS TIMESTAMP) AS classified_at
     FROM (SELECT unnest(from_json(${JSON.stringify(classified)}, ${SHAPE}), recursive := true))`);
  return rows.map((r) => String(r.tl_meter_key));
}
