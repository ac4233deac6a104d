/**
 * Migration 021 computes `charges` with fewer casts (a unit price and cost only where the quantities do not settle
 * the convention). It must give every row exactly what 020's view gives: a store's charges_daily was summed by
 * 020, and the check compares it with what `charges` adds up to. Random token rows of every shape (quantities
 * consistent or not, in tokens or in blocks, prices on any pair, a missing block size, zero and negative costs)
 * are read through both views; every column must agree.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { Store } from './db.js';

const VIEW_020 = readFileSync(new URL('./migrations/020_charges_tokens_round.sql', import.meta.url), 'utf8')
  .replace('CREATE OR REPLACE VIEW charges AS', 'CREATE OR REPLACE TEMP VIEW charges_020 AS');
const rules = loadRules();
let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await store.query(VIEW_020);
});
afterAll(() => store.close());

const METERS = ['gpt 4o 0513 Input global Tokens', 'gpt-4o-mini-0718-Inp-glbl', 'gpt 4o 0513 Output global Tokens'];
const number = fc.oneof(fc.constant('0'), fc.integer({ min: -5_000, max: 5_000_000 }).map(String),
  fc.double({ min: -1000, max: 1e7, noNaN: true }).map((x) => x.toFixed(6)));
/** Costs are required columns; quantities and unit prices may be empty. */
const amount = fc.oneof(fc.constant(''), number);

const PAIRS = [['ListCost', 'ListUnitPrice'], ['ContractedCost', 'ContractedUnitPrice'], ['BilledCost', 'x_BilledUnitPrice'],
  ['EffectiveCost', 'x_EffectiveUnitPrice']] as const;

/**
 * A token row of one of the shapes exports have: quantities as FOCUS says (tokens, blocks), both in blocks, both in
 * tokens, consumed in blocks, or random; the unit price and cost that agree with them on one of the four pairs (the
 * pairs before it without cost), the others random; sometimes no block size.
 */
const row = fc.record({
  meter: fc.constantFrom(...METERS),
  blocks: fc.integer({ min: 1, max: 50 }),
  price: fc.constantFrom('2.5', '0.15', '10'),
  shape: fc.constantFrom('focus', 'blocks', 'tokens', 'consumed-blocks', 'random'),
  pair: fc.integer({ min: 0, max: 3 }),
  block: fc.constantFrom(undefined, '1000000', ''),
  noise: fc.record({ ConsumedQuantity: amount, PricingQuantity: amount, ListCost: number, ContractedCost: number, BilledCost: number,
    EffectiveCost: number, ListUnitPrice: amount, ContractedUnitPrice: amount, x_BilledUnitPrice: amount, x_EffectiveUnitPrice: amount }),
}).map((r) => {
  const tokens = r.blocks * 1_000_000;
  const q = { focus: [tokens, r.blocks], blocks: [r.blocks, r.blocks], tokens: [tokens, tokens], 'consumed-blocks': [r.blocks, tokens * 3],
    random: null }[r.shape];
  const cost = (Number(r.price) * r.blocks).toFixed(6);
  const pairs = Object.fromEntries(PAIRS.flatMap(([c, u], i) => (i < r.pair ? [[c, '0']] : i === r.pair ? [[c, cost], [u, r.price]]
    : [[c, r.noise[c]], [u, r.noise[u]]])));
  return tokenRow(r.meter, tokens, r.price, {
    ...pairs,
    ConsumedQuantity: q ? String(q[0]) : r.noise.ConsumedQuantity, PricingQuantity: q ? String(q[1]) : r.noise.PricingQuantity,
    ...(r.block !== undefined ? { x_PricingBlockSize: r.block } : {}),
  });
});

describe('the charges view of migration 021', () => {
  it('gives every row what 020 gave (property)', async () => {
    const d = tempDir();
    let file = 0;
    let compared = 0;
    const conventions = new Set<string>();
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), async (rows) => {
      file += 1;
      const f = writeFixture(d, `q${file}.csv`, focusCsv(rows.map((r, i) => ({ ...r, ResourceId: `/r/${file}/${i}` }))));
      // a row the ingest refuses (a bad amount) makes the whole file refused: then there is nothing to compare
      try { await ingestFocus(store, [f], { rules }); } catch { return; }
      compared += 1;
      const [n] = await store.query<{ a: string; b: string; n: string }>(`SELECT
        (SELECT count(*) FROM (SELECT * FROM charges EXCEPT ALL SELECT * FROM charges_020)) AS a,
        (SELECT count(*) FROM (SELECT * FROM charges_020 EXCEPT ALL SELECT * FROM charges)) AS b,
        (SELECT count(*) FROM charges) AS n`);
      expect([n!.a, n!.b]).toEqual(['0', '0']);
      for (const c of await store.query<{ c: string }>('SELECT DISTINCT tl_quantity_convention AS c FROM charges')) conventions.add(c.c);
    }), { numRuns: 25 });
    expect(compared).toBeGreaterThan(5);
    // the runs reach the shapes the two views compute differently: rows settled by the quantities and rows that are not
    expect([...conventions].sort()).toEqual(expect.arrayContaining(['cq_blocks', 'focus', 'pq_blocks', 'pq_tokens', 'unresolved']));
  }, 120_000);

  it('is the view a store has', async () => {
    const [v] = await store.query<{ sql: string }>(`SELECT sql FROM duckdb_views() WHERE view_name = 'charges'`);
    expect(v!.sql).toMatch(/CAST\(ratio_ok AS BOOLEAN\) IS NOT DISTINCT FROM true/);
  });
});
