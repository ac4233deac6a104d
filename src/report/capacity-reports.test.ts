/**
 * Hand-computed scenarios of the four capacity reports on one small company (fixture topology below), and
 * their goldens in table / json / csv.
 *
 *   subscription S, eastus2                          values                          expected
 *   compute usages (Oct 31)  standardNDSH100v5Family  96 / 100 vCPUs                   headroom 4, 96 %, near the limit
 *                            standardNCADSA100v4Family 24 / 48                          limit replaced by the later file
 *   Microsoft.Quota limits   StandardNCADSA100V4Family limit 64 (Nov 1 00:30)        headroom 40 (case-variant name, latest limit)
 *   reservation r1           Standard_NC24ads_A100_v4 x 3                             72 reserved vCPUs > 64: reserved but no quota
 *     Oct 1 00:00 1 VM, Oct 11 00:00 3 VMs, Oct 21 12:00 2 VMs                       idle slot-s 2 x 864,000 + 0 + 1 x 907,200
 *                                                                                     = 2,635,200 s = 732 slot-h
 *   VM usage rows NC24ads A100 v4 eastus2 at contracted 3.48935 / h                  unused: 732 x 3.48935 = 2,554.2042
 *   vm-gpu-a on Oct 5: 24 h, 83.7444; samples 10 h busy (0.9), 6 h held at 0.01,     busy 34.8935, held idle 20.9361,
 *     6 h no pod, 2 h no sample                                                       unallocated 20.9361, unmeasured 6.9787
 *   westus3 (az CLI, no subscription)  Standard NCASv3_T4 Family 8 / 24              subscription unknown, kept
 *   deployment chat-4o GlobalStandard 100 units, quota 120 (thousands)               held 83.33 %, tpm max 98,000: headroom 2,000
 *     10 minutes, 20 of 725 requests 429 in 3 minutes                                 429: 2.76 % of requests, 30 % of minutes; high
 *   telemetry naming vm-gpu-b (Oct 6-7, 2 x 83.7444): 7,000,000 tokens               self-hosted: 23.926971 per 1M tokens
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../app/report.js';
import { ingestCapacity } from '../ingest/capacity/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { expectGolden } from '../test-support/golden.js';
import { reportOf } from '../test-support/ledger.js';
import { FORMATS } from './render.js';

const S = '3f2b8c4d-1111-4e8f-9a61-0e1f2a3b4c5d';
const GOLDEN = join(import.meta.dirname, '__golden__');
let store: Store;
let dir: string;

const usages = (rows: [string, number, number][]) => JSON.stringify({
  value: rows.map(([name, used, limit]) => ({ name: { value: name, localizedValue: `${name} vCPUs` }, currentValue: used, limit,
    unit: 'Count' })),
  nextLink: `https://management.azure.com/subscriptions/${S}/providers/Microsoft.Compute/locations/eastus2/usages?api-version=2024-07-01`,
}, null, 1);
const reservation = (allocated: number) => JSON.stringify({ value: [{
  name: 'r1', location: 'eastus2', sku: { name: 'Standard_NC24ads_A100_v4', capacity: 3 },
  id: `/subscriptions/${S}/resourceGroups/rg/providers/Microsoft.Compute/capacityReservationGroups/crg/capacityReservations/r1`,
  properties: { instanceView: { utilizationInfo: { currentCapacity: 3,
    virtualMachinesAllocated: Array.from({ length: allocated }, (_, i) => ({ id: `/subscriptions/${S}/x/virtualMachines/vm${i}` })) } } },
}] }, null, 1);
const hour = (h: number) => Date.UTC(2026, 9, 5, h) / 1000;
const series = (labels: Record<string, string>, points: [number, string][]) =>
  ({ metric: { __name__: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', Hostname: 'vm-gpu-a', gpu: '0', UUID: 'GPU-a', ...labels }, values: points });
const range = (from: number, to: number, v: string): [number, string][] => Array.from({ length: to - from }, (_, i) => [hour(from + i), v]);
const monitor = (metric: string, perMinute: [string | null, number[]][]) => JSON.stringify({ value: [{
  id: `/subscriptions/${S}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-eus2/providers/Microsoft.Insights/metrics/`
    + metric,
  name: { value: metric }, unit: 'Count',
  timeseries: perMinute.map(([status, values]) => ({
    metadatavalues: [{ name: { value: 'modeldeploymentname' }, value: 'chat-4o' },
      ...(status ? [{ name: { value: 'statuscode' }, value: status }] : [])],
    data: values.map((total, i) => ({ timeStamp: new Date(Date.UTC(2026, 9, 7, 14, i)).toISOString(), total })) })),
}], resourceregion: 'eastus2' }, null, 1);
const vmRow = (day: string, hours: string, cost: string, resource = 'vm-gpu-a') => ({
  ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterSubcategory: 'NCadsA100v4 Series',
  x_SkuMeterName: 'NC24ads A100 v4', ConsumedUnit: 'Hours', PricingUnit: '1 Hour', ConsumedQuantity: hours, PricingQuantity: hours,
  ListUnitPrice: '3.673', ContractedUnitPrice: '3.48935', BilledCost: cost, EffectiveCost: cost, RegionId: 'eastus2',
  ResourceId: `/subscriptions/${S}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/${resource}`, ResourceName: resource,
  ChargePeriodStart: `${day}T00:00:00Z`, ChargePeriodEnd: `${day}T23:59:59Z`,
});

beforeAll(async () => {
  dir = tempDir('tl-capacity-');
  store = await Store.open(':memory:');
  const cols = ['BilledCost', 'EffectiveCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd',
    'ChargePeriodStart', 'ChargePeriodEnd', 'ChargeCategory', 'ProviderName', 'ServiceName', 'ResourceId', 'ResourceName', 'RegionId',
    'ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit', 'ListUnitPrice', 'ContractedUnitPrice', 'x_SkuMeterCategory',
    'x_SkuMeterSubcategory', 'x_SkuMeterName'];
  await ingestFocus(store, [writeFixture(dir, 'billing.csv', focusCsv([vmRow('2026-10-05', '24', '83.7444'),
    vmRow('2026-10-06', '24', '83.7444', 'vm-gpu-b'), vmRow('2026-10-07', '24', '83.7444', 'vm-gpu-b')], cols))],
  { rules: loadRules(), clock: () => new Date('2026-11-05T08:00:00Z') });
  const snap = (name: string, text: string, asOf: string, o: { region?: string; subscription?: string } = {}) =>
    ingestCapacity(store, [writeFixture(dir, name, text)], { asOf, ...o, clock: () => new Date('2026-11-05T08:00:00Z') });
  await snap('usages.json', usages([['cores', 180, 350], ['standardNDSH100v5Family', 96, 100], ['standardNCADSA100v4Family', 24, 48]]),
    '2026-10-31T23:00:00Z');
  await snap('az-usage.json', JSON.stringify([{ currentValue: '8', limit: '24', localName: 'Standard NCASv3_T4 Family vCPUs',
    name: { value: 'Standard NCASv3_T4 Family', localizedValue: 'Standard NCASv3_T4 Family vCPUs' } }]), '2026-10-31T23:00:00Z',
  { region: 'westus3' });
  await snap('limits.json', JSON.stringify({ value: [{ type: 'Microsoft.Quota/Quotas', name: 'StandardNCADSA100V4Family',
    id: `/subscriptions/${S}/providers/Microsoft.Compute/locations/eastus2/providers/Microsoft.Quota/quotas/StandardNCADSA100V4Family`,
    properties: { limit: { limitObjectType: 'LimitValue', value: 64 }, name: { value: 'StandardNCADSA100V4Family' },
      isQuotaApplicable: true } }] }),
  '2026-10-31T23:30:00Z');
  await snap('crg-1.json', reservation(1), '2026-10-01T00:00:00Z');
  await snap('crg-2.json', reservation(3), '2026-10-11T00:00:00Z');
  await snap('crg-3.json', reservation(2), '2026-10-21T12:00:00Z');
  await snap('dcgm.json', JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [
    series({ pod: 'train-1', namespace: 'ml' }, [...range(0, 10, '0.9'), ...range(10, 16, '0.01')]),
    series({}, range(16, 22, '0')),
  ] } }), '2026-10-05T23:00:00Z');
  await snap('aoai-usages.json', JSON.stringify({ value: [
    { name: { value: 'OpenAI.GlobalStandard.gpt-4o', localizedValue: 'Tokens Per Minute (thousands) - GPT-4o' }, currentValue: 100,
      limit: 120 },
    { name: { value: 'OpenAI.Standard.gpt-4o-mini', localizedValue: 'Tokens Per Minute (thousands) - GPT-4o-mini' }, currentValue: 0,
      limit: 50 }] }),
  '2026-10-31T23:00:00Z', { subscription: S, region: 'eastus2' });
  await snap('model-capacities.json', JSON.stringify({ value: [{ location: 'eastus2',
    properties: { model: { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' }, skuName: 'Standard',
      availableCapacity: 0 } }] }),
  '2026-10-31T23:00:00Z', { subscription: S });
  await snap('deployments.json', JSON.stringify({ value: [{ name: 'chat-4o', sku: { name: 'GlobalStandard', capacity: 100 },
    id: `/subscriptions/${S}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-eus2/deployments/chat-4o`,
    properties: { model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' } } }] }), '2026-10-31T23:00:00Z',
      { region: 'eastus2' });
  await snap('requests.json', monitor('AzureOpenAIRequests', [['200', [50, 60, 55, 70, 65, 80, 90, 100, 95, 40]],
    ['429', [0, 0, 0, 0, 0, 0, 5, 10, 5, 0]]]), '2026-10-31T23:00:00Z');
  await snap('tokens.json', monitor('TokenTransaction', [[null, [50000, 60000, 55000, 70000, 65000, 80000, 90000, 98000, 95000, 40000]]]),
    '2026-10-31T23:00:00Z');
  // vm-gpu-b serves a self-hosted model: 7,000,000 tokens in October that name it (and one record that names an AOAI account)
  const vmB = `/subscriptions/${S}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-gpu-b`;
  const use = (day: string, resource: string, model: string, prompt: number, completion: number) => JSON.stringify({
    timestamp: `2026-10-${day}T12:00:00Z`, model, resource_id: resource, usage: { prompt_tokens: prompt, completion_tokens: completion } });
  await ingestTelemetry(store, [writeFixture(dir, 'selfhosted.jsonl', [use('06', vmB, 'llama-3.1-8b', 4_000_000, 1_000_000),
    use('07', vmB, 'llama-3.1-8b', 1_500_000, 500_000),
    use('07', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-eus2', 'gpt-4o', 1000, 100)]
    .join('\n') + '\n')], { clock: () => new Date('2026-11-05T08:00:00Z') });
});
afterAll(() => store.close());

const pick = (row: Record<string, unknown> | undefined, keys: string[]) => Object.fromEntries(keys.map((k) => [k, row?.[k] ?? null]));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

describe('report quota: headroom per family, names matched whatever their case', () => {
  it('GPU families first, the later limit of a case-variant name, reservations beside quota', async () => {
    const r = await reportOf(store, 'quota', { month: '2026-10' });
    const gpu = r.rows.filter((x) => x.kind === 'GPU VMs');
    expect(r.rows.slice(0, gpu.length)).toEqual(gpu);
    const h100 = gpu.find((x) => /NDSH100/i.test(String(x.family)));
    expect([num(h100?.limit), num(h100?.used), num(h100?.headroom), num(h100?.pct_used), num(h100?.regional_headroom)])
      .toEqual([100, 96, 4, 96, 170]);
    expect(h100?.signal).toBe('near the limit');
    const a100 = gpu.find((x) => /NCADSA100/i.test(String(x.family)));
    expect([num(a100?.limit), num(a100?.used), num(a100?.headroom), num(a100?.reserved_instances), num(a100?.reserved_vcpus)])
      .toEqual([64, 24, 40, 3, 72]);
    expect(a100?.signal).toBe('capacity reserved but no quota for it');
    const t4 = gpu.find((x) => /T4/.test(String(x.family)));
    expect(pick(t4, ['subscription', 'region'])).toEqual({ subscription: '(unknown)', region: 'westus3' });
    expect(String(t4?.signal)).toMatch(/subscription or region unknown/);
  });

  it('Azure OpenAI: quota headroom with no model capacity is called out', async () => {
    const r = await reportOf(store, 'quota', { month: '2026-10' });
    const mini = r.rows.find((x) => x.kind === 'Azure OpenAI' && /mini/.test(String(x.family)));
    expect([num(mini?.limit), num(mini?.headroom), num(mini?.model_available)]).toEqual([50_000, 50_000, 0]);
    expect(mini?.signal).toBe('quota headroom but no capacity in the region');
  });
});

describe('report capacity-reservations: idle slot-hours x the export\'s own hourly price', () => {
  it('732 idle slot-hours x 3.48935 = 2,554.2042', async () => {
    const r = await reportOf(store, 'capacity-reservations', { month: '2026-10' });
    expect(r.rows).toHaveLength(1);
    expect(pick(r.rows[0], ['reservation', 'reserved', 'allocated_vms', 'idle_min', 'idle_max', 'slot_hours', 'idle_slot_hours',
      'idle_cost']))
      .toEqual({ reservation: 'r1', reserved: 3, allocated_vms: 2, idle_min: 0, idle_max: 2, slot_hours: '2232.00',
        idle_slot_hours: '732.00',
        idle_cost: '2554.204200' });
    expect(num(r.rows[0]!.hourly_price)).toBe(3.48935);
  });
});

describe('report gpu: the three-way idle split, to the cent', () => {
  it('busy, held idle, unallocated and unmeasured GPU-hours of a VM-day add up to its cost', async () => {
    const r = await reportOf(store, 'gpu', { month: '2026-10' });
    const a = r.rows.find((x) => x.resource === 'vm-gpu-a');
    expect(['cost', 'busy_cost', 'held_idle_cost', 'unallocated_cost', 'unmeasured_cost'].map((k) => num(a?.[k])))
      .toEqual([83.7444, 34.8935, 20.9361, 20.9361, 6.9787]);
    expect([num(a?.gpu_hours_paid), num(a?.measured_gpu_hours), num(a?.utilization_pct)]).toEqual([24, 22, 41.18]);
    const res = r.rows.find((x) => x.kind === 'reservation');
    expect(num(res?.reserved_unused_cost)).toBe(2554.2042);
    const total = r.rows.find((x) => x.kind === 'total');
    // held idle + unallocated of vm-gpu-a, + the reservation's unused slots; vm-gpu-b has no samples (unmeasured, not idle)
    expect(num(total?.idle_cost)).toBe(2596.0764);
    expect(num(total?.unmeasured_cost)).toBe(6.9787 + 2 * 83.7444);
  });

  it('self-hosted inference: vm-gpu-b\'s 2 VM-days / 7,000,000 tokens x 1,000,000 = 23.926971 per 1M tokens (6 places)', async () => {
    const r = await reportOf(store, 'gpu', { month: '2026-10' });
    expect(r.rows.filter((x) => x.kind === 'inference').map((x) => pick(x, ['resource', 'models', 'cost', 'tokens', 'cost_per_1m_tokens'])))
      .toEqual([{ resource: 'vm-gpu-b', models: 'llama-3.1-8b', cost: '167.488800000000000000', tokens: '7000000',
        cost_per_1m_tokens: '23.926971' }]);
    // a view of the VM rows: the total is still the VMs' cost once
    expect(num(r.rows.find((x) => x.kind === 'total')?.cost)).toBe(3 * 83.7444);
  });

  it('a lower threshold makes the held GPU-hours busy', async () => {
    const r = await reportOf(store, 'gpu', { month: '2026-10', threshold: '0.5' });
    const a = r.rows.find((x) => x.resource === 'vm-gpu-a');
    expect([num(a?.busy_cost), num(a?.held_idle_cost)]).toEqual([55.8296, 0]);
  });
});

describe('report gpu --by job: GPU-hours per pod, __idle__, tags; adding up to the GPU VM cost', () => {
  it('train-1 held 16 of vm-gpu-a\'s 24 GPU-hours; 6 nothing held; vm-gpu-b and 2 hours of vm-gpu-a have no samples', async () => {
    const r = await reportOf(store, 'gpu', { month: '2026-10', by: ['job'] });
    expect(r.rows.map((x) => [x.job, x.method, num(x.gpu_hours), num(x.cost)])).toEqual([
      ['ml/train-1', 'gpu-seconds', 16, 55.8296], ['__unallocated__', 'tags', 50, 174.4675], ['__idle__', 'idle', 6, 20.9361]]);
    // 3 VM-days of 83.7444, to the last digit
    expect(r.rows.reduce((a, x) => a + Math.round(Number(x.cost) * 10_000), 0)).toBe(3 * 837_444);
  });
});

describe('report throughput: headroom and 429 share from a minute profile', () => {
  it('chat-4o: p99 98,000 of 100,000 TPM, 20 of 725 requests throttled in 3 of 10 minutes', async () => {
    const r = await reportOf(store, 'throughput', { month: '2026-10' });
    const d = r.rows.find((x) => x.deployment === 'chat-4o');
    expect(['tpm_quota', 'held_tpm', 'quota_held_pct', 'deployment_tpm', 'minutes', 'tpm_p95', 'tpm_p99', 'tpm_max', 'rpm_p95', 'rpm_max',
      'headroom_tpm', 'requests', 'throttled', 'throttled_pct', 'throttled_minutes_pct'].map((k) => num(d?.[k])))
      .toEqual([120_000, 100_000, 83.33, 100_000, 10, 98_000, 98_000, 98_000, 110, 110, 2_000, 725, 20, 2.76, 30]);
    expect(d?.risk).toBe('high');
    expect(d?.reason).toBe('near deployment capacity: p99 minute at 98.0% of its TPM; 429s: 2.76% of requests, 30.0% of minutes');
    expect(d?.actions).toBe('add capacity to the deployment; move offline work to Batch; add spillover');
  });
});

describe.each([
  { report: 'quota' }, { report: 'capacity-reservations' }, { report: 'gpu' }, { report: 'gpu', by: 'job' }, { report: 'throughput' },
])('golden: report $report $by', (c: { report: string; by?: string }) => {
  it.each(FORMATS)('%s', async (format) => {
    const r = await reportOf(store, c.report, { month: '2026-10', ...(c.by ? { by: [c.by] } : {}) });
    const out = formatReport(r, format).split(dir).join('<dir>');
    const name = ['capacity', c.report, '2026-10', c.by].filter(Boolean).join('_');
    expectGolden(join(GOLDEN, `${name}.${format === 'table' ? 'txt' : format}`), out);
  });
});
