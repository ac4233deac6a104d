/**
 * report savings on a small company whose every opportunity is computed by hand in the comments: one
 * feature per lever (A caching, B deployment type then batch, C right-sizing then concision, D concision)
 * and an idle PTU deployment; and the combination rule (combined figures add up, alone ones do not).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundDecimal, sumDecimals } from '../domain/decimal.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { BASE_COLUMNS, focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { reportOf, type TestConfig } from '../test-support/ledger.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-a';
const RP = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-ptu';
const at = { ResourceId: R1 };

const CONFIG: TestConfig = {
  savings: {
    hit_rate: 0.5,
    right_sizing: [{ from: 'gpt-5', to: 'gpt-5-mini' }],
    features: { B: { deferrable: true, global_ok: true, hit_rate: 0 }, C: { hit_rate: 0 }, D: { hit_rate: 0 } },
  },
};

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  const dir = tempDir();
  const bill = focusCsv(
    [
      // A: gpt-4o Global Standard, 8M uncached + 2M cached input, 1M output
      tokenRow('gpt 4o 1120 Inp glbl 1M Tokens', 8_000_000, '2.5', at),
      tokenRow('gpt 4o 1120 cached Inp glbl 1M Tokens', 2_000_000, '1.25', at),
      tokenRow('gpt 4o 1120 Outp glbl 1M Tokens', 1_000_000, '10', at),
      // B: o3 Data Zone Standard, 1M input, 0.1M output
      tokenRow('o3 Inpt DZone 1M Tokens', 1_000_000, '2.2', at),
      tokenRow('o3 Outpt DZone 1M Tokens', 100_000, '8.8', at),
      // C: gpt-5 Global Standard, 2M input, 0.2M output
      tokenRow('GPT 5 inpt Glbl 1M Tokens', 2_000_000, '1.25', at),
      tokenRow('GPT 5 outpt Glbl 1M Tokens', 200_000, '10', at),
      // D: gpt-4.1 Global Standard, 1M input, 1M output
      tokenRow('gpt 4.1 Inp glbl 1M Tokens', 1_000_000, '2', at),
      tokenRow('gpt 4.1 Outp glbl 1M Tokens', 1_000_000, '8', at),
      // 20 PTU for October (744 hours): 14,880 PTU-hours at $1
      {
        ServiceName: 'Azure AI Services',
        x_SkuMeterCategory: 'Foundry Models',
        x_SkuMeterSubcategory: 'Azure OpenAI',
        x_SkuMeterName: 'Provisioned Managed Global Unit',
        ConsumedQuantity: '14880',
        ConsumedUnit: 'Hours',
        PricingQuantity: '14880',
        PricingUnit: 'Hours',
        BilledCost: '14880',
        EffectiveCost: '14880',
        ResourceId: RP,
      },
    ],
    BASE_COLUMNS,
  );
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', bill)], { rules: loadRules() });
  const req = (feature: string | null, model: string, prompt: number, cached: number, output: number, resource = R1) =>
    JSON.stringify({
      timestamp: '2026-10-05T10:00:00Z',
      model,
      resource_id: resource,
      ...(feature ? { feature } : {}),
      usage: { prompt_tokens: prompt, completion_tokens: output, prompt_tokens_details: { cached_tokens: cached } },
    });
  const lines = [
    // A: 10 requests of 1M prompt tokens (0.2M cached), 100,000 output each
    ...Array.from({ length: 10 }, () => req('A', 'gpt-4o', 1_000_000, 200_000, 100_000)),
    req('B', 'o3', 1_000_000, 0, 100_000),
    req('C', 'gpt-5', 2_000_000, 0, 200_000),
    req('D', 'gpt-4.1', 1_000_000, 0, 1_000_000),
    // the PTU deployment serves 23.2M uncached input + 4 x 50M output = 223.2M normalized tokens, no feature
    req(null, 'gpt-4o', 23_200_000, 0, 50_000_000, RP),
  ];
  await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', lines.join('\n') + '\n')]);
});
afterAll(() => store.close());

const cents = (v: unknown) => roundDecimal(String(v), 2);

describe('report savings, by hand', () => {
  it('one row per opportunity with its monthly dollars, alone and combined', async () => {
    const r = await reportOf(store, 'savings', { month: '2026-10' }, CONFIG);
    const got = r.rows.map((x) => [x.opportunity, x.feature, x.model, cents(x.monthly_combined), cents(x.monthly_alone), x.confidence]);
    expect(got).toEqual([
      // idle PTU: capacity 14,880 h x 60 x 2,500 TPM = 2,232,000,000; served 223,200,000 = 10 %: 90 % of $14,880 = $13,392
      ['provisioned capacity', null, 'gpt-4o', '13392.00', '13392.00', 'medium'],
      // A: target 50 % of 10M eligible = 5M cached, 2M already: 3M more x ($2.50 - $1.25)/1M = $3.75
      ['caching', 'A', 'gpt-4o', '3.75', '3.75', 'medium'],
      // C: gpt-5 (2M x 1.25 + 0.2M x 10 = 4.50) on gpt-5-mini (2M x 0.25 + 0.2M x 2 = 0.90): $3.60
      ['right-sizing', 'C', 'gpt-5', '3.60', '3.60', 'low'],
      // B after the move to Global (2.80): Global Batch 1M x 1.00 + 0.1M x 4.00 = 1.40: $1.40; alone from 3.08: $1.68
      ['batch', 'B', 'o3', '1.40', '1.68', 'high'],
      // D: 15 % of 1M output = 150,000 x $8/1M = $1.20 (D's 1M output per request is above the fleet median of 150,000)
      ['concision', 'D', 'gpt-4.1', '1.20', '1.20', 'low'],
      // B: Data Zone (1M x 2.2 + 0.1M x 8.8 = 3.08) on Global Standard (1M x 2 + 0.1M x 8 = 2.80): $0.28
      ['deployment type', 'B', 'o3', '0.28', '0.28', 'high'],
      // C after right-sizing: 15 % of 0.2M = 30,000 output at gpt-5-mini's $2/1M = $0.06; alone at gpt-5's $10/1M = $0.30
      ['concision', 'C', 'gpt-5', '0.06', '0.30', 'low'],
    ]);
    expect(r.notes!.join('\n')).toContain('All of them together: 13,402.29 USD a month');
    expect(cents(sumDecimals(r.rows.map((x) => String(x.monthly_combined))))).toBe('13402.29');
  });

  it('states evidence, assumptions in words and where to explain each row', async () => {
    const r = await reportOf(store, 'savings', { month: '2026-10' }, CONFIG);
    const caching = r.rows.find((x) => x.opportunity === 'caching')!;
    expect(caching.evidence).toBe(
      'A on gpt-4o (global-standard): 10,000,000 prompt tokens in requests of 1,024+ tokens (100 % of prompts), ' +
        '20 % cached; input 2.5 (invoice), cached 1.25 (invoice) per 1M',
    );
    expect(caching.assumptions).toMatch(/50 % hit rate/);
    expect(caching.explain).toBe('tokenledger explain allocation --feature A --month 2026-10');
    expect(r.rows.find((x) => x.opportunity === 'right-sizing')!.assumptions).toMatch(/quality check/);
    expect(r.rows.find((x) => x.opportunity === 'batch')!.assumptions).toMatch(/24 hours/);
  });

  it('without a savings configuration only what needs no assumption about a feature is found', async () => {
    const r = await reportOf(store, 'savings', { month: '2026-10' });
    expect(new Set(r.rows.map((x) => x.opportunity))).toEqual(new Set(['provisioned capacity', 'caching', 'concision']));
  });
});
