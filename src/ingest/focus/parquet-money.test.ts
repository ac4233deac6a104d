/**
 * A CSV and a Parquet delivery of the same export give the same ledger to the last digit (issue 11), whatever
 * type the Parquet writer gave the money columns: DOUBLE (DuckDB, pandas, Spark), DECIMAL, VARCHAR, and FLOAT
 * for what a FLOAT holds. The Parquet files are written in the test with DuckDB COPY from the demo export.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../normalize/rules.js';
import { Store } from '../../store/db.js';
import { code, sql } from '../../store/sql.js';
import { writeDemoExport } from '../../demo/write-export.js';
import { tempDir } from '../../test-support/focus-fixture.js';
import { decimalFrom, TYPED_COLUMNS } from './columns.js';
import { ingestFocus } from './ingest.js';

const rules = loadRules();
const MONEY = TYPED_COLUMNS.filter((c) => c.kind === 'decimal').map((c) => c.name);
const TIMES = TYPED_COLUMNS.filter((c) => c.kind === 'timestamp').map((c) => c.name);

/** Plain DuckDB, no tokenledger code: writes `select` to a Parquet file. */
async function copyToParquet(select: string, path: string): Promise<void> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  conn.closeSync();
  inst.closeSync();
}

/** The ledger to the last digit: row count, exact sums of every money column, and a hash over every row's money and periods. */
async function ledgerOf(paths: string[]): Promise<Record<string, string>> {
  const store = await Store.open(':memory:');
  try {
    await ingestFocus(store, paths, { rules });
    const cols = [...MONEY, ...TIMES].map((c) => `"${c}"`).join(', ');
    const sums = MONEY.map((c) => `CAST(sum("${c}") AS VARCHAR) AS "${c}"`).join(', ');
    const [r] = await store.query<Record<string, string>>(
      `SELECT count(*) AS n, ${sums}, CAST(bit_xor(hash(${cols}, ResourceId, x_SkuMeterName)) AS VARCHAR) AS rows_hash FROM billing_rows`);
    return r!;
  } finally {
    store.close();
  }
}

describe('CSV and Parquet deliveries of the demo export', () => {
  let csv: Record<string, string>;
  let parts: string;
  const dir = tempDir();
  beforeAll(async () => {
    const [run] = await writeDemoExport(join(dir, 'export'), { months: ['2026-10'], clones: 1, seed: 7 });
    parts = run!.parts.map((p) => `'${p}'`).join(', ');
    csv = await ledgerOf([run!.dir]);
  }, 120_000);

  const source = () => `read_csv([${parts}], all_varchar = true, header = true)`;
  const cast = (type: string, times: string) =>
    `SELECT * REPLACE (${[...MONEY.map((c) => `CAST("${c}" AS ${type}) AS "${c}"`),
      ...TIMES.map((c) => `CAST("${c}" AS ${times}) AS "${c}"`)].join(', ')}) FROM ${source()}`;

  it.each([
    ['DOUBLE', 'TIMESTAMP'],
    ['DECIMAL(38,18)', 'TIMESTAMPTZ'],
    ['VARCHAR', 'VARCHAR'],
  ])('money as %s (periods as %s) gives the CSV ledger to the last digit', async (type, times) => {
    const file = join(dir, `demo-${type.replace(/\W/g, '')}.parquet`);
    await copyToParquet(cast(type, times), file);
    const parquet = await ledgerOf([file]);
    expect(Number(parquet.n)).toBeGreaterThan(500);
    expect(parquet).toEqual(csv);
  }, 120_000);

  it('the demo month has no binary noise in its sum', () => {
    expect(csv.BilledCost).toMatch(/^\d+\.\d{1,17}0*$/);
    expect(csv.BilledCost!.replace(/0+$/, '').split('.')[1]!.length).toBeLessThan(15);
  });
});

describe('FLOAT and DOUBLE money: the shortest decimal that reads back as the same binary value', () => {
  let store: Store;
  beforeAll(async () => { store = await Store.open(':memory:'); });
  afterAll(() => store.close());

  it('a Parquet file of FLOAT and DOUBLE money stores 127.98811, not 127.988110000000008192', async () => {
    const file = join(tempDir(), 'float.parquet');
    await copyToParquet(`SELECT CAST(127.98811 AS FLOAT) AS BilledCost, CAST(127.98811 AS DOUBLE) AS EffectiveCost,
      CAST(0.1 AS FLOAT) AS ListCost, CAST(-2.5e-7 AS DOUBLE) AS ContractedCost, 'acct' AS BillingAccountId, 'USD' AS BillingCurrency,
      TIMESTAMP '2026-10-01' AS BillingPeriodStart, TIMESTAMP '2026-11-01' AS BillingPeriodEnd, TIMESTAMP '2026-10-05' AS ChargePeriodStart,
      TIMESTAMP '2026-10-06' AS ChargePeriodEnd, 'Usage' AS ChargeCategory`, file);
    await ingestFocus(store, [file], { rules });
    const [r] = await store.query(`SELECT CAST(BilledCost AS VARCHAR) AS b, CAST(EffectiveCost AS VARCHAR) AS e,
      CAST(ListCost AS VARCHAR) AS l,
      CAST(ContractedCost AS VARCHAR) AS c FROM billing_rows`);
    expect(r).toEqual({ b: '127.988110000000000000', e: '127.988110000000000000', l: '0.100000000000000000',
      c: '-0.000000250000000000' });
  });

  /** JS's own shortest round-trip text of a double (Number.prototype.toString), as DECIMAL(38,18) text; null beyond it. */
  function expected(x: number): string | null {
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x))!;
    const digits = m[2]! + (m[3] ?? '');
    const point = m[2]!.length + Number(m[4] ?? 0);
    const int = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0').replace(/^0+(?=\d)/, '');
    const frac = point >= digits.length ? '' : point < 0 ? '0'.repeat(-point) + digits : digits.slice(point);
    if (frac.replace(/0+$/, '').length > 18 || int.length > 20) return null;
    const neg = m[1] === '-' && /[1-9]/.test(int + frac);
    return `${neg ? '-' : ''}${int}.${frac.padEnd(18, '0')}`;
  }

  it('every finite double (property): the stored decimal is the shortest round-trip text and parses back to the same double', async () => {
    const doubles = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e19, max: 1e19 }),
      fc.integer({ min: -1e9, max: 1e9 }).chain((n) => fc.nat({ max: 12 }).map((k) => n / 10 ** k)));
    await fc.assert(fc.asyncProperty(fc.array(doubles, { minLength: 1, maxLength: 40 }), async (xs) => {
      const values = xs.map((x) => sql`(CAST(${String(x)} AS DOUBLE))`);
      const rows = await store.query<{ v: number; d: string | null }>(
        sql`SELECT v, CAST(${decimalFrom(code('v'), 'DOUBLE')} AS VARCHAR) AS d
        FROM (VALUES ${values.reduce((a, b) => sql`${a}, ${b}`)}) t(v)`);
      for (const [i, r] of rows.entries()) {
        const x = xs[i]!;
        expect(r.d, String(x)).toBe(expected(x));
        if (r.d !== null) expect(Number(r.d)).toBe(x === 0 ? 0 : x);
      }
    }), { numRuns: 60 });
  });
});

describe('Parquet periods: the same rules as text', () => {
  const row = (i: number, start: string, end: string) => `SELECT 1.5 AS BilledCost, 1.5 AS EffectiveCost, 'acct' AS BillingAccountId,
    'USD' AS BillingCurrency, TIMESTAMP '2026-10-01' AS BillingPeriodStart, TIMESTAMP '2026-11-01' AS BillingPeriodEnd,
    TIMESTAMP '${start}' AS ChargePeriodStart, TIMESTAMP '${end}' AS ChargePeriodEnd, 'Usage' AS ChargeCategory, ${i} AS i`;

  it.each([
    ['an inverted charge period', '2026-10-07', '2026-10-06', /row 2, column ChargePeriodEnd: expected a ChargePeriodEnd not before its/],
    ['a year outside 2000-2100', '1970-01-01', '2026-10-06', /row 2, column ChargePeriodStart: expected a date-time from 2000 to 2100/],
  ])('%s is refused on its row', async (_, start, end, pattern) => {
    const file = join(tempDir(), 'p.parquet');
    await copyToParquet(`SELECT * EXCLUDE (i) FROM (${row(1, '2026-10-05', '2026-10-06')} UNION ALL ${row(2, start, end)}
      UNION ALL ${row(3, '2026-10-05', '2026-10-06')}) ORDER BY i`, file);
    const store = await Store.open(':memory:');
    try {
      await expect(ingestFocus(store, [file], { rules })).rejects.toThrow(pattern);
      expect(await store.query('SELECT count(*) AS n FROM billing_rows')).toEqual([{ n: '0' }]);
    } finally {
      store.close();
    }
  });
});
