/**
 * Allocation scenarios with hand-computed cents, and the invariant as a property.
 *
 * Scenario 1 topology (USD; R1, R2 are Azure OpenAI accounts):
 *
 *   billing row  day    resource  meter                          cost  telemetry that day               expected
 *   1            10-01  R1        gpt-4o input   (1,000,000 tok)  2.50  A 100k, B 200k uncached input     A 0.833333333, B 1.666666667 (L1)
 *   2            10-01  R1        gpt-4o output    (100,000 tok)  1.00  A 10k, B 30k output               A 0.25, B 0.75 (L1)
 *   3            10-02  R1        gpt-4o input   (2,000,000 tok)  5.00  none                              __unallocated__ (no telemetry)
 *   4            10-01  R2        o3 input         (500,000 tok)  1.10  C 50k, model only (no resource)   C 1.10 (L3)
 *   5            10-01  storage   tags team=platform               3.00  -                                 team platform,
 *                                                                                                          feature __unallocated__
 *   6            10-01  VM        untagged                         7.00  -                                 __unallocated__ (untagged)
 *
 *   by feature: A 1.083333333, B 2.416666667, C 1.10, __unallocated__ 15.00; total 19.60 = the bill.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sumDecimals } from '../domain/decimal.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { parsePeriod } from '../domain/period.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, tokenRow, writeFixture, type FixtureRow } from '../test-support/focus-fixture.js';
import { allocationSql } from './allocate.js';
import { ensureAllocation } from './materialize.js';
import { sql } from '../store/sql.js';
import { ingestFixtures, reportOf } from '../test-support/ledger.js';

const rules = loadRules();
const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
const R2 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r2';
const day = (d: number) => ({ ChargePeriodStart: `2026-10-0${d}T00:00:00Z`, ChargePeriodEnd: `2026-10-0${d + 1}T00:00:00Z` });
const tel = (d: number, feature: string, model: string, prompt: number, completion: number, resource?: string) => ({
  timestamp: `2026-10-0${d}T10:00:00Z`, model, feature, ...(resource ? { resource_id: resource } : {}),
  usage: { prompt_tokens: prompt, completion_tokens: completion },
});

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

async function load(billing: FixtureRow[], telemetry: object[]) {
  await ingestFixtures(store, billing, telemetry);
}

const o = { period: parsePeriod({ month: '2026-10' }), costBasis: 'effective' as const };

describe('allocation scenario 1', () => {
  beforeEach(async () => {
    await load([
      tokenRow('gpt 4o 0513 Input global Tokens', 1_000_000, '2.5', { ...day(1), ResourceId: R1 }),
      tokenRow('gpt 4o 0513 Output global Tokens', 100_000, '10', { ...day(1), ResourceId: R1 }),
      tokenRow('gpt 4o 0513 Input global Tokens', 2_000_000, '2.5', { ...day(2), ResourceId: R1 }),
      tokenRow('o3 Inpt DZone 1M Tokens', 500_000, '2.2', { ...day(1), ResourceId: R2 }),
      { ...day(1), BilledCost: '3', EffectiveCost: '3', Tags: '{"team":"platform"}' },
      { ...day(1), BilledCost: '7', EffectiveCost: '7', ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines',
        x_SkuMeterName: 'D4s v5' },
    ], [
      tel(1, 'A', 'gpt-4o', 100_000, 10_000, R1),
      tel(1, 'B', 'gpt-4o', 150_000, 20_000, R1),
      tel(1, 'B', 'gpt-4o', 50_000, 10_000, R1),
      tel(1, 'C', 'o3', 50_000, 0),
    ]);
  });

  it('splits by feature to the expected cents, with the unallocated line', async () => {
    const r = await reportOf(store, 'allocation', { month: '2026-10', by: ['feature'] });
    expect(r.rows.map((x) => [x.key, x.cost])).toEqual([
      ['B', '2.416666667000000000'],
      ['C', '1.100000000000000000'],
      ['A', '1.083333333000000000'],
      ['__unallocated__', '15.000000000000000000'],
    ]);
    expect(sumDecimals(r.rows.map((x) => String(x.cost)))).toBe('19.6');
  });

  it('records method and reason per share', async () => {
    await ensureAllocation(store);
    const rows = await store.query(
      sql`SELECT tl_source_row AS r, coalesce(feature, '-') AS f, method, reason, CAST(allocated_cost AS VARCHAR) AS c
      FROM (${allocationSql(o)}) ORDER BY r, f`);
    expect(rows).toEqual([
      { r: '1', f: 'A', method: 'telemetry day+resource+model+token_type', reason: null, c: '0.833333333000000000' },
      { r: '1', f: 'B', method: 'telemetry day+resource+model+token_type', reason: null, c: '1.666666667000000000' },
      { r: '2', f: 'A', method: 'telemetry day+resource+model+token_type', reason: null, c: '0.250000000000000000' },
      { r: '2', f: 'B', method: 'telemetry day+resource+model+token_type', reason: null, c: '0.750000000000000000' },
      { r: '3', f: '-', method: 'none', reason: 'no telemetry for this day, resource, model and token type', c: '5.000000000000000000' },
      { r: '4', f: 'C', method: 'telemetry day+model+token_type', reason: null, c: '1.100000000000000000' },
      { r: '5', f: '-', method: 'tags', reason: null, c: '3.000000000000000000' },
      { r: '6', f: '-', method: 'tags', reason: 'untagged', c: '7.000000000000000000' },
    ]);
  });

  it('token drift: billed vs telemetry per day, resource, model, token type', async () => {
    const r = await reportOf(store, 'token-drift', { month: '2026-10', all: true });
    expect(r.rows.map((x) => [x.first_day, x.last_day, x.days, x.model, x.token_type, x.billed_tokens, x.telemetry_tokens, x.drift_pct,
      x.flag])).toEqual([
      // 1,000,000 billed vs 300,000 observed: (1,000,000 - 300,000) / 300,000
      ['2026-10-01', '2026-10-01', '1', 'gpt-4o', 'input', '1000000.000000', '300000', 233.3333, 'drift'],
      ['2026-10-01', '2026-10-01', '1', 'gpt-4o', 'output', '100000.000000', '40000', 150, 'drift'],
      // o3 telemetry has no resource: not comparable per resource, so only the billed side shows
      ['2026-10-01', '2026-10-01', '1', 'o3', 'input', '500000.000000', '0', null, 'no-telemetry'],
      ['2026-10-02', '2026-10-02', '1', 'gpt-4o', 'input', '2000000.000000', '0', null, 'no-telemetry'],
    ]);
  });

  it('by team: tags for non-token costs, telemetry without a team is unallocated', async () => {
    const r = await reportOf(store, 'allocation', { month: '2026-10', by: ['team'] });
    expect(r.rows.map((x) => [x.key, x.cost])).toEqual([['platform', '3.000000000000000000'],
      ['__unallocated__', '16.600000000000000000']]);
  });

  it('a billing row without a row number or file record fails the build by name and keeps the allocation it had', async () => {
    await ensureAllocation(store);
    const before = await store.query('SELECT count(*) AS n, CAST(sum(billed_cost) AS VARCHAR) AS c FROM alloc_rows');
    expect(before).toEqual([{ n: '8', c: '19.600000000000000000' }]);
    // 0 is what a row of a CSV part holds until the rows are numbered after the commit
    await store.query('UPDATE billing_rows SET tl_source_row = 0 WHERE tl_source_row = 3');
    await expect(ensureAllocation(store, { force: true })).rejects.toThrow(/billing row 0 of ingestion ing-\S+ part 1 has no file record or no row/);
    expect(await store.query('SELECT count(*) AS n, CAST(sum(billed_cost) AS VARCHAR) AS c FROM alloc_rows')).toEqual(before);
    await store.query('UPDATE billing_rows SET tl_source_row = 3 WHERE tl_source_row = 0');
    await store.query('DELETE FROM ingestion_files');
    await expect(ensureAllocation(store, { force: true })).rejects.toThrow(/billing row 1 of ingestion ing-\S+ part 1 has no file record/);
  });

  it('rows of two ingestions and parts get distinct numbers: each keeps its own cents', async () => {
    // another account: its own ingestion (not a newer export of the first), whose row 1 meets the first's row 1
    await ingestFixtures(store, [{ ...day(3), BillingAccountId: 'acct-2', BilledCost: '0.25', EffectiveCost: '0.25' }], []);
    await ensureAllocation(store);
    const [n] = await store.query(`SELECT count(*) AS rows, count(DISTINCT (tl_ingestion_id, tl_source_row)) AS distinct_rows,
      CAST(sum(billed_cost) AS VARCHAR) AS cost FROM alloc_rows WHERE kind = 'other'`);
    expect(n).toEqual({ rows: '3', distinct_rows: '3', cost: '10.250000000000000000' });
  });
});

describe('allocation with telemetry that has no cache split (APIM token metrics)', () => {
  it('prompt tokens are the basis for billed input and cached input; drift compares prompt with all input', async () => {
    const dir = tempDir();
    await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv([
      tokenRow('gpt 4o 0513 Input global Tokens', 600_000, '2.5', { ...day(1), ResourceId: R1 }),
      tokenRow('gpt 4o 0513 cached Inp glbl Tokens', 400_000, '1.25', { ...day(1), ResourceId: R1 }),
    ]))], { rules });
    const metrics = 'timestamp,name,valueSum,valueCount,customDimensions\n'
      + `2026-10-01T10:00:00Z,Prompt Tokens,750000,10,"{""feature"":""A"",""Deployment"":""gpt-4o"",""resource_id"":""${R1}""}"\n`
      + `2026-10-01T11:00:00Z,Prompt Tokens,250000,4,"{""feature"":""B"",""Deployment"":""gpt-4o"",""resource_id"":""${R1}""}"\n`;
    await ingestTelemetry(store, [writeFixture(dir, 'metrics.csv', metrics)]);
    const r = await reportOf(store, 'allocation', { month: '2026-10', by: ['feature'] });
    // input 1.50 and cached 0.50, each split 3:1
    expect(r.rows.map((x) => [x.key, x.cost, x.basis])).toEqual([
      ['A', '1.500000000000000000', 'telemetry day+resource+model+token_type (prompt tokens without cache split)'],
      ['B', '0.500000000000000000', 'telemetry day+resource+model+token_type (prompt tokens without cache split)'],
    ]);
    const drift = await reportOf(store, 'token-drift', { month: '2026-10', all: true });
    expect(drift.rows.map((x) => [x.token_type, x.billed_tokens, x.telemetry_tokens, x.flag])).toEqual(
      [['prompt', '1000000.000000', '1000000', 'ok']]);
  });
});

describe('allocation invariant', () => {
  const models = [['gpt 4o 0513 Input global Tokens', 'gpt-4o'], ['o3 Outpt DZone 1M Tokens', 'o3']] as const;
  const resources = [R1, R2];
  const cents = fc.integer({ min: -50_000, max: 5_000_000 }).map((c) => (c / 100).toFixed(2));
  const billingRow = fc.record({ kind: fc.constantFrom('token', 'tagged', 'untagged'), m: fc.integer({ min: 0, max: 1 }),
    r: fc.integer({ min: 0, max: 1 }), d: fc.integer({ min: 1, max: 3 }), cost: cents, ecost: cents,
    tokens: fc.integer({ min: 1, max: 5_000_000 }) });
  const telRow = fc.record({ m: fc.integer({ min: 0, max: 1 }), r: fc.integer({ min: 0, max: 2 }), d: fc.integer({ min: 1, max: 3 }),
    f: fc.constantFrom('A', 'B', 'C', null), p: fc.integer({ min: 0, max: 1_000_000 }), c: fc.integer({ min: 0, max: 1_000_000 }) });

  it('for every billing row, allocated + unallocated = its cost, to the last digit (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(billingRow, { minLength: 1, maxLength: 25 }), fc.array(telRow, { maxLength: 30 }),
      async (bills, tels) => {
      store.close();
      store = await Store.open(':memory:');
      await load(bills.map((b) => {
        if (b.kind === 'token')
          return { ...tokenRow(models[b.m]![0], b.tokens, '1', { ...day(b.d), ResourceId: resources[b.r]! }), BilledCost: b.cost,
            EffectiveCost: b.ecost };
        return { ...day(b.d), BilledCost: b.cost, EffectiveCost: b.ecost, ...(b.kind === 'tagged' ? { Tags: '{"feature":"T"}' } : {}) };
      }), tels.map((t) => tel(t.d, t.f ?? '', models[t.m]![1], t.p, t.c, t.r < 2 ? resources[t.r] : undefined)));
      await ensureAllocation(store);
      const per = await store.query(
        sql`SELECT b.tl_source_row AS r, CAST(b.EffectiveCost AS VARCHAR) AS cost, CAST(b.BilledCost AS VARCHAR) AS bcost,
          CAST(coalesce(sum(a.effective_cost), 0) AS VARCHAR) AS allocated, CAST(coalesce(sum(a.billed_cost), 0) AS VARCHAR) AS ballocated,
            count(a.tl_source_row) AS n
        FROM charges b LEFT JOIN (${allocationSql(o)}) a USING (tl_ingestion_id, tl_source_part, tl_source_row) GROUP BY ALL`);
      for (const row of per) {
        expect(Number(row.n)).toBeGreaterThan(0);
        expect(row.allocated).toBe(row.cost);
        expect(row.ballocated).toBe(row.bcost);
      }
      const byFeature = await reportOf(store, 'allocation', { month: '2026-10', by: ['feature'] });
      expect(sumDecimals(byFeature.rows.map((x) => String(x.cost)))).toBe(sumDecimals(bills.map((b) => b.ecost)));
      const billed = await reportOf(store, 'allocation', { month: '2026-10', cost: 'billed', by: ['team'] });
      expect(sumDecimals(billed.rows.map((x) => String(x.cost)))).toBe(sumDecimals(bills.map((b) => b.cost)));
    }), { numRuns: 30 });
  });
});
