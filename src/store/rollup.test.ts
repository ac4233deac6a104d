/**
 * The daily rollup (charges_daily) against the rows it sums: hand-computed cents on a small ledger; kept in
 * step by every writer (ingest, replacement, reclassification, a refused ingest, the orphan sweep); and a
 * property: for random ledgers, every sum the headline reports read from it equals the same sum over the rows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChecks } from '../check/checks.js';
import { classifyMeters } from '../ingest/focus/classify-meters.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { fingerprint, focusCsv, tempDir, tokenRow, writeFixture, type FixtureRow } from '../test-support/focus-fixture.js';
import { Store } from './db.js';
import { findOrphans, sweepOrphans } from './integrity.js';
import { rebuildRollup, rollupDifferences } from './rollup.js';

const rules = loadRules();
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const day = (d: number, month = '10') => ({
  ChargePeriodStart: `2026-${month}-${String(d).padStart(2, '0')}T00:00:00Z`,
  ChargePeriodEnd: `2026-${month}-${String(d + 1).padStart(2, '0')}T00:00:00Z`,
});
const INPUT = 'gpt 4o 0513 Input global Tokens';
const OUTPUT = 'gpt 4o 0513 Output global Tokens';

const rollup = () => store.query<Record<string, string>>(`SELECT strftime(charge_day, '%Y-%m-%d') AS day, tl_model AS model,
  tl_token_type AS token_type, tl_rows AS n, CAST(EffectiveCost AS VARCHAR) AS cost, CAST(tl_tokens AS VARCHAR) AS tokens
  FROM charges_daily ORDER BY day, model NULLS FIRST, token_type NULLS FIRST`);

describe('charges_daily, by hand', () => {
  it('sums rows per day and meter: 3 rows of one day and meter are one row; cents exact', async () => {
    const f = writeFixture(tempDir(), 'oct.csv', focusCsv([
      tokenRow(INPUT, 1_000_000, '2.5', day(5)), // 2.50
      tokenRow(INPUT, 3_000_000, '2.5', { ...day(5), ResourceId: '/subscriptions/s/other' }), // 7.50
      tokenRow(INPUT, 40_000, '2.5', day(5)), // 0.10
      tokenRow(OUTPUT, 200_000, '10', day(5)), // 2.00
      tokenRow(INPUT, 1_000_000, '2.5', day(6)), // 2.50
      { ...day(6), BilledCost: '0.07', EffectiveCost: '0.07' }, // storage, not a token meter
    ]));
    await ingestFocus(store, [f], { rules });
    expect(await rollup()).toEqual([
      { day: '2026-10-05', model: 'gpt-4o', token_type: 'input', n: '3', cost: '10.100000000000000000', tokens: '4040000.000000' },
      { day: '2026-10-05', model: 'gpt-4o', token_type: 'output', n: '1', cost: '2.000000000000000000', tokens: '200000.000000' },
      { day: '2026-10-06', model: null, token_type: null, n: '1', cost: '0.070000000000000000', tokens: null },
      { day: '2026-10-06', model: 'gpt-4o', token_type: 'input', n: '1', cost: '2.500000000000000000', tokens: '1000000.000000' },
    ]);
    expect(await rollupDifferences(store)).toEqual([]);
  });

  it('a newer export replaces the older one for its period: the older rollup goes with its rows', async () => {
    const d = tempDir();
    const v1 = writeFixture(d, 'v1.csv', focusCsv([1, 2, 3].map((n) => tokenRow(INPUT, 1_000_000, '2.5', day(n)))));
    const v2 = writeFixture(d, 'v2.csv', focusCsv([1, 2].map((n) => tokenRow(INPUT, 2_000_000, '2.5', day(n)))));
    await ingestFocus(store, [v1], { rules, scope: 'feed' });
    const [o] = await ingestFocus(store, [v2], { rules, scope: 'feed' });
    expect(o!.replaced[0]!.rows).toBe(3);
    expect((await rollup()).map((r) => [r.day, r.cost])).toEqual([
      ['2026-10-01', '5.000000000000000000'], ['2026-10-02', '5.000000000000000000']]);
    expect(await rollupDifferences(store)).toEqual([]);
  });

  it('a refused ingest leaves the rollup as it was', async () => {
    const d = tempDir();
    await ingestFocus(store, [writeFixture(d, 'ok.csv', focusCsv([tokenRow(INPUT, 1_000_000, '2.5', day(3))]))], { rules });
    const before = [await fingerprint(store), await rollup()];
    const bad = writeFixture(d, 'bad.csv', focusCsv([tokenRow(INPUT, 1_000_000, '2.5', day(4)), { ...day(5), BilledCost: 'twelve' }]));
    await expect(ingestFocus(store, [bad], { rules })).rejects.toThrow(/BilledCost/);
    expect([await fingerprint(store), await rollup()]).toEqual(before);
  });

  it('a rules change re-classifies meters of earlier ingestions: their rollup follows (ingest and reclassify)', async () => {
    const d = tempDir();
    const zeta = (n: number) => ({ ...tokenRow(INPUT, 2_000_000, '3', day(n)), x_SkuMeterName: 'zeta-9 Inp Gl 1M Tokens' });
    await ingestFocus(store, [writeFixture(d, 'a.csv', focusCsv([zeta(1)]))], { rules });
    expect((await rollup()).map((r) => r.model)).toEqual([null]);
    writeFileSync(join(d, 'mine.yaml'), 'version: 1\nmodels:\n  - { pattern: "zeta-9", id: zeta-9 }\n');
    const mine = loadRules(join(d, 'mine.yaml'));
    // the next ingest, under the new rules, re-classifies the first file's meter too
    await ingestFocus(store, [writeFixture(d, 'b.csv', focusCsv([zeta(2)]))], { rules: mine, scope: 'b' });
    expect((await rollup()).map((r) => [r.day, r.model, r.tokens])).toEqual([
      ['2026-10-01', 'zeta-9', '2000000.000000'], ['2026-10-02', 'zeta-9', '2000000.000000']]);
    // and back, as `reclassify` does it
    await store.transaction(async () => {
      expect(await classifyMeters(store, '', rules, '2026-11-01 00:00:00')).toHaveLength(1);
      await rebuildRollup(store);
    });
    expect((await rollup()).map((r) => r.model)).toEqual([null, null]);
    expect(await rollupDifferences(store)).toEqual([]);
  });

  it('check fails when the rollup does not add up, names the ingestion; a rebuild repairs it', async () => {
    await ingestFocus(store, [writeFixture(tempDir(), 'x.csv', focusCsv([tokenRow(INPUT, 1_000_000, '2.5', day(3))]))], { rules });
    await store.query('UPDATE charges_daily SET EffectiveCost = EffectiveCost + 0.01');
    const opts = { today: '2026-11-20', staleDays: 3, closeDays: 5 };
    const bad = (await runChecks(store, opts)).find((c) => c.id === 'completeness.rollup')!;
    expect(bad).toMatchObject({ status: 'fail', count: 1 });
    expect(bad.examples[0]).toMatch(/^ing-.*: rows 1 vs 1, effective cost 2\.5\d* vs 2\.51\d*/);
    await rebuildRollup(store);
    expect((await runChecks(store, opts)).find((c) => c.id === 'completeness.rollup')).toMatchObject({ status: 'pass' });
  });

  it('rollup rows of no committed ingestion are orphans: found, and swept with the rest', async () => {
    await ingestFocus(store, [writeFixture(tempDir(), 'x.csv', focusCsv([tokenRow(INPUT, 1_000_000, '2.5', day(3))]))], { rules });
    await store.query(`INSERT INTO charges_daily BY NAME SELECT * REPLACE ('ing-torn' AS tl_ingestion_id) FROM charges_daily`);
    expect((await findOrphans(store)).map((o) => [o.table, o.ingestionId, o.rows])).toEqual([['charges_daily', 'ing-torn', 1]]);
    await sweepOrphans(store);
    expect(await store.query('SELECT count(*) AS n FROM charges_daily')).toEqual([{ n: '1' }]);
  });
});

/** Random ledgers: days, meters, costs of up to 6 decimals, several files; sums by day and model, both ways. */
describe('charges_daily, property', () => {
  const rowArb = fc.record({
    d: fc.integer({ min: 1, max: 5 }),
    meter: fc.constantFrom(INPUT, OUTPUT, 'storage'),
    tokens: fc.integer({ min: 0, max: 5_000_000 }),
    micros: fc.integer({ min: -2_000_000, max: 90_000_000 }),
    sub: fc.constantFrom('s1', 's2'),
  });
  const toRow = (r: { d: number; meter: string; tokens: number; micros: number; sub: string }): FixtureRow => {
    const cost = (r.micros / 1e6).toFixed(6);
    const base = r.meter === 'storage' ? { ServiceName: 'Storage Accounts' } : tokenRow(r.meter, r.tokens, '2.5');
    return { ...base, ...day(r.d), SubAccountId: r.sub, BilledCost: cost, EffectiveCost: cost };
  };
  const SUMS = (from: string, n: string, dayExpr: string) => `SELECT strftime(${dayExpr}, '%Y-%m-%d') AS d, tl_model AS m,
    SubAccountId AS s, ${n} AS n, CAST(sum(EffectiveCost) AS VARCHAR) AS c, CAST(sum(BilledCost) AS VARCHAR) AS b,
    CAST(sum(tl_tokens) AS VARCHAR) AS t FROM ${from} GROUP BY ALL ORDER BY ALL`;

  it('every sum by day, model and subscription equals the rows\'', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(rowArb, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
      async (files) => {
        const s = await Store.open(':memory:');
        try {
          const d = tempDir();
          for (const [i, rows] of files.entries()) {
            // one billing account per file: equal random rows in two files would be refused as a re-delivery
            const csv = focusCsv(rows.map((r) => ({ ...toRow(r), BillingAccountId: `acct-${i}` })));
            await ingestFocus(s, [writeFixture(d, `f${i}.csv`, csv)], { rules, scope: `f${i}` });
          }
          const raw = await s.query(SUMS('charges', 'count(*)', 'ChargePeriodStart'));
          const daily = await s.query(SUMS('charges_daily', 'sum(tl_rows)', 'charge_day'));
          expect(daily).toEqual(raw);
          expect(await rollupDifferences(s)).toEqual([]);
        } finally {
          s.close();
        }
      }), { numRuns: 25 });
  });
});
