/**
 * The telemetry rollups (migration 019, telemetry-rollup.ts) add up: a hand-computed scenario (groups, the 1,024-token
 * eligibility, 429s, an aggregate file left out of the minute rollup), a property over random files ingested,
 * delivered again and with repeated request ids left out, the orphan sweep, and a scope that cuts them as it cuts
 * the records. Each comparison is written here independently of the rollup's SELECT (a GROUP BY of the records).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { Ledger } from '../ledger/ledger.js';
import { tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { Store } from './db.js';
import { findOrphans, sweepOrphans } from './integrity.js';
import { telemetryRollupDifferences } from './telemetry-rollup.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const RES = '/subscriptions/1111/resourcegroups/rg/providers/microsoft.cognitiveservices/accounts/aoai-prod';
const rec = (ts: string, prompt: number, o: { cached?: number; feature?: string; team?: string; status?: number; deployment?: string;
  id?: string } = {}) => ({
  ...(o.id ? { id: o.id } : {}), timestamp: ts, model: 'gpt-4o', resource_id: RES, ...(o.deployment ? { deployment: o.deployment } : {}),
  ...(o.status ? { status: o.status } : {}), metadata: { feature: o.feature ?? 'chat', team: o.team ?? 'cx' },
  usage: { prompt_tokens: prompt, completion_tokens: 10, prompt_tokens_details: { cached_tokens: o.cached ?? 0 } },
});

/** The records summed per day and feature, and per minute and deployment, by a GROUP BY written here. */
const RAW_DAILY = `SELECT CAST(CAST(ts AS DATE) AS VARCHAR) AS day, feature, team, count(*) AS n, CAST(sum(input_tokens) AS BIGINT) AS i,
  CAST(sum(cached_input_tokens) AS BIGINT) AS c, CAST(sum(output_tokens) AS BIGINT) AS o FROM telemetry GROUP BY ALL ORDER BY ALL`;
const ROLLUP_DAILY = `SELECT CAST(day AS VARCHAR) AS day, feature, team, CAST(sum(tl_rows) AS BIGINT) AS n,
  CAST(sum(input_tokens) AS BIGINT) AS i,
  CAST(sum(cached_input_tokens) AS BIGINT) AS c, CAST(sum(output_tokens) AS BIGINT) AS o FROM telemetry_daily GROUP BY ALL ORDER BY ALL`;
const RAW_MINUTE = `SELECT CAST(date_trunc('minute', ts) AS VARCHAR) AS m, resource_id AS r, deployment AS d, count(*) AS n,
  CAST(sum(input_tokens + output_tokens) AS BIGINT) AS t FROM telemetry WHERE grain = 'request' GROUP BY ALL ORDER BY ALL`;
const ROLLUP_MINUTE = `SELECT CAST(minute AS VARCHAR) AS m, resource_id AS r, deployment AS d, CAST(sum(tl_rows) AS BIGINT) AS n,
  CAST(sum(input_tokens + output_tokens) AS BIGINT) AS t FROM telemetry_minute GROUP BY ALL ORDER BY ALL`;
const RAW_RESOURCE = `SELECT CAST(CAST(ts AS DATE) AS VARCHAR) AS day, resource_id AS r, count(*) AS n, CAST(sum(requests) AS BIGINT) AS q,
  CAST(sum(input_tokens) AS BIGINT) AS i FROM telemetry GROUP BY ALL ORDER BY ALL`;
const ROLLUP_RESOURCE = `SELECT CAST(day AS VARCHAR) AS day, resource_id AS r, CAST(sum(tl_rows) AS BIGINT) AS n,
  CAST(sum(requests) AS BIGINT) AS q,
  CAST(sum(input_tokens) AS BIGINT) AS i FROM telemetry_resource_daily GROUP BY ALL ORDER BY ALL`;

async function expectRollupsAddUp(s: Store): Promise<void> {
  expect(await s.query(ROLLUP_DAILY)).toEqual(await s.query(RAW_DAILY));
  expect(await s.query(ROLLUP_MINUTE)).toEqual(await s.query(RAW_MINUTE));
  expect(await s.query(ROLLUP_RESOURCE)).toEqual(await s.query(RAW_RESOURCE));
  expect(await telemetryRollupDifferences(s)).toEqual([]);
}

describe('telemetry rollups, scenario', () => {
  /*
   * usage.jsonl, 5 requests:            day         minute  feature  prompt  cached  429
   *   1  2026-10-01T10:00:05Z           10-01       10:00   chat     2,000   1,024   -
   *   2  2026-10-01T10:00:40Z           10-01       10:00   chat       500       0   yes
   *   3  2026-10-01T10:01:00Z           10-01       10:01   search   1,500     500   -
   *   4  2026-10-02T00:00:00Z           10-02       00:00   chat     1,024       0   -
   *   5  2026-10-02T00:00:59Z           10-02       00:00   chat       100       0   yes
   * telemetry_daily:  10-01 chat: 2 rows, 2,500 prompt, eligible (>= 1,024 a request) 2,000 with 1,024 cached;
   *                   10-01 search: 1 row, 1,500, eligible 1,500 / 500; 10-02 chat: 2 rows, 1,124, eligible 1,024 / 0.
   * telemetry_minute: 10:00 -> 2 requests, 1 throttled; 10:01 -> 1 request, throttled NULL (no 429); 00:00 -> 2, 1.
   */
  const USAGE = jsonl([
    rec('2026-10-01T10:00:05Z', 2000, { cached: 1024 }), rec('2026-10-01T10:00:40Z', 500, { status: 429 }),
    rec('2026-10-01T10:01:00Z', 1500, { cached: 500, feature: 'search' }), rec('2026-10-02T00:00:00Z', 1024),
    rec('2026-10-02T00:00:59Z', 100, { status: 429 }),
  ]);

  it('sums per day and feature, the caching eligibility, and per minute with the 429s', async () => {
    await ingestTelemetry(store, [writeFixture(tempDir(), 'usage.jsonl', USAGE)]);
    expect(await store.query(`SELECT CAST(day AS VARCHAR) AS day, feature, tl_rows AS n, input_tokens AS i, eligible_input_tokens AS e,
      eligible_cached_tokens AS ec FROM telemetry_daily ORDER BY ALL`)).toEqual([
      { day: '2026-10-01', feature: 'chat', n: '2', i: '2500', e: '2000', ec: '1024' },
      { day: '2026-10-01', feature: 'search', n: '1', i: '1500', e: '1500', ec: '500' },
      { day: '2026-10-02', feature: 'chat', n: '2', i: '1124', e: '1024', ec: '0' },
    ]);
    expect(await store.query(`SELECT CAST(minute AS VARCHAR) AS m, sum(requests) AS q, sum(throttled) AS t FROM telemetry_minute
      GROUP BY ALL ORDER BY ALL`)).toEqual([
      { m: '2026-10-01 10:00:00', q: '2', t: '1' },
      { m: '2026-10-01 10:01:00', q: '1', t: null },
      { m: '2026-10-02 00:00:00', q: '2', t: '1' },
    ]);
    expect(await store.query(
      'SELECT CAST(day AS VARCHAR) AS day, tl_rows AS n, input_tokens AS i FROM telemetry_resource_daily ORDER BY ALL'))
      .toEqual([{ day: '2026-10-01', n: '3', i: '4000' }, { day: '2026-10-02', n: '2', i: '1124' }]);
    await expectRollupsAddUp(store);
  });

  it('an aggregate file (usage API buckets) is in the daily rollups, not in the minute one', async () => {
    const d = tempDir();
    await ingestTelemetry(store, [writeFixture(d, 'usage.jsonl', USAGE)]);
    const buckets = { object: 'page', data: [{ object: 'bucket', start_time: 1790812800, end_time: 1790899200, results: [
      { object: 'organization.usage.completions.result', input_tokens: 7000, output_tokens: 70, input_cached_tokens: 0,
        num_model_requests: 7,
        model: 'gpt-4o' }] }] };
    const [o] = await ingestTelemetry(store, [writeFixture(d, 'usage-api.json', JSON.stringify(buckets))]);
    expect(o).toMatchObject({ action: 'ingested', format: 'openai-usage-api' });
    const grains = await store.query(`SELECT grain, sum(tl_rows) AS n, sum(requests) AS q FROM telemetry_daily GROUP BY ALL ORDER BY ALL`);
    expect(grains).toEqual([{ grain: 'aggregate', n: '1', q: '7' }, { grain: 'request', n: '5', q: '5' }]);
    expect(await store.query('SELECT sum(tl_rows) AS n FROM telemetry_minute')).toEqual([{ n: '5' }]);
    await expectRollupsAddUp(store);
  });

  it('a rollup row that is off is found by check\'s comparison, group by group', async () => {
    await ingestTelemetry(store, [writeFixture(tempDir(), 'usage.jsonl', USAGE)]);
    // the same totals, one record moved to another feature: the ingestion's sums agree, its groups do not
    await store.query(`UPDATE telemetry_daily SET feature = 'search' WHERE feature = 'chat' AND day = DATE '2026-10-02'`);
    const bad = await telemetryRollupDifferences(store);
    expect(bad.map((b) => b.rollup)).toEqual(['telemetry_daily']);
    await store.query(`UPDATE telemetry_minute SET requests = requests + 1 WHERE minute = TIMESTAMP '2026-10-01 10:01:00'`);
    const minute = (await telemetryRollupDifferences(store)).find((b) => b.rollup === 'telemetry_minute');
    expect(minute?.measures).toEqual({ requests: { records: '5', rollup: '6' } });
  });

  it('rollup rows of no committed ingestion are orphans, swept with the records', async () => {
    await ingestTelemetry(store, [writeFixture(tempDir(), 'usage.jsonl', USAGE)]);
    await store.query(`INSERT INTO telemetry_minute SELECT 'tel-torn', minute, resource_id, deployment, model, feature, tl_rows, requests,
      input_tokens, cached_input_tokens, output_tokens, throttled FROM telemetry_minute`);
    await store.query(`INSERT INTO telemetry_daily SELECT * REPLACE ('tel-torn' AS tl_ingestion_id) FROM telemetry_daily`);
    // the minute rollup is counted against the files' records: a torn one is found without a full scan
    expect((await findOrphans(store)).map((o) => [o.table, o.ingestionId])).toEqual([
      ['telemetry_daily', 'tel-torn'], ['telemetry_minute', 'tel-torn']]);
    await sweepOrphans(store);
    await expectRollupsAddUp(store);
  });

  it('under a scope, each rollup holds the scope\'s records only', async () => {
    await ingestTelemetry(store, [writeFixture(tempDir(), 'usage.jsonl', USAGE)]);
    const ledger = new Ledger(store, { path: null }, { features: ['search'] });
    for (const t of ['telemetry_daily', 'telemetry_resource_daily', 'telemetry_minute']) {
      expect(await ledger.query(`SELECT CAST(sum(tl_rows) AS BIGINT) AS n, CAST(sum(input_tokens) AS BIGINT) AS i FROM ${t}`), t)
        .toEqual([{ n: '1', i: '1500' }]);
    }
  });
});

describe('telemetry rollups, property', () => {
  const recArb = fc.record({
    day: fc.integer({ min: 1, max: 3 }), minute: fc.integer({ min: 0, max: 3 }), second: fc.integer({ min: 0, max: 59 }),
    prompt: fc.integer({ min: 0, max: 3000 }), cachedPart: fc.integer({ min: 0, max: 100 }),
    feature: fc.constantFrom('chat', 'search', undefined), team: fc.constantFrom('cx', 'ops'), status: fc.constantFrom(200, 429, undefined),
    deployment: fc.constantFrom('d1', undefined), id: fc.integer({ min: 0, max: 30 }),
  });
  type R = typeof recArb extends fc.Arbitrary<infer T> ? T : never;
  const toJsonl = (rows: R[]) => jsonl(rows.map((r) => {
    const base = rec(`2026-10-0${r.day}T10:0${r.minute}:${String(r.second).padStart(2, '0')}Z`, r.prompt, {
      cached: Math.floor((r.prompt * r.cachedPart) / 100), team: r.team, id: `req-${r.id}`,
      ...(r.feature ? { feature: r.feature } : {}), ...(r.status ? { status: r.status } : {}),
      ...(r.deployment ? { deployment: r.deployment } : {}),
    });
    return r.feature ? base : { ...base, metadata: { team: r.team } };
  }));

  it('after ingests, a re-delivered file and repeated request ids left out, every rollup equals a GROUP BY of the records', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(recArb, { minLength: 1, maxLength: 15 }), { minLength: 1, maxLength: 3 }),
      fc.boolean(), async (files, skipDuplicateIds) => {
        const s = await Store.open(':memory:');
        try {
          const d = tempDir();
          const paths = files.map((rows, i) => writeFixture(d, `f${i}.jsonl`, toJsonl(rows)));
          for (const p of paths) await ingestTelemetry(s, [p], { skipDuplicateIds });
          await ingestTelemetry(s, [paths[0]!], { skipDuplicateIds });
          await expectRollupsAddUp(s);
        } finally {
          s.close();
        }
      }), { numRuns: 20 });
  });
});
