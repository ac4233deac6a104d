import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { code, join, sql } from '../../store/sql.js';
import { parsePricingBlockSize } from '../../domain/pricing-unit.js';
import { BLOCK_MAX, blockTooLarge, buildSelectList, fastDecimal } from './columns.js';

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

/** blockTooLarge (SQL, at read) must refuse exactly the unit texts whose parsed block exceeds BLOCK_MAX. */
async function sameBlocks(texts: string[]): Promise<void> {
  const values = join(texts.map((t) => sql`(${t})`), ', ');
  const rows = await store.query<{ v: string; big: boolean }>(
    sql`SELECT v, ${blockTooLarge(code('v'))} AS big FROM (VALUES ${values}) t(v)`);
  for (const r of rows) expect(r.big, `unit ${JSON.stringify(r.v)}`).toBe((parsePricingBlockSize(r.v) ?? 1n) > BigInt(BLOCK_MAX));
}

describe('blockTooLarge', () => {
  it('refuses the blocks above 1T that parsePricingBlockSize reads, and nothing else', async () => {
    await sameBlocks(['1M', '1000000 Tokens', '1000000000000 Tokens', '1000000000001 Tokens', '1001B', '1000B',
      '99999999999999999999999 Tokens', '99999999999999999999999s', '5000000000000x', '0000000000000000001', '2000000000 K',
      '2000000000K/Month', ' 2000000000000 ', 'Units', '', '1\u00a0000000000000', '10000s', '1/10 Days', '3000000000000/Hour']);
  });

  it('agrees with parsePricingBlockSize on random unit texts (property)', async () => {
    const unit = fc.tuple(fc.stringMatching(/^ ?/), fc.bigInt({ min: 0n, max: 10n ** 25n }), fc.constantFrom('', ' ', '  '),
      fc.constantFrom('', 'K', 'm', 'B', 'x'), fc.constantFrom('', ' Tokens', '/Month', 's', ' '))
      .map(([a, n, b, s, t]) => `${a}${n}${b}${s}${t}`);
    await fc.assert(fc.asyncProperty(fc.array(fc.oneof(unit, fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 50 }),
      async (texts) => { await sameBlocks(texts); }), { numRuns: 40 });
  });
});

/** What Tags text becomes (tagsExpr through buildSelectList), against a reference written with JSON.parse. */
function tagsReference(v: string | null): { tags: string | null; fix: string | null } {
  const object = (t: string) => {
    try {
      const j: unknown = JSON.parse(t);
      return j !== null && typeof j === 'object' && !Array.isArray(j);
    } catch {
      return false;
    }
  };
  if (v === null || ['', '{}'].includes(v.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, ''))) return { tags: null, fix: null };
  if (object(v)) return { tags: 'object', fix: null };
  if (object(`{${v}}`)) return { tags: 'object', fix: 'TagsWrappedInBraces' };
  return { tags: null, fix: 'TagsNotJson' };
}

async function sameTags(texts: (string | null)[]): Promise<void> {
  const { select, from } = buildSelectList(0, [{ name: 'Tags', type: 'VARCHAR' }]);
  const values = join(texts.map((t) => sql`(${t === null ? code('NULL') : t})`), ', ');
  const rows = await store.query<{ v: string | null; k: string | null; fix: string | null }>(
    sql`SELECT v, CASE WHEN json_type("Tags") = 'OBJECT' THEN 'object' ELSE CAST(json_type("Tags") AS VARCHAR) END AS k,
      tl_tags_fix AS fix FROM (SELECT Tags AS v, ${select} FROM ${from(sql`(SELECT v AS "Tags" FROM (VALUES ${values}) t(v))`)})`);
  for (const r of rows) expect({ tags: r.k, fix: r.fix }, `tags ${JSON.stringify(r.v)}`).toEqual(tagsReference(r.v));
}

describe('Tags', () => {
  it('keeps JSON objects, wraps brace-less pairs, and flags the rest', async () => {
    await sameTags(['{"team":"a"}', '  {"a": 1}', '\t{"a":{"b":[1]}}', '"team": "a", "env": "prod"', '{}', ' {} ', '', null,
      'not json', '[1,2]', '"a string"', '42', 'null', '{"a":', '"a":1}', '{"a":1} x', '\n', ' \r\n{}\t']);
  });

  it('agrees with JSON.parse on random texts (property)', async () => {
    const pair = fc.tuple(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer()))
      .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    const text = fc.oneof(fc.array(pair, { maxLength: 3 }).map((p) => p.join(', ')),
      fc.array(pair, { maxLength: 3 }).map((p) => `{${p.join(',')}}`), fc.json(), fc.string({ maxLength: 8 }),
      fc.constantFrom(' ', '\n', '{', '}', '[]', '{}'));
    await fc.assert(fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 40 }), async (texts) => { await sameTags(texts); }),
      { numRuns: 40 });
  });
});
