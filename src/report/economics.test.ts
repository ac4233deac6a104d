/**
 * Unit economics, chargeback, sensitivity and variance on a hand-built ledger, with hand-computed cents.
 *
 * Topology, October 2026 (USD, billed = effective). A produces tickets, B documents, C no unit.
 *
 *   charge                               cost   class     goes to                            A            B            C / rest
 *   R1 gpt-4o input  1,000,000 tok        2.50  token     telemetry A 750k / B 250k          1.875        0.625
 *   R1 gpt-4o output   100,000 tok        1.00  token     telemetry A 60k / B 40k            0.60         0.40
 *   AI Search (tag team=platform)        10.00  platform  rule search: units ticket+document 2.50 (100)    7.50 (300)
 *   Log Analytics                         3.00  platform  rule logs: tokens 810k / 290k      2.209090909  0.790909091
 *   Defender for Cloud                    5.00  overhead  rule sec: percent 60 / 40          3.00         2.00
 *   API Management                        4.00  platform  rule gw: fixed 1.00 equal + by units 0.50+0.75  0.50+2.25
 *   VM NC A100 (tags feature=C, team=ml)  7.00  gpu       direct                                                       C 7.00
 *   Storage (ServiceCategory Storage)     2.00  platform  no rule                                                      __shared__ 2.00
 *   VM D4s v5, untagged                   1.50  other     nobody                                                       __unallocated__ 1.50
 *                                        -----                                              -----------  -----------
 *                                        36.00                                              11.434090909 14.065909091  + 10.50 = 36.00
 *
 *   events: ticket (A) 80 success + 20 failure = 100; document (B) 270 success + 30 failed = 300.
 *   telemetry teams: A -> t1, B -> t2.
 *
 * September 2026: R1 gpt-4o input 800,000 tok 2.00 and output 80,000 tok 0.80, all A; 80 tickets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EconomicsConfig } from '../config/economics.js';
import { sumDecimals } from '../domain/decimal.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { BASE_COLUMNS, focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { explainOf, ledgerOf, reportOf, type TestConfig } from '../test-support/ledger.js';
import { sql } from '../store/sql.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportModel } from '../export/model.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
const oct = { ChargePeriodStart: '2026-10-01T00:00:00Z', ChargePeriodEnd: '2026-10-02T00:00:00Z' };
const sep = { ChargePeriodStart: '2026-09-01T00:00:00Z', ChargePeriodEnd: '2026-09-02T00:00:00Z',
  BillingPeriodStart: '2026-09-01T00:00:00Z', BillingPeriodEnd: '2026-10-01T00:00:00Z' };
const other = (cost: string, extra: Record<string, string>) =>
  ({ ...oct, BilledCost: cost, EffectiveCost: cost, ServiceCategory: '', ...extra });

export const SCENARIO_CONFIG: EconomicsConfig = {
  units: { ticket: { features: ['A'] }, document: { features: ['B'] } },
  sharing: [
    { name: 'search', match: { service_name: 'Azure AI Search' }, basis: 'units', units: ['ticket', 'document'] },
    { name: 'logs', match: { service_name: 'Log Analytics' }, basis: 'tokens' },
    { name: 'sec', classes: ['overhead'], basis: 'percent', percent: { A: 60, B: 40 } },
    { name: 'gw', match: { service_name: 'API Management' }, basis: 'fixed_plus_units', fixed: '1' },
  ],
};

let store: Store;
let dir: string;
beforeAll(async () => {
  store = await Store.open(':memory:');
  dir = tempDir();
  const rules = loadRules();
  const bill = focusCsv([
    tokenRow('gpt 4o 0513 Input global Tokens', 1_000_000, '2.5', { ...oct, ResourceId: R1 }),
    tokenRow('gpt 4o 0513 Output global Tokens', 100_000, '10', { ...oct, ResourceId: R1 }),
    other('10', { ServiceName: 'Azure AI Search', x_SkuMeterCategory: 'Azure Cognitive Search', x_SkuMeterName: 'Standard S1 Unit',
      Tags: '{"team":"platform"}' }),
    other('3', { ServiceName: 'Log Analytics', x_SkuMeterCategory: 'Log Analytics', x_SkuMeterName: 'Analytics Logs Data Ingestion' }),
    other('5', { ServiceName: 'Microsoft Defender for Cloud', x_SkuMeterCategory: 'Microsoft Defender for Cloud',
      x_SkuMeterName: 'Standard Node' }),
    other('4', { ServiceName: 'API Management', x_SkuMeterCategory: 'API Management', x_SkuMeterName: 'Standard Unit' }),
    other('7', { ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterSubcategory: 'NCadsA100v4 Series',
      x_SkuMeterName: 'NC24ads A100 v4', Tags: '{"feature":"C","team":"ml"}' }),
    other('2', { ServiceName: 'Storage Accounts', ServiceCategory: 'Storage' }),
    other('1.5', { ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterSubcategory: 'Dv5 Series',
      x_SkuMeterName: 'D4s v5' }),
    tokenRow('gpt 4o 0513 Input global Tokens', 800_000, '2.5', { ...sep, ResourceId: R1 }),
    tokenRow('gpt 4o 0513 Output global Tokens', 80_000, '10', { ...sep, ResourceId: R1 }),
  ], [...BASE_COLUMNS, 'ServiceCategory']);
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', bill)], { rules });
  const tel = (day: string, feature: string, team: string, prompt: number, completion: number) =>
    JSON.stringify({ timestamp: `${day}T10:00:00Z`, model: 'gpt-4o', resource_id: R1, feature, team,
      usage: { prompt_tokens: prompt, completion_tokens: completion } });
  await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', [
    tel('2026-10-01', 'A', 't1', 750_000, 60_000), tel('2026-10-01', 'B', 't2', 250_000, 40_000),
    tel('2026-09-01', 'A', 't1', 800_000, 80_000),
  ].join('\n') + '\n')]);
  await ingestEvents(store, [writeFixture(dir, 'events.csv', [
    'timestamp,unit,feature,count,outcome',
    '2026-10-03T09:00:00Z,ticket,A,80,success', '2026-10-04T09:00:00Z,ticket,A,20,failure',
    '2026-10-03T09:00:00Z,document,B,270,success', '2026-10-05T09:00:00Z,document,B,30,failed',
    '2026-09-10T09:00:00Z,ticket,A,80,success',
  ].join('\n') + '\n')]);
});
afterAll(() => store.close());

const OCT = { month: '2026-10' };
const report = (name: string, extra: Record<string, unknown> = {}, config: TestConfig = SCENARIO_CONFIG) => reportOf(store, name,
  { ...OCT, ...extra }, config);
const cents = (v: unknown) => Number(v).toFixed(2);

describe('unit-economics scenario', () => {
  it('cost per unit and per successful unit, by class, to the cent', async () => {
    const r = await report('unit-economics');
    const by = Object.fromEntries(r.rows.map((x) => [x.unit, x]));
    expect(Object.keys(by).sort()).toEqual(['document', 'ticket']);
    expect(by.ticket).toMatchObject({ units: '100', ok_units: '80', success_pct: 80, input_tokens_per_unit: 7500,
      output_tokens_per_unit: 600 });
    expect(String(by.ticket!.total_cost)).toBe('11.434090909000000000');
    expect(String(by.document!.total_cost)).toBe('14.065909091000000000');
    expect(Number(by.ticket!.cost_per_unit)).toBeCloseTo(0.11434090909, 10);
    expect(Number(by.ticket!.cost_per_success)).toBeCloseTo(11.434090909 / 80, 10);
    expect(Number(by.ticket!.token_per_unit)).toBeCloseTo(0.02475, 10);
    expect(Number(by.ticket!.platform_per_unit)).toBeCloseTo((2.5 + 2.209090909 + 1.25) / 100, 10);
    expect(Number(by.ticket!.overhead_per_unit)).toBeCloseTo(0.03, 10);
    expect(by.document).toMatchObject({ units: '300', ok_units: '270', success_pct: 90 });
    expect(Number(by.document!.platform_per_unit)).toBeCloseTo((7.5 + 0.790909091 + 2.75) / 300, 10);
    expect(Number(by.document!.overhead_per_unit)).toBeCloseTo(2 / 300, 10);
    expect(cents(by.document!.shared_cost)).toBe('13.04');
    // what is left out is said: C's GPU, the storage nobody shares, the untagged VM
    expect(r.notes?.join('\n')).toContain('features without a unit type: 7.00 (C)');
    expect(r.notes?.join('\n')).toContain('shared cost not spread (platform): 2.00 (no sharing rule)');
    expect(r.notes?.join('\n')).toContain('unallocated: 1.50 (untagged)');
  });

  it('--unit picks one unit type', async () => {
    const r = await report('unit-economics', { unit: 'ticket' });
    expect(r.rows.map((x) => x.unit)).toEqual(['ticket']);
  });

  it('without sharing rules, shared cost stays unspread and the report says how much', async () => {
    const r = await report('unit-economics', {}, { units: SCENARIO_CONFIG.units! });
    const by = Object.fromEntries(r.rows.map((x) => [x.unit, x]));
    expect(cents(by.ticket!.total_cost)).toBe('2.48'); // 2.475: tokens only
    expect(r.notes?.join('\n')).toContain('shared cost not spread (overhead, platform): 24.00');
  });

  it('with no config at all, units come from the features their events name', async () => {
    const r = await report('unit-economics', {}, {});
    const by = Object.fromEntries(r.rows.map((x) => [x.unit, x]));
    expect(String(by.ticket!.total_cost)).toBe('2.475000000000000000');
    expect(String(by.document!.total_cost)).toBe('1.025000000000000000');
    expect(by.ticket!.ok_units).toBe('80');
    expect(by.document!.ok_units).toBe('270'); // with no unit definition, outcome "success" is success
  });
});

describe('chargeback scenario', () => {
  it('per team with shares of platform and overhead; lines add up to the month', async () => {
    const r = await report('chargeback', { by: ['team'] });
    const by = Object.fromEntries(r.rows.map((x) => [x.key, x]));
    expect(Object.keys(by)).toEqual(['t2', 't1', 'ml', '__shared__', '__unallocated__']);
    expect(by.t1).toMatchObject({ token: '2.475000000000000000', shared_platform: '5.959090909000000000',
      shared_overhead: '3.000000000000000000', total: '11.434090909000000000' });
    expect(by.t2!.total).toBe('14.065909091000000000');
    expect(by.ml).toMatchObject({ gpu: '7.000000000000000000', total: '7.000000000000000000' });
    expect(by.__shared__!.total).toBe('2.000000000000000000');
    expect(by.__unallocated__!.total).toBe('1.500000000000000000');
    expect(sumDecimals(r.rows.map((x) => String(x.total)))).toBe('36');
    expect(r.notes?.[0]).toContain('(equal to the last digit)');
  });
});

describe('shared-costs scenario', () => {
  it('each pool, its rule, the features it went to and the basis numbers', async () => {
    const r = await report('shared-costs');
    const line = (rule: string, feature: string) => r.rows.find((x) => x.rule_name === rule && x.feature_key === feature);
    expect(line('search', 'B')).toMatchObject({ cost: '7.500000000000000000', basis: 'search: units, 300 of 400' });
    expect(line('logs', 'A')).toMatchObject({ cost: '2.209090909000000000', basis: 'logs: tokens, 810000 of 1100000' });
    expect(line('sec', 'A')).toMatchObject({ cost: '3.000000000000000000', basis: 'sec: 60.0% of the pool' });
    expect(r.rows.filter((x) => x.rule_name === 'gw' && x.feature_key === 'A').map((x) => [x.cost, x.basis])).toEqual([
      ['0.750000000000000000', 'gw: variable part by units, 100 of 400'],
      ['0.500000000000000000', 'gw: fixed 1 per month, equal share 1 of 2'],
    ]);
    expect(line('(no rule)', '__shared__')).toMatchObject({ cost: '2.000000000000000000', cost_class: 'platform',
      basis: 'no sharing rule' });
  });
});

describe('sensitivity scenario', () => {
  it('+20% response length and +5% retries, priced at the measured rates', async () => {
    const r = await report('sensitivity', { unit: 'ticket', responseLength: '+20%', retries: '+5%' });
    expect(r.rows).toHaveLength(1);
    const x = r.rows[0]!;
    // input 750,000 x 1.05 at 2.5/M = 1.96875; output 60,000 x 1.05 x 1.2 at 10/M = 0.756
    expect(Number(x.token_per_unit_before)).toBeCloseTo(0.02475, 12);
    expect(Number(x.token_per_unit_after)).toBeCloseTo((1.96875 + 0.756) / 100, 12);
    expect(Number(x.cost_per_unit_after)).toBeCloseTo((8.959090909 + 2.72475) / 100, 10);
    expect(Number(x.change_pct)).toBe(2.18);
  });

  it('a model with no charges that month is a usage error naming the models billed', async () => {
    await expect(report('sensitivity', { unit: 'ticket', model: 'gpt-4o-mini' }))
      .rejects.toThrow(/no token charges for this model in 2026-10.*gpt-4o/);
  });
});

describe('variance scenario', () => {
  it('volume, intensity, rate and shared add up to the change, to the cent', async () => {
    const r = await report('variance');
    const by = Object.fromEntries(r.rows.map((x) => [x.unit, x]));
    // ticket: token cost 2.80 -> 2.475 with 80 -> 100 units and 11,000 -> 8,100 tokens per unit (Shapley):
    // volume 0.596279 -> 0.60, intensity -0.813367 -> -0.81, shared 0 -> 8.959090909 -> 8.96,
    // change 8.634090909 -> 8.63, rate takes the rest: -0.12 (exactly -0.107912 before rounding)
    expect(by.ticket).toMatchObject({ change: '8.63', volume: '0.60', intensity: '-0.81', shared: '8.96', rate: '-0.12', outside: '0.00' });
    // document: none in September, so its whole token cost is volume
    expect(by.document).toMatchObject({ change: '14.07', volume: '1.03', intensity: '0.00', shared: '13.04', rate: '0.00' });
    expect(by['(outside units)']).toMatchObject({ change: '10.50', outside: '10.50' });
    expect(by.TOTAL).toMatchObject({ change: '33.20', before: '2.800000000000000000', after: '36.000000000000000000' });
    for (const row of r.rows) {
      expect(sumDecimals([String(row.volume), String(row.intensity), String(row.rate), String(row.shared), String(row.outside)])).toBe(
        sumDecimals([String(row.change)]));
    }
  });
});

/** The text of line `n` of a file named "path:n". */
const lineOf = (ref: string) => {
  const [path, n] = [ref.slice(0, ref.lastIndexOf(':')), Number(ref.slice(ref.lastIndexOf(':') + 1))];
  return readFileSync(path, 'utf8').split('\n')[n - 1]!;
};

describe('explain', () => {
  it('allocation of a feature ends at billing rows and telemetry records, file and line', async () => {
    const r = await explainOf(store, 'allocation', { ...OCT, feature: 'A' }, SCENARIO_CONFIG);
    expect(r.rows.map((x) => [x.amount, x.method, x.basis_tokens, x.basis_total, x.telemetry_records])).toEqual([
      ['1.875000000000000000', 'telemetry day+resource+model+token_type', '750000', '1000000', '1'],
      ['0.600000000000000000', 'telemetry day+resource+model+token_type', '60000', '100000', '1'],
    ]);
    expect(lineOf(String(r.rows[0]!.billing_row))).toContain('gpt 4o 0513 Input global Tokens');
    expect(lineOf(String(r.rows[0]!.billing_row))).toContain('2026-10-01');
    expect(lineOf(String(r.rows[0]!.first_telemetry_record))).toContain('"feature":"A"');
    const gpu = await explainOf(store, 'allocation', { ...OCT, feature: 'C' }, SCENARIO_CONFIG);
    expect(gpu.rows).toHaveLength(1);
    expect(gpu.rows[0]).toMatchObject({ amount: '7.000000000000000000', method: 'tags', telemetry_records: '0' });
    expect(lineOf(String(gpu.rows[0]!.billing_row))).toContain('NC24ads A100 v4');
  });

  it('cost per token lists its billing rows with tokens and rate', async () => {
    const r = await explainOf(store, 'cost-per-token', { ...OCT, model: 'gpt-4o', tokenType: 'output' }, SCENARIO_CONFIG);
    expect(r.rows.map((x) => [x.tokens, x.cost, x.cost_per_1m])).toEqual([['100000.000000', '1.000000000000000000', 10]]);
    expect(lineOf(String(r.rows[0]!.billing_row))).toContain('gpt 4o 0513 Output global Tokens');
  });

  it('unit cost: events, the cost chain with rules and basis, down to billing rows', async () => {
    const r = await explainOf(store, 'unit-cost', { ...OCT, unit: 'ticket' }, SCENARIO_CONFIG);
    const steps = (s: string) => r.rows.filter((x) => x.step === s);
    expect(steps('events').map((x) => x.detail)).toEqual(['2 record(s), 100 unit(s)']);
    expect(String(steps('events')[0]!.item)).toMatch(/events\.csv:2-3$/);
    expect(steps('cost').map((x) => [x.item, x.amount])).toEqual([
      ['A direct token', '2.475000000000000000'], ['A shared overhead', '3.000000000000000000'],
      ['A shared platform', '5.959090909000000000'],
    ]);
    expect(steps('shared basis').map((x) => x.detail)).toContain('logs: tokens, 810000 of 1100000');
    expect(steps('billing')).toHaveLength(2);
  });
});

describe('export model (star schema)', () => {
  it('writes facts and dimensions as Parquet and CSV that read back to the ledger\'s totals', async () => {
    const out = join(tempDir(), 'model');
    const written = await exportModel(ledgerOf(store, SCENARIO_CONFIG), out);
    expect(written.map((w) => w.table)).toEqual(['dim_date', 'dim_feature', 'dim_team', 'dim_model', 'dim_resource', 'fact_costs',
      'fact_allocations', 'fact_usage',
      'fact_events', 'dim_month', 'dim_unit', 'fact_unit_costs', 'fact_units']);
    const pq = (t: string) => sql`read_parquet(${join(out, 'parquet', `${t}.parquet`)})`;
    const [r] = await store.query(sql`SELECT
      (SELECT CAST(sum(effective_cost) AS VARCHAR) FROM ${pq('fact_costs')}) AS costs,
      (SELECT CAST(sum(effective_cost) AS VARCHAR) FROM ${pq('fact_allocations')}) AS allocated,
      (SELECT CAST(CAST(sum(units) AS BIGINT) AS VARCHAR) FROM ${pq('fact_events')}) AS units,
      (SELECT string_agg(feature, ',' ORDER BY feature) FROM ${pq('dim_feature')}) AS features,
      (SELECT count(*) FROM ${pq('fact_allocations')} a WHERE a.feature IS NOT NULL AND a.feature NOT IN (SELECT feature
        FROM ${pq('dim_feature')})) AS orphans`);
    expect(r).toEqual({ costs: '38.800000000000000000', allocated: '38.800000000000000000', units: '480', features: 'A,B,C',
      orphans: '0' });
    expect(readFileSync(join(out, 'csv', 'fact_events.csv'), 'utf8').split('\n')[0]).toBe('date,unit,feature,outcome,units,records');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('fact_allocations.feature');
  });
});
