import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { code, join, sql } from '../../store/sql.js';
import { fastDecimal } from './columns.js';

let store: Store;
beforeAll(async () => { store = await Store.open(':memory:'); });
afterAll(() => store.close());

/** fastDecimal must agree with DuckDB's own (slow) cast on every text, valid or not. */
async function agree(texts: string[]): Promise<void> {
  const values = join(texts.map((t) => sql`(${t})`), ', ');
  const rows = await store.query(
    sql`SELECT v, CAST(${fastDecimal(code('v'))} AS VARCHAR) AS fast, CAST(TRY_CAST(v AS DECIMAL(38,18)) AS VARCHAR) AS slow
      FROM (VALUES ${values}) t(v)`);
  for (const r of rows) expect(r.fast, `text ${JSON.stringify(r.v)}`).toBe(r.slow);
}

describe('fastDecimal', () => {
  it('matches DuckDB on the shapes real exports carry', async () => {
    await agree(['0', '-0', '42', '-0.5', '0.00000080000', '2008800', '1.5E-3', '-2.5e2', '12,50', '1.2.3', 'abc', '', ' 7', '+3.25',
      '123456789012345678', '1234567890123456789', '0.123456789012345678', '0.1234567890123456789', '-', '.5', '5.', '1e400', 'NaN']);
  });

  it('matches DuckDB on random decimals and junk (property)', async () => {
    const decimal = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat({ max: 20 }))
      .map(([neg, n, scale]) => { const s = n.toString().padStart(scale + 1, '0');
        return `${neg ? '-' : ''}${scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s}`; });
    await fc.assert(fc.asyncProperty(fc.array(fc.oneof(decimal, fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 50 }),
      async (texts) => {
      await agree(texts);
    }), { numRuns: 40 });
  });
});
