/** The SQL template: values travel as parameters whatever they contain; fragments keep their parameters. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positional, Store } from './db.js';
import { code, fill, inPeriod, join, list, Sql, sql } from './sql.js';

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

describe('sql', () => {
  it('any string comes back as itself: quotes, $ patterns, comments and semicolons are data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\u0000')), async (s) => {
        const [row] = await store.query<{ v: string }>(sql`SELECT ${s} AS v`);
        expect(row!.v).toBe(s);
      }),
      { numRuns: 200 },
    );
    for (const hostile of ["x' OR 1=1 --", "cost$'x.csv", 'cost$$x.csv', "'; DROP TABLE ingestions; --", '$p1']) {
      const [row] = await store.query<{ v: string }>(sql`SELECT ${hostile} AS v`);
      expect(row!.v).toBe(hostile);
    }
  });

  it('named parameters travel by position: in order of first use, a name used twice keeps one position', async () => {
    const a = sql`${'x'}`;
    const q = sql`SELECT ${a} AS v, ${a} AS w, ${7} AS n`;
    const p = positional(q);
    expect(p.sql).toBe('SELECT $1 AS v, $1 AS w, $2 AS n');
    expect(p.values).toEqual(['x', 7]);
    expect(await store.query(q)).toEqual([{ v: 'x', w: 'x', n: 7 }]);
    // a $word in a literal is not a parameter: the statement is bound by name, as DuckDB reads it
    expect(await store.query(sql`SELECT ${'y'} AS v, '$word' AS t`)).toEqual([{ v: 'y', t: '$word' }]);
    // a $name no parameter has is left by name, so that DuckDB names it in its error
    const odd = new Sql('SELECT $p1 AS v, $other AS w', { p1: 1 });
    expect(positional(odd)).toEqual({ sql: odd.text, values: { p1: 1 } });
    await expect(store.query(odd)).rejects.toThrow(/other/);
  });

  it('thousands of parameters bind to the right places', async () => {
    const values = Array.from({ length: 5000 }, (_, i) => i * 3 + 1);
    const rows = await store.query<{ i: number; v: number }>(
      sql`SELECT * FROM (VALUES ${join(values.map((v, i) => sql`(${i}, ${v})`), ', ')}) t(i, v) ORDER BY i`);
    expect(rows.length).toBe(5000);
    expect(rows.every((r) => r.v === r.i * 3 + 1)).toBe(true);
  });

  it('nested fragments and filled templates keep every parameter', async () => {
    const inner = sql`${'a'} || ${'b'}`;
    const q = fill('SELECT /*X*/ AS v, /*Y*/ AS w -- /*Z*/ in a comment stays',
      { X: sql`${inner} || ${'c'}`, Y: sql`[${list([1, 2, 3])}]` });
    const [row] = await store.query<{ v: string; w: number[] }>(q);
    expect(row!.v).toBe('abc');
    expect(row!.w.map(Number)).toEqual([1, 2, 3]);
    expect(() => fill('SELECT /*NOPE*/', {})).toThrow(/NOPE/);
  });

  it('a period is two typed parameters, and nothing when open-ended', async () => {
    const where = inPeriod(code('d'), { from: '2026-10-01', to: '2026-11-01' });
    expect(where.text).not.toContain('2026');
    const rows = await store.query(
      sql`SELECT d FROM (VALUES (TIMESTAMP '2026-09-30'), (TIMESTAMP '2026-10-01'), (TIMESTAMP '2026-11-01')) t(d) WHERE ${where}`);
    expect(rows).toHaveLength(1);
    expect(inPeriod(code('d'), { from: null, to: null }).text).toBe('true');
  });

  it('an empty list matches nothing', async () => {
    const rows = await store.query(sql`SELECT 1 WHERE 'a' IN (${list([])})`);
    expect(rows).toHaveLength(0);
  });
});
