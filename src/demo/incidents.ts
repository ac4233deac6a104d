/**
 * The incidents the demo injects into its last month, on top of normal traffic, so that `report anomalies`
 * has something true to find (and its tests know what): a two-day retry storm on support-copilot, a slow
 * context-window creep on agent-assist, a model swap on lead-scoring that raises cost per token, and the
 * telemetry gap of telemetry.ts (MISSING_TELEMETRY). Billing rows are changed after their quantities are
 * drawn, and retried requests take their IDs from a stream of their own, so the rest of the demo's random
 * numbers stay as they were.
 *
 * 1. Retry storm (days 14-15): every support-copilot request is sent three times: its tokens x 3, the
 *    same tickets (intensity per unit; volume per request).
 * 2. Context creep (from day 6): agent-assist's input tokens grow 4 % a day (about +100 % by day 30).
 * 3. Model swap (from day 20): lead-scoring moves from gpt-5-mini to gpt-5: the same tokens at 5x the price.
 */
import { divideByPowerOfTen, multiplyDecimals } from '../domain/decimal.js';
import { RESOURCES, type Meter, type Resource } from './catalog.js';
import type { DemoRow } from './generate.js';
import { Rng } from './rng.js';

export const INCIDENTS = {
  retryStorm: { resource: 'aoai-support-prod', feature: 'support-copilot', days: [14, 15], factor: 3 },
  contextCreep: { resource: 'aoai-support-prod', feature: 'agent-assist', fromDay: 6, perDay: 0.04, model: 'gpt-4o' },
  modelSwap: { resource: 'aoai-sales-prod', feature: 'lead-scoring', fromDay: 20, from: 'gpt-5-mini', to: 'gpt-5' },
} as const;

const resource = (name: string) => RESOURCES.find((r) => r.name === name)!;

/** The gpt-5 meter of the same token type, for the model swap (the meters aoai-dev already uses). */
function swapMeter(m: Meter): Meter | undefined {
  if (m.model !== INCIDENTS.modelSwap.from) return undefined;
  const target = resource('aoai-dev').meters.find((x) => x.model === INCIDENTS.modelSwap.to && x.tokenType === m.tokenType);
  return target ? { ...target, daily: m.daily } : undefined;
}

/** Per feature and token kind, how much more than normal it uses on day `d` of the last month (1 = normal). */
export function featureFactor(resourceName: string, feature: string, model: string, tokenType: string, d: number): number {
  const s = INCIDENTS.retryStorm;
  if (resourceName === s.resource && feature === s.feature && (s.days as readonly number[]).includes(d)) return s.factor;
  const c = INCIDENTS.contextCreep;
  if (resourceName === c.resource && feature === c.feature && model === c.model && tokenType !== 'output' && d >= c.fromDay) {
    return 1 + c.perDay * (d - c.fromDay + 1);
  }
  return 1;
}

/** A resource's token quantity factor on a day: its features' shares weighted by their factors. */
function resourceFactor(r: Resource, m: Meter, d: number): number {
  const features = r.features ?? [];
  if (!features.length || !m.tokenType || !m.model) return 1;
  return features.reduce((a, f) => a + f.share * featureFactor(r.name, f.feature, m.model!, m.tokenType!, d), 0)
    / features.reduce((a, f) => a + f.share, 0);
}

/** The row with `tokens` tokens on meter `m` (token meters: list price, no discount, no reservation). */
function repriced(row: DemoRow, m: Meter, tokens: bigint): DemoRow {
  const pricing = divideByPowerOfTen(tokens, Math.log10(m.block));
  const cost = multiplyDecimals(m.listPrice, pricing);
  return {
    ...row, x_SkuMeterName: m.name, SkuMeter: m.name, x_SkuDescription: m.name, ChargeDescription: `${m.name} - ${row.ServiceName}`,
    ConsumedQuantity: m.consumedInBlocks ? pricing : tokens.toString(), PricingQuantity: pricing, ListUnitPrice: m.listPrice,
    ContractedUnitPrice: m.listPrice, x_BilledUnitPrice: m.listPrice, x_EffectiveUnitPrice: m.listPrice,
    ListCost: cost, ContractedCost: cost, BilledCost: cost, EffectiveCost: cost, x_ListCostInUsd: cost, x_ContractedCostInUsd: cost,
    x_BilledCostInUsd: cost, x_EffectiveCostInUsd: cost,
  };
}

/** A usage row of the last month as the incidents change it (other rows as they are). */
export function withIncidents(row: DemoRow, last: boolean, d: number, r: Resource, m: Meter): DemoRow {
  if (!last || !m.tokenType || m.reserved) return row;
  const tokens = BigInt(Math.round(Number(row.PricingQuantity) * m.block));
  const factor = resourceFactor(r, m, d);
  const swap = r.name === INCIDENTS.modelSwap.resource && d >= INCIDENTS.modelSwap.fromDay ? swapMeter(m) : undefined;
  if (factor === 1 && !swap) return row;
  return repriced(row, swap ?? m, factor === 1 ? tokens : BigInt(Math.round(Number(tokens) * factor)));
}

/** How many times each request of a feature is sent on day `d` of the last month (the retry storm). */
export function copiesOf(resourceName: string, feature: string, d: number): number {
  const s = INCIDENTS.retryStorm;
  return resourceName === s.resource && feature === s.feature && (s.days as readonly number[]).includes(d) ? s.factor : 1;
}

/** The demo resource a billing row is on (clones are named <name>-<n>). */
export function resourceOfRow(resourceId: string): Resource | undefined {
  return RESOURCES.find((r) => resourceId.endsWith(`/${r.name}`) || new RegExp(`/${r.name}-\\d+$`).test(resourceId));
}

/** The incidents' own random stream (retried requests' IDs), apart from the demo's. */
export function incidentRng(seed: number, monthIndex: number): Rng {
  return new Rng(seed * 4099 + monthIndex);
}
