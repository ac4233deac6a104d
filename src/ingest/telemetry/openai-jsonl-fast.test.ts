/**
 * The fast JSONL readers against the careful one: whatever the sample showed, a file lands with the values
 * the careful reader gives every record, in the narrow table when it fits and the wide one when not.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { Store } from '../../store/db.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestTelemetry } from './ingest.js';
import { code, sql } from '../../store/sql.js';
import { openaiJsonlSelect } from './openai-jsonl.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const RES = '/subscriptions/1111/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod';
const plain = (i: number) =>
  ({ timestamp: `2026-10-01T00:00:${String(i % 60).padStart(2, '0')}Z`, model: 'gpt-4o-2024-11-20', resource_id: RES,
  metadata: { feature: 'chat', team: 'cx' },
  usage: { prompt_tokens: 100 + i, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 50 } } });

const COLUMNS =
  `CAST(ts AS VARCHAR) AS ts, resource_id, deployment, model, model_version, feature, team, environment, cost_center, user_id, status,
  requests, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, ` +
  `CAST(attributes AS VARCHAR) AS attributes, request_id`;

/** Rows as ingested, and rows as the careful reader reads the same file, in file order. */
async function ingestedAndCareful(file: string, sampleRecords: number) {
  await ingestTelemetry(store, [file], { jsonlSampleRecords: sampleRecords });
  const got = await store.query(sql`SELECT ${code(COLUMNS)} FROM telemetry WHERE tl_source_file = ${file} ORDER BY tl_source_row`);
  const want = await store.query(sql`SELECT ${code(COLUMNS)} FROM (${openaiJsonlSelect(file, 'x', '2026-01-01 00:00:00')})`);
  return { got, want };
}

const tables = async () => (await store.query<{ w: string; n: string }>(
  'SELECT (SELECT count(*) FROM telemetry_wide_rows) AS w, (SELECT count(*) FROM telemetry_request_rows) AS n'))[0];

describe('fast JSONL readers', () => {
  it('a plain request log goes to the narrow table; one more dimension sends the file to the wide one', async () => {
    const dir = tempDir();
    const a = writeFixture(dir, 'a.jsonl', jsonl([plain(1), plain(2)]));
    const r1 = await ingestedAndCareful(a, 2);
    expect(r1.got).toEqual(r1.want);
    expect(await tables()).toEqual({ w: '0', n: '2' });
    const b = writeFixture(dir, 'b.jsonl', jsonl([plain(3), { ...plain(4), metadata: { feature: 'chat', user: 'u-1' } }]));
    const r2 = await ingestedAndCareful(b, 2);
    expect(r2.got).toEqual(r2.want);
    expect(await tables()).toEqual({ w: '2', n: '2' });
  });

  it('keys the sample did not show are still read (the file is read again with every alias)', async () => {
    const records = [plain(1), plain(2), plain(3), { ...plain(4), metadata: { Feature: 'late', CostCenter: 'CC-9', api_id: 'chat-api' } },
      { ...plain(5), usage: { ...plain(5).usage, completion_tokens_details: { reasoning_tokens: 4 } } }];
    const { got, want } = await ingestedAndCareful(writeFixture(tempDir(), 'late.jsonl', jsonl(records)), 3);
    expect(got).toEqual(want);
    expect(got[3]).toMatchObject({ feature: 'late', cost_center: 'CC-9', attributes: '{"api_id":"chat-api","backend_id":null}' });
    expect(got[4]).toMatchObject({ reasoning_tokens: '4' });
    expect(await tables()).toEqual({ w: '5', n: '0' });
  });

  it('a model only a deployment or a later "response" gives, and a timestamp only "created" gives', async () => {
    const records = [plain(1), plain(2),
      { timestamp: '2026-10-01T02:00:00+02:00', deployment: 'chat-prod', usage: { prompt_tokens: 5, completion_tokens: 1 } },
      { timestamp: '2026-10-01T03:00:00Z', deployment: 'chat-prod', response: { model: 'gpt-4.1-2025-04-14' },
        usage: { prompt_tokens: 5, completion_tokens: 1 } },
      { created: 1790000000, model: 'o3', usage: { prompt_tokens: 7, completion_tokens: 2 } },
      // the Responses API: created_at in epoch seconds; its id is the request id (a number is not)
      { id: 'resp_1', created_at: 1790000060, model: 'o3', usage: { input_tokens: 7, output_tokens: 2 } },
      { id: 7, timestamp: '2026-10-01 04:00:00', model: 'o3', usage: { prompt_tokens: 7, completion_tokens: 2 } }];
    const { got, want } = await ingestedAndCareful(writeFixture(tempDir(), 'shapes.jsonl', jsonl(records)), 2);
    expect(got).toEqual(want);
    expect(got.slice(2).map((r) => [r.ts, r.model, r.model_version, r.request_id])).toEqual([
      ['2026-10-01 00:00:00', 'chat-prod', null, null], ['2026-10-01 03:00:00', 'gpt-4.1', '0414', null],
      ['2026-09-21 14:13:20', 'o3', null, null], ['2026-09-21 14:14:20', 'o3', null, 'resp_1'], ['2026-10-01 04:00:00', 'o3', null, null]]);
  });

  it('token counts: whole numbers in any JSON spelling; 12.5 and true are refused with the line', async () => {
    const ok = await ingestedAndCareful(writeFixture(tempDir(), 'n.jsonl', jsonl([plain(1),
      { ...plain(2), usage: { prompt_tokens: '70', completion_tokens: 12.0, prompt_tokens_details: { cached_tokens: 1e1 } } }])), 1);
    expect(ok.got).toEqual(ok.want);
    expect(ok.got[1]).toMatchObject({ input_tokens: '70', output_tokens: '12', cached_input_tokens: '10' });
    for (const [bad, line] of [[{ ...plain(2), usage: { prompt_tokens: 12.5, completion_tokens: 1 } }, 2],
      [{ ...plain(3), usage: { prompt_tokens: 5, completion_tokens: true } }, 2]] as const) {
      const err = await ingestTelemetry(store, [writeFixture(tempDir(), 'bad.jsonl', jsonl([plain(1), bad]))], { jsonlSampleRecords: 1 })
        .then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).location.line).toBe(line);
      expect((err as Error).message).toMatch(/not a whole number/);
    }
  });

  it('any file lands as the careful reader reads it (property)', async () => {
    const text = fc.constantFrom('chat', ' Chat ', '', 'doc-intake', 'ops');
    const meta = fc.dictionary(fc.constantFrom('feature', 'Feature', 'team', 'env', 'CostCenter', 'user', 'status', 'api_id', 'other'),
      text, { maxKeys: 4 });
    const count = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 50 }).map(String));
    const record = fc.record({
      timestamp: fc.constantFrom('2026-10-01T10:00:00Z', '2026-10-01T12:00:00+02:00', '2026-10-02 08:30:00', '2026-10-03',
        '10/25/2026 08:00:00', undefined),
      created: fc.constantFrom(1790000000, 1790000000.5, undefined),
      created_at: fc.constantFrom(1790000100, '2026-10-04T00:00:00Z', undefined),
      // request ids: strings are ids (in "id" or the response's), numbers are not
      id: fc.option(fc.oneof(fc.constantFrom('chatcmpl-1', 'resp_2', ''), fc.integer({ min: 0, max: 9 })), { nil: undefined }),
      response: fc.option(fc.record({ id: fc.constantFrom('resp_9', 'resp_8') }), { nil: undefined }),
      model: fc.constantFrom('gpt-4o', 'GPT-4o-2024-11-20', 'o3-mini', undefined),
      deployment: fc.constantFrom('chat-prod', undefined),
      resource_id: fc.constantFrom(RES, RES.toUpperCase(), undefined),
      metadata: fc.option(meta, { nil: undefined }),
      attributes: fc.option(meta, { nil: undefined }),
      // OpenAI's shapes (LiteLLM passes Anthropic's cache counts beside prompt_tokens), and Anthropic's own
      usage: fc.oneof(
        fc.record({ prompt_tokens: fc.constant(6000), completion_tokens: count,
          prompt_tokens_details: fc.option(fc.record({ cached_tokens: count }), { nil: undefined }),
          cache_read_input_tokens: fc.option(count, { nil: undefined }) }, { requiredKeys: ['prompt_tokens', 'completion_tokens'] }),
        fc.record({ input_tokens: count, output_tokens: count, cache_read_input_tokens: fc.option(count, { nil: undefined }),
          cache_creation_input_tokens: fc.option(count, { nil: undefined }) }, { requiredKeys: ['input_tokens', 'output_tokens'] })),
    }, { requiredKeys: ['usage', 'model'] })
      .filter((r) => (r.model !== undefined || r.deployment !== undefined)
        && (r.timestamp !== undefined || r.created !== undefined || r.created_at !== undefined));
    await fc.assert(fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 6 }),
      async (records, sample) => {
      await store.query(
        'DELETE FROM telemetry_wide_rows; DELETE FROM telemetry_request_rows; DELETE FROM telemetry_files; DELETE FROM ingestions; ' +
          'DELETE FROM ingestion_events');
      const { got, want } = await ingestedAndCareful(writeFixture(tempDir(), 'p.jsonl', jsonl(records)), sample);
      expect(got).toEqual(want);
    }), { numRuns: 40 });
    // records in Anthropic's shape send the file to the careful reader (a restart): slower than the rest
  }, 240_000);
});
