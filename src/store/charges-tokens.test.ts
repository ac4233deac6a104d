/**
 * Migration 020 rounds the token count of `charges` with round(x, 6) instead of a cast to DECIMAL(38,6): the
 * two must agree on every DECIMAL(38,18) value and on a quantity times a block size, or a store's charges_daily
 * (summed with the cast before 020) would no longer match what its charges add up to.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from './db.js';
import { join, sql } from './sql.js';

let store: Store;
beforeAll(async () => { store = await Store.open(':memory:'); });
afterAll(() => store.close());

async function agree(values: string[], block: number): Promise<void> {
  const rows = await store.query<{ v: string; c: string; r: string }>(sql`
    SELECT v, CAST(CAST(q AS DECIMAL(38,6)) AS VARCHAR) AS c, CAST(CAST(round(q, 6) AS DECIMAL(38,6)) AS VARCHAR) AS r
    FROM (SELECT v, CAST(v AS DECIMAL(38,18)) * CAST(${block} AS BIGINT) AS q
      FROM (VALUES ${join(values.map((v) => sql`(${v})`), ', ')}) t(v))`);
  for (const x of rows) expect(x.r, `${x.v} x ${block}`).toBe(x.c);
}

describe('charges tl_tokens rounding (migration 020)', () => {
  it('round(x, 6) is the cast, halves away from zero included', async () => {
    await agree(['0.0000005', '-0.0000005', '0.0000015', '2.0000025', '-2.0000025', '0.00000049999', '0.000000500000000001', '0',
      '123456789.123456789012345678', '-99999999999999999999.9999995'], 1);
    await agree(['0.0000005', '0.123456789', '-1.5e-7', '3.0000004999'], 1000);
  });

  it('agrees on random quantities, and on quantities times a block (property)', async () => {
    const decimal = (maxDigits: number, minScale: number) => fc.tuple(fc.boolean(),
      fc.bigInt({ min: 0n, max: 10n ** BigInt(maxDigits) - 1n }), fc.integer({ min: minScale, max: 18 }))
      .map(([neg, n, scale]) => { const s = n.toString().padStart(scale + 1, '0');
        return `${neg ? '-' : ''}${scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s}`; });
    await fc.assert(fc.asyncProperty(fc.array(decimal(20, 0), { minLength: 1, maxLength: 40 }),
      async (values) => { await agree(values, 1); }), { numRuns: 40 });
    await fc.assert(fc.asyncProperty(fc.array(decimal(18, 6), { minLength: 1, maxLength: 40 }), fc.constantFrom(1000, 1_000_000),
      async (values, block) => { await agree(values, block); }), { numRuns: 40 });
  });

  it('is what the charges view computes', async () => {
    const [v] = await store.query<{ sql: string }>(sql`SELECT sql FROM duckdb_views() WHERE view_name = 'charges'`);
    expect(v!.sql).toMatch(/CAST\(round\(CASE +WHEN \(\(tl_quantity_convention = 'focus'\)\)/);
  });
});
