/**
 * alloc_daily (migration 017), the stored allocation summed per day and key, against alloc_rows: hand-computed
 * cents and tokens on a small ledger, the check that catches a rollup out of step, and a property: for random
 * ledgers, the budget series read from the rollup equal the same series read from the rows (the path a
 * resource scope takes), day by day, to the last digit.
 *
 *   billing row  day    meter                           cost   telemetry that day       alloc_daily
 *   1            10-01  gpt-4o input  (1,000,000 tok)   2.50   A 100k, B 200k prompt    A 0.833333333 / 333,333.333 tok
 *                                                                                       B 1.666666667 / 666,666.667 tok
 *   2            10-01  gpt-4o output   (100,000 tok)   1.00   A 10k, B 30k completion  A 0.25 / 25,000; B 0.75 / 75,000
 *   3            10-02  gpt-4o input  (2,000,000 tok)   5.00   none                     unallocated 5.00 / 2,000,000
 *   4            10-02  gpt-4o input    (400,000 tok)   1.00   none                     (same key as row 3: one row, 6.00)
 *   5            10-01  storage, tags team=platform     3.00   -                        other, team platform, 3.00
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChecks } from '../check/checks.js';
import { dailySeries } from '../budgets/series.js';
import { Store } from '../store/db.js';
import { tokenRow, type FixtureRow } from '../test-support/focus-fixture.js';
import { ingestFixtures, ledgerOf } from '../test-support/ledger.js';
import { ensureAllocation } from './materialize.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
const INPUT = 'gpt 4o 0513 Input global Tokens';
const OUTPUT = 'gpt 4o 0513 Output global Tokens';
const STORAGE = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1';
const day = (d: number) => ({ ChargePeriodStart: `2026-10-0${d}T00:00:00Z`, ChargePeriodEnd: `2026-10-0${d + 1}T00:00:00Z` });
const tel = (d: number, feature: string, prompt: number, completion: number) => ({
  timestamp: `2026-10-0${d}T10:00:00Z`, model: 'gpt-4o', feature, resource_id: R1,
  usage: { prompt_tokens: prompt, completion_tokens: completion },
});

const CHECK = { today: '2026-10-05', staleDays: 3, closeDays: 5 };
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

async function load(billing: FixtureRow[], telemetry: object[]) {
  await ingestFixtures(store, billing, telemetry);
  await ensureAllocation(store);
}

const daily = () => store.query<Record<string, string | boolean | null>>(`SELECT strftime(day, '%Y-%m-%d') AS day, kind, feature, team,
  token_type, unallocated, alloc_rows AS n, CAST(effective_cost AS VARCHAR) AS cost, CAST(allocated_tokens AS VARCHAR) AS tokens
  FROM alloc_daily ORDER BY day, kind, feature NULLS LAST, token_type NULLS LAST`);

describe('alloc_daily, by hand', () => {
  it('sums the shares per day and key: cents and tokens as computed by hand', async () => {
    await load([
      tokenRow(INPUT, 1_000_000, '2.5', { ...day(1), ResourceId: R1 }),
      tokenRow(OUTPUT, 100_000, '10', { ...day(1), ResourceId: R1 }),
      tokenRow(INPUT, 2_000_000, '2.5', { ...day(2), ResourceId: R1 }),
      tokenRow(INPUT, 400_000, '2.5', { ...day(2), ResourceId: R1 }),
      { ...day(1), BilledCost: '3', EffectiveCost: '3', Tags: '{"team":"platform"}' },
    ], [tel(1, 'A', 100_000, 10_000), tel(1, 'B', 200_000, 30_000)]);
    const rows = (await daily()).map((r) => [r.day, r.kind, r.feature, r.team, r.token_type, r.unallocated, r.n, r.cost, r.tokens]);
    expect(rows).toEqual([
      ['2026-10-01', 'other', null, 'platform', null, false, '1', '3.000000000000000000', null],
      ['2026-10-01', 'token', 'A', null, 'input', false, '1', '0.833333333000000000', '333333.333'],
      ['2026-10-01', 'token', 'A', null, 'output', false, '1', '0.250000000000000000', '25000.000'],
      ['2026-10-01', 'token', 'B', null, 'input', false, '1', '1.666666667000000000', '666666.667'],
      ['2026-10-01', 'token', 'B', null, 'output', false, '1', '0.750000000000000000', '75000.000'],
      ['2026-10-02', 'token', null, null, 'input', true, '2', '6.000000000000000000', '2400000.000'],
    ]);
    const check = (await runChecks(store, CHECK)).find((c) => c.id === 'completeness.allocation-daily');
    expect(check).toMatchObject({ status: 'pass', count: 0 });
  });

  it('the check names a day whose rollup is out of step with the rows', async () => {
    await load([tokenRow(INPUT, 1_000_000, '2.5', { ...day(1), ResourceId: R1 })], [tel(1, 'A', 100, 0)]);
    await store.query("UPDATE alloc_daily SET effective_cost = effective_cost + 0.01 WHERE day = DATE '2026-10-01'");
    const check = (await runChecks(store, CHECK)).find((c) => c.id === 'completeness.allocation-daily')!;
    expect(check.status).toBe('fail');
    expect(check.examples[0]).toBe('2026-10-01 USD: rows 1 vs 1, effective cost 2.500000000000000000 vs 2.510000000000000000');
  });
});

describe('alloc_daily, as a property', () => {
  const cents = fc.integer({ min: -50_000, max: 5_000_000 }).map((c) => (c / 100).toFixed(2));
  const billingRow = fc.record({ token: fc.boolean(), output: fc.boolean(), d: fc.integer({ min: 1, max: 3 }), cost: cents,
    team: fc.constantFrom('t1', 't2', null), tokens: fc.integer({ min: 1, max: 5_000_000 }) });
  const telRow = fc.record({ d: fc.integer({ min: 1, max: 3 }), f: fc.constantFrom('A', 'B', 'C'),
    p: fc.integer({ min: 0, max: 1_000_000 }), c: fc.integer({ min: 0, max: 1_000_000 }) });

  it('budget series from the rollup equal those from the rows, per feature, cost and tokens (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(billingRow, { minLength: 1, maxLength: 20 }), fc.array(telRow, { maxLength: 20 }),
      async (bills, tels) => {
        store.close();
        store = await Store.open(':memory:');
        await load(bills.map((b) => b.token
          ? { ...tokenRow(b.output ? OUTPUT : INPUT, b.tokens, '1', { ...day(b.d), ResourceId: R1 }), BilledCost: b.cost,
            EffectiveCost: b.cost }
          : { ...day(b.d), BilledCost: b.cost, EffectiveCost: b.cost, ResourceId: STORAGE,
            ...(b.team ? { Tags: JSON.stringify({ team: b.team }) } : {}) }),
        tels.map((t) => tel(t.d, t.f, t.p, t.c)));
        const ledger = ledgerOf(store);
        for (const measure of ['cost', 'tokens'] as const) {
          const base = { measure, costBasis: 'effective' as const, by: 'feature' as const, from: '2026-10-01', to: '2026-10-04' };
          // a resource scope that every row is in reads alloc_rows; no scope reads alloc_daily
          const rows = await dailySeries(ledger, { ...base, scope: { resource: [R1, STORAGE] } });
          const rollup = await dailySeries(ledger, { ...base, scope: {} });
          const shape = (s: typeof rollup) => s.map((x) => [x.currency, x.key, x.start, x.exact]).sort();
          expect(shape(rollup)).toEqual(shape(rows));
          if (measure === 'cost') expect(rollup.length).toBeGreaterThan(0);
        }
      }), { numRuns: 15 });
  });
});
