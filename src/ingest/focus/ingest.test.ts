import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { loadRules } from '../../normalize/rules.js';
import { Store } from '../../store/db.js';
import { ext } from '../../test-support/paths.js';
import { fingerprint, focusCsv, tempDir, tokenRow, writeFixture } from '../../test-support/focus-fixture.js';
import { numberBillingRows } from '../common/heal.js';
import { ingestFocus } from './ingest.js';

const rules = loadRules();
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const ingest = (paths: string[], scope?: string) => ingestFocus(store, paths, { rules, ...(scope ? { scope } : {}) });

/** Independent oracle: plain DuckDB with its own CSV sniffing, no tokenledger code. */
async function rawSum(sql: string): Promise<Record<string, string>[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const out = (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, string>[];
  conn.closeSync();
  inst.closeSync();
  return out;
}

describe('FOCUS 1.0 sample (real, messy)', () => {
  const file = ext('focus-1.0-sample', 'focus_sample.csv');

  it('ingests all 1000 rows and per-provider totals equal an independent DuckDB sum to the last digit', async () => {
    const [o] = await ingest([file]);
    expect(o).toMatchObject({ action: 'ingested', rows: 1000, focusVersion: '1.0' });
    const ours = await store.query(`SELECT ProviderName AS p, BillingCurrency AS c, CAST(sum(BilledCost) AS VARCHAR) AS billed,
      CAST(sum(EffectiveCost) AS VARCHAR) AS effective, count(*) AS n FROM billing_rows GROUP BY ALL ORDER BY p`);
    const theirs = await rawSum(`SELECT ProviderName AS p, BillingCurrency AS c,
      CAST(sum(CAST(BilledCost AS DECIMAL(38,18))) AS VARCHAR) AS billed, CAST(sum(CAST(EffectiveCost AS DECIMAL(38,18))) AS VARCHAR) AS ` +
      `effective, count(*) AS n
      FROM read_csv('${file}', nullstr = 'NULL', all_varchar = true) GROUP BY ALL ORDER BY p`);
    expect(ours).toEqual(theirs);
    expect(ours.map((r) => r.p)).toEqual(['AWS', 'Microsoft', 'Oracle']);
  });

  it('keeps lineage on every row and the stray Id column without loss', async () => {
    await ingest([file]);
    const [l] = await store.query(`SELECT count(DISTINCT b.tl_source_row) AS rows, min(b.tl_source_row) AS lo, max(b.tl_source_row) AS hi,
      count(*) FILTER (WHERE x.extra['Id'] IS NOT NULL) AS with_id, count(DISTINCT b.tl_ingestion_id) AS ids
      FROM billing_rows b JOIN billing_rows_extra x USING (tl_ingestion_id, tl_source_part, tl_source_row)`);
    expect(l).toEqual({ rows: '1000', lo: '1', hi: '1000', with_id: '1000', ids: '1' });
    // row 2 of the file (line 3) is the ELB charge with tags
    const [r] = await store.query(`SELECT BilledCost, Tags->>'application' AS app, x.extra['Id'] AS id, ChargePeriodStart
      FROM billing_rows b JOIN billing_rows_extra x USING (tl_ingestion_id, tl_source_part, tl_source_row) WHERE b.tl_source_row = 2`);
    expect(r).toEqual({ BilledCost: '0.000016059900000000', app: 'BrightLensMatrix', id: '19384',
      ChargePeriodStart: '2024-09-30 22:00:00' });
  });
});

describe('row numbers after a crash between commit and numbering', () => {
  it('are restored by the next numberBillingRows', async () => {
    await ingest([ext('focus-1.0-sample', 'focus_sample.csv')]);
    await store.query('UPDATE billing_rows SET tl_source_row = 0');
    await store.query('UPDATE ingestion_files SET rows_numbered = false');
    expect(await numberBillingRows(store)).toBe(1);
    const [l] = await store.query(
      'SELECT min(tl_source_row) AS lo, max(tl_source_row) AS hi, count(DISTINCT tl_source_row) AS n FROM billing_rows');
    expect(l).toEqual({ lo: '1', hi: '1000', n: '1000' });
    expect(await numberBillingRows(store)).toBe(0);
  });
});

describe('FOCUS AI examples (draft 1.3)', () => {
  it('ingests every file and derives cost per 1M tokens: $5 input and $25 output', async () => {
    const out = await ingest([ext('focus-ai-examples')]);
    expect(out.map((o) => [o.action, o.focusVersion])).toEqual(Array(4).fill(['ingested', '1.3']));
    const rows = await store.query(`SELECT tl_model AS model, tl_token_type AS t, CAST(sum(tl_tokens) AS BIGINT) AS tokens,
      round(CAST(sum(EffectiveCost) AS DOUBLE) * 1e6 / CAST(sum(tl_tokens) AS DOUBLE), 6) AS per_1m
      FROM charges WHERE tl_token_type IS NOT NULL GROUP BY ALL ORDER BY model, t`);
    expect(rows).toEqual([
      { model: 'solora-atlas-5.4-mini', t: 'input', tokens: '3000000', per_1m: 0.75 },
      { model: 'solora-atlas-5.4-mini', t: 'output', tokens: '500000', per_1m: 4.5 },
      { model: 'solora-atlas-5.5', t: 'input', tokens: '10000000', per_1m: 5 },
      { model: 'solora-atlas-5.5', t: 'output', tokens: '2000000', per_1m: 25 },
      { model: 'solora-reasoning-pro', t: 'cache_write', tokens: '2000000', per_1m: 3.75 },
      { model: 'solora-reasoning-pro', t: 'cached_input', tokens: '8000000', per_1m: 0.3 },
      { model: 'solora-reasoning-pro', t: 'input', tokens: '500000', per_1m: 3 },
      { model: 'solora-reasoning-pro', t: 'output', tokens: '1500000', per_1m: 15 },
      { model: 'solora-saturn-4.8', t: 'input', tokens: '8400000', per_1m: 5 },
      { model: 'solora-saturn-4.8', t: 'output', tokens: '2100000', per_1m: 25 },
      { model: 'solora-saturn-5.0', t: 'input', tokens: '5000000', per_1m: 4 },
      { model: 'solora-saturn-5.0', t: 'output', tokens: '1500000', per_1m: 20 },
    ]);
    // the commitment purchase is an AI charge without tokens; the drawdown rows bill nothing
    const [p] = await store.query(`SELECT tl_is_ai, tl_token_type, tl_rule, BilledCost FROM charges WHERE ChargeCategory = 'Purchase'`);
    expect(p).toEqual({ tl_is_ai: true, tl_token_type: null, tl_rule: 'nonToken:commitment', BilledCost: '500000.000000000000000000' });
  });
});

describe('exactly once', () => {
  it('re-ingesting the same file is a no-op that says so', async () => {
    const file = ext('focus-1.0-sample', 'focus_sample.csv');
    await ingest([file]);
    const before = await store.query('SELECT count(*) AS n, sum(BilledCost) AS b FROM billing_rows');
    const [again] = await ingest([file]);
    expect(again!.action).toBe('skipped');
    expect(again!.detail).toMatch(/same content as ing-/);
    expect(await store.query('SELECT count(*) AS n, sum(BilledCost) AS b FROM billing_rows')).toEqual(before);
    const events = await store.query('SELECT action FROM ingestion_events ORDER BY event_time, action');
    expect(events.map((e) => e.action).sort()).toEqual(['ingested', 'skipped']);
  });

  function manifestExport(dir: string, rows: ReturnType<typeof tokenRow>[], submitted: string): string {
    mkdirSync(dir, { recursive: true });
    const csv = gzipSync(focusCsv(rows));
    writeFileSync(join(dir, 'part_0_0001.csv.gz'), csv);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
      exportConfig: { exportName: 'daily', resourceId: '/subscriptions/x/providers/Microsoft.CostManagement/exports/daily',
        dataVersion: '1.2-preview' },
      runInfo: { submittedTime: submitted, runId: submitted },
      blobs: [{ blobName: 'x/part_0_0001.csv.gz', dataRowCount: rows.length }],
    }));
    return dir;
  }
  const day = (d: number) => ({ ChargePeriodStart: `2026-10-${String(d).padStart(2, '0')}T00:00:00Z`,
    ChargePeriodEnd: `2026-10-${String(d + 1).padStart(2, '0')}T00:00:00Z` });

  it('a newer export of the same scope and period replaces the older one; the older one again is skipped', async () => {
    const root = tempDir();
    const v1 = manifestExport(join(root, 'run1'),
      [1, 2, 3].map((d) => tokenRow('gpt 4o 0513 Input global Tokens', 1_000_000, '2.5', day(d))), '2026-10-04T06:00:00Z');
    const v2 = manifestExport(join(root, 'run2'),
      [1, 2, 3, 4, 5].map((d) => tokenRow('gpt 4o 0513 Input global Tokens', 2_000_000, '2.5', day(d))), '2026-10-06T06:00:00Z');
    await ingest([v1]);
    const [o2] = await ingest([v2]);
    expect(o2!.replaced).toHaveLength(1);
    expect(o2!.replaced[0]!.rows).toBe(3);
    expect(await store.query('SELECT count(*) AS n, CAST(sum(BilledCost) AS VARCHAR) AS b FROM billing_rows')).toEqual(
      [{ n: '5', b: '25.000000000000000000' }]);
    const [again] = await ingest([v1]);
    expect(again).toMatchObject({ action: 'skipped' });
    const older = manifestExport(join(root, 'run0'), [tokenRow('gpt 4o 0513 Input global Tokens', 9_000_000, '2.5', day(1))],
      '2026-10-02T06:00:00Z');
    const [o0] = await ingest([older]);
    expect(o0).toMatchObject({ action: 'skipped' });
    expect(o0!.detail).toMatch(/older than/);
    expect(await store.query('SELECT count(*) AS n FROM billing_rows')).toEqual([{ n: '5' }]);
    const statuses = await store.query('SELECT status FROM ingestions ORDER BY ingested_at, ingestion_id');
    expect(statuses.map((s) => s.status).sort()).toEqual(['active', 'replaced']);
  });

  it('files without a manifest: same name and account, newer file replaces; --scope groups a feed', async () => {
    const a = tempDir();
    const b = tempDir();
    const f1 = writeFixture(a, 'october.csv', focusCsv([{ BilledCost: '10', EffectiveCost: '10' }]));
    const f2 = writeFixture(b, 'october.csv',
      focusCsv([{ BilledCost: '12', EffectiveCost: '12' }, { BilledCost: '1', EffectiveCost: '1' }]));
    utimesSync(f1, new Date('2026-10-10'), new Date('2026-10-10'));
    utimesSync(f2, new Date('2026-10-20'), new Date('2026-10-20'));
    await ingest([f1]);
    await ingest([f2]);
    expect(await store.query('SELECT CAST(sum(BilledCost) AS VARCHAR) AS b FROM billing_rows')).toEqual([{ b: '13.000000000000000000' }]);
    const other = writeFixture(a, 'other-feed.csv', focusCsv([{ BilledCost: '5', EffectiveCost: '5' }]));
    await ingest([other]);
    expect(await store.query('SELECT CAST(sum(BilledCost) AS VARCHAR) AS b FROM billing_rows')).toEqual([{ b: '18.000000000000000000' }]);
    const feed = writeFixture(b, 'other-feed-v2.csv', focusCsv([{ BilledCost: '7', EffectiveCost: '7' }]));
    utimesSync(feed, new Date('2026-10-21'), new Date('2026-10-21'));
    await ingest([other], 'feed');
    await ingest([feed], 'feed');
    // 13 (october) + 5 (other-feed under its own file scope) + 7 (feed replaced other-feed in scope "feed")
    expect(await store.query('SELECT CAST(sum(BilledCost) AS VARCHAR) AS b FROM billing_rows')).toEqual([{ b: '25.000000000000000000' }]);
  });
});

describe('bad input: clear error, store exactly as before', () => {
  async function expectRejected(paths: string[], pattern: RegExp, loc?: { line?: number; row?: number; column?: string }) {
    await ingest([ext('focus-ai-examples', 'multi_model_usage.csv')]);
    const before = await fingerprint(store);
    const err = await ingest(paths).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(pattern);
    if (loc) expect((err as InputError).location).toMatchObject(loc);
    expect(await fingerprint(store)).toEqual(before);
  }

  it('missing required column', async () => {
    const d = tempDir();
    const f = writeFixture(d, 'x.csv',
      focusCsv([{}],
        ['EffectiveCost', 'BillingCurrency', 'BillingAccountId', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart',
          'ChargePeriodEnd', 'ChargeCategory']));
    await expectRejected([f], /x\.csv, line 1: missing required FOCUS column\(s\) BilledCost/, { line: 1 });
  });

  it('unparseable number names file, line, column and value', async () => {
    const d = tempDir();
    const f = writeFixture(d, 'x.csv', focusCsv([{}, {}, { BilledCost: '12,50' }]));
    await expectRejected([f], /x\.csv, line 4, data row 3, column BilledCost: expected a decimal number .* found "12,50"/,
      { line: 4, row: 3, column: 'BilledCost' });
  });

  it('unparseable date', async () => {
    const d = tempDir();
    const f = writeFixture(d, 'x.csv', focusCsv([{ ChargePeriodStart: '2026-13-45' }]));
    await expectRejected([f], /column ChargePeriodStart: expected a date-time/, { line: 2, column: 'ChargePeriodStart' });
  });

  it('a required value missing on a row', async () => {
    const d = tempDir();
    const f = writeFixture(d, 'x.csv', focusCsv([{}, { BillingCurrency: '' }]));
    await expectRejected([f], /line 3, data row 2, column BillingCurrency: expected a value/);
  });

  it('truncated gzip', async () => {
    const d = tempDir();
    const gz = gzipSync(focusCsv(Array.from({ length: 200 }, () => ({}))));
    const f = writeFixture(d, 'x.csv.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    await expectRejected([f], /x\.csv\.gz: the gzip stream is corrupt or truncated/);
  });

  it('gzip truncated late in the body (the header reads fine)', async () => {
    const d = tempDir();
    const gz = gzipSync(focusCsv(Array.from({ length: 20_000 }, (_, i) => ({ BilledCost: String(i), EffectiveCost: String(i) }))));
    const f = writeFixture(d, 'late.csv.gz', gz.subarray(0, Math.floor(gz.length * 0.9)));
    await expectRejected([f], /late\.csv\.gz: the gzip stream is corrupt or truncated/);
  });

  it('empty file and header-only file', async () => {
    const d = tempDir();
    await expectRejected([writeFixture(d, 'empty.csv', '')], /empty\.csv: the file is empty/);
    await expectRejected([writeFixture(d, 'header.csv', focusCsv([]))], /header\.csv, line 2: no data rows/);
  });

  it('a row with more fields than the header', async () => {
    const d = tempDir();
    const f = writeFixture(d, 'x.csv',
      focusCsv([{}]) + '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32\n');
    await expectRejected([f], /x\.csv, line 3: cannot read the file as CSV: .*Expected Number of Columns/, { line: 3 });
  });

  it('a bad second file rolls back the good first one', async () => {
    const d = tempDir();
    const good = writeFixture(d, 'a.csv', focusCsv([{ BillingAccountId: 'acct-9' }]));
    const bad = writeFixture(d, 'b.csv', focusCsv([{ EffectiveCost: 'abc' }]));
    await expectRejected([good, bad], /b\.csv, line 2, data row 1, column EffectiveCost/);
  });

  it('a manifest whose row count does not match its part', async () => {
    const d = tempDir();
    writeFixture(d, 'part_0_0001.csv', focusCsv([{}, {}]));
    writeFixture(d, 'manifest.json',
      JSON.stringify({ exportConfig: { resourceId: 's' }, blobs: [{ blobName: 'p/part_0_0001.csv', dataRowCount: 3 }] }));
    await expectRejected([d], /the manifest says this part holds 3 rows but it holds 2/);
  });
});

describe('messy but valid CSV', () => {
  it('BOM, CRLF, NULL literals, mixed timestamps, brace-less tags, negative costs, corrections, two currencies', async () => {
    const d = tempDir();
    const csv = '\uFEFF' + focusCsv([
      { BilledCost: '10.5', EffectiveCost: '10.5', ChargePeriodStart: '2026-10-01 00:00:00', Tags: '"team": "a", "env": "prod"' },
      { BilledCost: '-2.25', EffectiveCost: '-2.25', ChargeClass: 'Correction', ChargePeriodStart: '2026-09-30T00:00:00+02:00',
        Tags: 'NULL' },
      { BilledCost: '3', EffectiveCost: '3', BillingCurrency: 'EUR', ListCost: 'NULL', Tags: '{"team":"b"}' },
      { BilledCost: '1.5E-3', EffectiveCost: '0.0015', Tags: 'not json' },
    ], undefined, '\r\n');
    const f = writeFixture(d, 'messy.csv', csv);
    await ingest([f]);
    const rows = await store.query(
      `SELECT BillingCurrency AS c, CAST(sum(BilledCost) AS VARCHAR) AS b FROM billing_rows GROUP BY c ORDER BY c`);
    expect(rows).toEqual([{ c: 'EUR', b: '3.000000000000000000' }, { c: 'USD', b: '8.251500000000000000' }]);
    const detail = await store.query(
      `SELECT b.tl_source_row AS r, CAST(ChargePeriodStart AS VARCHAR) AS t, Tags->>'team' AS team, tl_source_changes AS ch, ` +
      `x.extra['Tags'] AS raw_tags
      FROM billing_rows b JOIN billing_rows_extra x USING (tl_ingestion_id, tl_source_part, tl_source_row) ORDER BY r`);
    expect(detail).toEqual([
      { r: '1', t: '2026-10-01 00:00:00', team: 'a', ch: ['TagsWrappedInBraces'], raw_tags: '"team": "a", "env": "prod"' },
      { r: '2', t: '2026-09-29 22:00:00', team: null, ch: [], raw_tags: null },
      { r: '3', t: '2026-10-05 00:00:00', team: 'b', ch: [], raw_tags: null },
      { r: '4', t: '2026-10-05 00:00:00', team: null, ch: ['TagsNotJson'], raw_tags: 'not json' },
    ]);
  });

  it('Parquet gives the same ledger as CSV', async () => {
    const d = tempDir();
    const csv = writeFixture(d, 'a.csv',
      focusCsv([tokenRow('gpt-4o-mini-0718-Inp-glbl', 3_000_000, '0.15'), { BilledCost: '7.25', EffectiveCost: '7' }]));
    const pq = join(d, 'a.parquet');
    await store.query(`COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${pq}' (FORMAT parquet)`);
    const other = await Store.open(':memory:');
    try {
      await ingestFocus(other, [pq], { rules });
      await ingest([csv]);
      const q = 'SELECT CAST(sum(BilledCost) AS VARCHAR) AS b, CAST(sum(tl_tokens) AS VARCHAR) AS t, count(*) AS n FROM charges';
      expect(await other.query(q)).toEqual(await store.query(q));
    } finally {
      other.close();
    }
  });
});

describe('quantity conventions', () => {
  it('checks each row, derives tokens from the consistent pair and flags the reason', async () => {
    const d = tempDir();
    const meter = 'gpt 4o 0513 Input global Tokens';
    const f = writeFixture(d, 'q.csv', focusCsv([
      // 1. FOCUS: ConsumedQuantity = tokens, PricingQuantity = blocks
      tokenRow(meter, 2_000_000, '2.5'),
      // 2. both quantities in 1M blocks (cost = 2.5 x 2)
      tokenRow(meter, 2_000_000, '2.5', { ConsumedQuantity: '2' }),
      // 3. PricingQuantity holds raw tokens (cost = 2.5 x 2,000,000 / 1M)
      tokenRow(meter, 2_000_000, '2.5', { PricingQuantity: '2000000', ConsumedQuantity: '2000000' }),
      // 4. nothing adds up
      tokenRow(meter, 2_000_000, '2.5',
        { ConsumedQuantity: '777', PricingQuantity: '3', BilledCost: '1', EffectiveCost: '1', ListCost: '1', ContractedCost: '1' }),
    ]));
    await ingest([f]);
    const rows = await store.query(
      'SELECT tl_source_row AS r, CAST(tl_tokens AS BIGINT) AS tokens, tl_source_changes AS ch, ConsumedQuantity AS cq FROM charges ' +
        'ORDER BY r');
    expect(rows).toEqual([
      { r: '1', tokens: '2000000', ch: [], cq: '2000000.000000000000000000' },
      { r: '2', tokens: '2000000', ch: ['TokensFromPricingQuantity', 'ConsumedQuantityInPricingBlocks'], cq: '2.000000000000000000' },
      { r: '3', tokens: '2000000', ch: ['PricingQuantityInTokens'], cq: '2000000.000000000000000000' },
      { r: '4', tokens: '777', ch: ['QuantityConventionUnresolved'], cq: '777.000000000000000000' },
    ]);
  });
});
