/**
 * Other providers' usage shapes through the real ingest (fixtures/ are modelled on each provider's
 * documented payloads). Each scenario's totals are computed by hand from the fixture; the rule they prove:
 * input_tokens is the whole prompt and output_tokens the whole completion, whatever the provider calls
 * them, so a cached, cache-write or reasoning token is counted once.
 *
 *   fixture                         what the provider's counts include                       input   cached  write  output  reasoning
 *   anthropic-messages.jsonl        input_tokens EXCLUDES cache reads and writes: added        4155    1800   1800     480        0
 *                                   (25+1800+0) + (30+0+1800) + 500
 *   gemini-generate-content.jsonl   promptTokenCount includes cachedContentTokenCount;        1980    1000      0     870      510
 *                                   thoughts are NOT in candidatesTokenCount: added;
 *                                   toolUsePromptTokenCount is not in the prompt: added
 *                                   1200 + 80 + (500+200); (300+450) + 20 + (40+60)
 *   bedrock-converse.jsonl          inputTokens EXCLUDES cacheRead/cacheWrite: added           3206    1596   1596     416        0
 *                                   (4+0+1596) + (10+1596+0) = totalTokens - outputTokens
 *   bedrock-invocation-log.jsonl    inputTokenCount likewise                                   2064    2048      0     133        0
 *   openai-chat-legacy.jsonl        prompt_tokens includes the cache, also when LiteLLM        3400    1756    500     340        0
 *                                   passes Anthropic's cache counts beside it
 *   openai-usage-completions.json   input_tokens includes input_cached_tokens (API buckets)  103000   50000      0   22500        0
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { sql } from '../../store/sql.js';
import { tempDir } from '../../test-support/focus-fixture.js';
import { ingestTelemetry, type TelemetryOptions } from './ingest.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

async function ingestFixture(name: string, opts: TelemetryOptions = {}) {
  const f = join(tempDir(), name);
  copyFileSync(join(FIXTURES, name), f);
  const [o] = await ingestTelemetry(store, [f], opts);
  return o!;
}
const totals = async () => (await store.query(`SELECT CAST(sum(input_tokens) AS BIGINT) AS input, CAST(sum(cached_input_tokens) AS BIGINT)
  AS cached, CAST(sum(cache_write_tokens) AS BIGINT) AS write, CAST(sum(output_tokens) AS BIGINT) AS output,
  CAST(sum(reasoning_tokens) AS BIGINT) AS reasoning, CAST(sum(requests) AS BIGINT) AS requests FROM telemetry`))[0];
const models = () => store.query(`SELECT model, model_version AS version, CAST(ts AS VARCHAR) AS ts, input_tokens AS i,
  cached_input_tokens AS c, cache_write_tokens AS w, output_tokens AS o, reasoning_tokens AS r FROM telemetry ORDER BY tl_source_row`);
/** The billing token types the allocation reads: uncached input is what is left of the prompt. */
const tokenTypes = async () => Object.fromEntries((await store.query<{ t: string; n: string }>(
  'SELECT token_type AS t, CAST(sum(tokens) AS VARCHAR) AS n FROM telemetry_tokens GROUP BY ALL ORDER BY ALL')).map((r) => [r.t, r.n]));

describe('usage shapes of other providers', () => {
  it.each([
    ['anthropic-messages.jsonl', 'openai-jsonl',
      { input: '4155', cached: '1800', write: '1800', output: '480', reasoning: '0', requests: '3' },
      { input: '555', cached_input: '1800', cache_write: '1800', output: '480' }],
    ['gemini-generate-content.jsonl', 'openai-jsonl',
      { input: '1980', cached: '1000', write: '0', output: '870', reasoning: '510', requests: '3' },
      { input: '980', cached_input: '1000', output: '870' }],
    ['bedrock-converse.jsonl', 'openai-jsonl',
      { input: '3206', cached: '1596', write: '1596', output: '416', reasoning: '0', requests: '2' },
      { input: '14', cached_input: '1596', cache_write: '1596', output: '416' }],
    ['bedrock-invocation-log.jsonl', 'openai-jsonl',
      { input: '2064', cached: '2048', write: '0', output: '133', reasoning: '0', requests: '2' },
      { input: '16', cached_input: '2048', output: '133' }],
    ['openai-chat-legacy.jsonl', 'openai-jsonl',
      { input: '3400', cached: '1756', write: '500', output: '340', reasoning: '0', requests: '3' },
      { input: '1144', cached_input: '1756', cache_write: '500', output: '340' }],
    ['openai-usage-completions.json', 'openai-usage-api',
      { input: '103000', cached: '50000', write: '0', output: '22500', reasoning: '0', requests: '282' },
      { input: '53000', cached_input: '50000', output: '22500' }],
  ])('%s: nothing counted twice', async (name, format, expected, types) => {
    const o = await ingestFixture(name);
    expect(o).toMatchObject({ action: 'ingested', format });
    expect(await totals()).toEqual(expected);
    expect(await tokenTypes()).toEqual(types);
  });

  it('Anthropic: models with -YYYYMMDD snapshots, cache reads and writes split out of the whole prompt', async () => {
    await ingestFixture('anthropic-messages.jsonl');
    expect(await models()).toEqual([
      { model: 'claude-sonnet-4', version: '0514', ts: '2026-10-01 09:00:00', i: '1825', c: '0', w: '1800', o: '310', r: '0' },
      { model: 'claude-sonnet-4', version: '0514', ts: '2026-10-01 09:01:00', i: '1830', c: '1800', w: '0', o: '120', r: '0' },
      { model: 'claude-3-5-haiku', version: '1022', ts: '2026-10-01 09:02:00', i: '500', c: '0', w: '0', o: '50', r: '0' },
    ]);
  });

  it('Gemini: the model from modelVersion, Vertex createTime as the time, thoughts as reasoning inside the output', async () => {
    await ingestFixture('gemini-generate-content.jsonl');
    expect(await models()).toEqual([
      { model: 'gemini-2.5-flash', version: null, ts: '2026-10-01 10:00:00', i: '1200', c: '1000', w: '0', o: '750', r: '450' },
      { model: 'gemini-2.0-flash-001', version: null, ts: '2026-10-01 10:05:00.123456', i: '80', c: '0', w: '0', o: '20', r: '0' },
      { model: 'gemini-2.5-pro', version: null, ts: '2026-10-01 10:10:00', i: '700', c: '0', w: '0', o: '100', r: '60' },
    ]);
  });

  it('Bedrock: the model from modelId, Converse usage and the model invocation log alike', async () => {
    await ingestFixture('bedrock-converse.jsonl');
    await ingestFixture('bedrock-invocation-log.jsonl');
    expect((await models()).map((m) => [m.model, m.i, m.c, m.w, m.o])).toEqual([
      ['anthropic.claude-3-5-sonnet-20241022-v2:0', '1600', '0', '1596', '266'],
      ['amazon.nova-lite-v1:0', '4', '0', '0', '38'],
      ['anthropic.claude-3-5-sonnet-20241022-v2:0', '1606', '1596', '0', '150'],
      ['anthropic.claude-3-5-haiku-20241022-v1:0', '2060', '2048', '0', '95'],
    ]);
  });

  it('OpenAI: -MMDD snapshots split like dated ones', async () => {
    await ingestFixture('openai-chat-legacy.jsonl');
    expect((await models()).map((m) => [m.model, m.version])).toEqual([['gpt-4', '0613'], ['gpt-3.5-turbo', '0125'],
      ['claude-3-7-sonnet', '0219']]);
  });

  it('OpenAI Usage API: one aggregate row per bucket result at its start; project_id as a dimension when configured', async () => {
    await ingestFixture('openai-usage-completions.json', { mapping: { dimensions: { feature: ['project_id'] } } });
    expect(await store.query(sql`SELECT CAST(ts AS VARCHAR) AS ts, model, model_version AS v, feature, requests AS n, input_tokens AS i,
        cached_input_tokens AS c, output_tokens AS o, grain, attributes->>'input_audio_tokens' AS audio FROM telemetry
        ORDER BY tl_source_row`)).toEqual([
      { ts: '2026-10-01 00:00:00', model: 'gpt-4o', v: '0806', feature: 'proj_support', n: '140', i: '52000', c: '20000', o: '7000',
        grain: 'aggregate', audio: '0' },
      { ts: '2026-10-01 00:00:00', model: 'o3', v: '0416', feature: 'proj_docs', n: '12', i: '3000', c: '0', o: '9000', grain: 'aggregate',
        audio: '0' },
      { ts: '2026-10-02 00:00:00', model: 'gpt-4o', v: '0806', feature: 'proj_support', n: '130', i: '48000', c: '30000', o: '6500',
        grain: 'aggregate', audio: '1200' },
    ]);
  });
});
