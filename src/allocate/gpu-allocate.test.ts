/**
 * GPU-seconds as an allocation basis (allocate.sql step 2), hand-computed to the cent.
 *
 *   vm-gpu-a (Standard_NC24ads_A100_v4, 1 GPU; tags feature=research-vm team=ml-research env=dev cost_center=CC-9)
 *   day    hours  cost     samples (hour buckets)                                   expected share
 *   10-05  24     83.7444  ml/train-1 hours 0-9 (10 h at 90 %)                       train-1 10/24 = 34.8935 (mapped: fine-tuning)
 *                          research/notebook-2 hours 10-15 (6 h at 1 %)             notebook-2 6/24 = 20.9361 (unmapped: the VM's tags)
 *                          no pod hours 16-21 (6 h)                                  __idle__ 6/24 = 20.9361
 *                          no sample hours 22-23 (2 h)                               tags 2/24 = 6.9787
 *   10-06  24     10.00    ml/train-1 hours 0-6 (7 h), no pod hours 7-9 (3 h),       train-1 2.916666667, __idle__ 1.25,
 *                          14 h unsampled                                            tags 5.833333333 (largest: takes the remainder)
 *   vm-gpu-b (no samples)  10-05  24  50.00                                          tags: feature other-vm 50.00
 *
 *   by feature: fine-tuning 37.810166667, research-vm 33.748133333, __idle__ 22.1861, other-vm 50; total 143.7444 = the bill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuJobMapper } from '../config/capacity.js';
import { sumDecimals } from '../domain/decimal.js';
import { ingestCapacity } from '../ingest/capacity/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { focusCsv, tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { explainOf, reportOf } from '../test-support/ledger.js';
import { allocationState } from './materialize.js';

const S = '3f2b8c4d-1111-4e8f-9a61-0e1f2a3b4c5d';
const TAGS = '{"feature":"research-vm","team":"ml-research","environment":"dev","cost_center":"CC-9"}';
const vmRow = (day: string, cost: string, resource: string, tags: string) => ({
  ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterSubcategory: 'NCadsA100v4 Series',
  x_SkuMeterName: 'NC24ads A100 v4', ConsumedUnit: 'Hours', PricingUnit: '1 Hour', ConsumedQuantity: '24', PricingQuantity: '24',
  BilledCost: cost, EffectiveCost: cost, RegionId: 'eastus2', Tags: tags,
  ResourceId: `/subscriptions/${S}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/${resource}`, ResourceName: resource,
  ChargePeriodStart: `${day}T00:00:00Z`, ChargePeriodEnd: `${day}T23:59:59Z`,
});
const COLS = ['BilledCost', 'EffectiveCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd',
  'ChargePeriodStart', 'ChargePeriodEnd', 'ChargeCategory', 'ProviderName', 'ServiceName', 'ResourceId', 'ResourceName', 'RegionId',
  'ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit', 'x_SkuMeterCategory', 'x_SkuMeterSubcategory', 'x_SkuMeterName',
  'Tags'];
const hour = (d: number, h: number) => Date.UTC(2026, 9, d, h) / 1000;
const range = (d: number, from: number, to: number, v: string): [number, string][] =>
  Array.from({ length: to - from }, (_, i) => [hour(d, from + i), v]);
const series = (labels: Record<string, string>, points: [number, string][]) =>
  ({ metric: { __name__: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', Hostname: 'vm-gpu-a', gpu: '0', UUID: 'GPU-a', ...labels }, values: points });

let store: Store;
let dir: string;
beforeAll(async () => {
  dir = tempDir('tl-gpu-alloc-');
  store = await Store.open(':memory:');
  await ingestFocus(store, [writeFixture(dir, 'billing.csv', focusCsv([vmRow('2026-10-05', '83.7444', 'vm-gpu-a', TAGS),
    vmRow('2026-10-06', '10.00', 'vm-gpu-a', TAGS), vmRow('2026-10-05', '50.00', 'vm-gpu-b', '{"feature":"other-vm"}')], COLS))],
  { rules: loadRules(), clock: () => new Date('2026-11-05T08:00:00Z') });
  await reportOf(store, 'allocation', { month: '2026-10', by: ['feature'] });
  const samples = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [
    series({ pod: 'train-1', namespace: 'ml' }, [...range(5, 0, 10, '0.9'), ...range(6, 0, 7, '0.8')]),
    series({ pod: 'notebook-2', namespace: 'research' }, range(5, 10, 16, '0.01')),
    series({}, [...range(5, 16, 22, '0'), ...range(6, 7, 10, '0')]),
  ] } });
  await ingestCapacity(store, [writeFixture(dir, 'dcgm.json', samples)], { clock: () => new Date('2026-11-05T08:00:00Z'),
    mapJob: gpuJobMapper([{ match: { namespace: 'ML', pod: 'train-*' }, feature: 'fine-tuning', team: 'ml-platform' }]) });
});
afterAll(() => store.close());

describe('allocation by GPU-seconds', () => {
  it('GPU samples make the stored allocation stale: they are one of its inputs', async () => {
    expect((await allocationState(store)).fresh).toBe(false);
  });

  it('splits each VM-day by the GPU-hours each job held, __idle__ and tags for unsampled hours, to the cent', async () => {
    const r = await reportOf(store, 'allocation', { month: '2026-10', by: ['feature'] });
    expect(Object.fromEntries(r.rows.map((x) => [x.key, x.cost]))).toEqual({
      'other-vm': '50.000000000000000000',
      'fine-tuning': '37.810166667000000000',
      'research-vm': '33.748133333000000000',
      __idle__: '22.186100000000000000',
    });
    expect(sumDecimals(r.rows.map((x) => String(x.cost)))).toBe('143.7444');
  });

  it('per share: method, job, GPU-seconds of the basis, and the dimensions (mapping, else the VM tags; __idle__)', async () => {
    const rows = await store.query(sql`SELECT strftime(day, '%d') AS d, method_code AS m, job, feature, team, environment AS env,
      cost_center AS cc, basis_tokens AS secs, basis_total AS total, CAST(billed_cost AS VARCHAR) AS cost, reason
      FROM alloc_rows WHERE charge_key IN (SELECT charge_key FROM alloc_charges WHERE ResourceName = 'vm-gpu-a') ORDER BY d, m, job`);
    const shares = rows.map((x) => [x.d, Number(x.m), x.job, x.feature, x.team, x.env, x.cc, Number(x.secs), Number(x.total),
      String(x.cost).replace(/0+$/, ''), x.reason]);
    expect(shares).toEqual([
      ['05', 9, null, 'research-vm', 'ml-research', 'dev', 'CC-9', 7200, 86400, '6.9787', null],
      ['05', 10, 'ml/train-1', 'fine-tuning', 'ml-platform', 'dev', 'CC-9', 36000, 86400, '34.8935', null],
      ['05', 10, 'research/notebook-2', 'research-vm', 'ml-research', 'dev', 'CC-9', 21600, 86400, '20.9361', null],
      ['05', 11, null, '__idle__', '__idle__', 'dev', 'CC-9', 21600, 86400, '20.9361', null],
      ['06', 9, null, 'research-vm', 'ml-research', 'dev', 'CC-9', 50400, 86400, '5.833333333', null],
      ['06', 10, 'ml/train-1', 'fine-tuning', 'ml-platform', 'dev', 'CC-9', 25200, 86400, '2.916666667', null],
      ['06', 11, null, '__idle__', '__idle__', 'dev', 'CC-9', 10800, 86400, '1.25', null],
    ]);
  });

  it('explain allocation shows the method and the job', async () => {
    const r = await explainOf(store, 'allocation', { month: '2026-10', feature: 'fine-tuning' });
    expect(r.rows.map((x) => [x.method, x.job, Number(x.basis_tokens), String(x.amount).replace(/0+$/, '')])).toEqual([
      ['GPU-seconds (measured per job)', 'ml/train-1', 36000, '34.8935'],
      ['GPU-seconds (measured per job)', 'ml/train-1', 25200, '2.916666667'],
    ]);
    const idle = await explainOf(store, 'allocation', { month: '2026-10', feature: '__idle__' });
    expect(idle.rows.map((x) => x.method)).toEqual(['GPU idle (no job held the GPU)', 'GPU idle (no job held the GPU)']);
  });
});

describe('capacity.jobs mapping (tokenledger.yaml)', () => {
  const map = gpuJobMapper([
    { match: { namespace: 'inference', pod: 'vllm-*' }, feature: 'support-copilot', team: 'cx-platform' },
    { match: { namespace: 'inference' }, team: 'ml-platform' },
    { match: { container: 'Trainer' }, feature: 'fine-tuning' },
  ]);
  it.each([
    [{ namespace: 'inference', pod: 'vllm-llama-0' }, { feature: 'support-copilot', team: 'cx-platform' }],
    [{ namespace: 'Inference', pod: 'tgi-0' }, { team: 'ml-platform' }],
    [{ namespace: 'ml', pod: 'job-1', container: 'trainer' }, { feature: 'fine-tuning' }],
    [{ namespace: 'ml', pod: 'job-1', container: 'x' }, {}],
    [{ namespace: 'inference', pod: null }, {}],
  ])('%o -> %o (first match wins, case-insensitive, * a wildcard, no pod: nothing)', (labels, dims) => {
    const got = Object.fromEntries(Object.entries(map(labels)).filter(([, v]) => v !== undefined));
    expect(got).toEqual(dims);
  });
});
