import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { Store } from '../../store/db.js';
import { sql } from '../../store/sql.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestTelemetry } from './ingest.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const RES = '/subscriptions/1111/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod';

describe('OpenAI-style JSONL usage logs', () => {
  it('reads Chat and Responses usage shapes, aliases and metadata, without counting cached or reasoning twice', async () => {
    const f = writeFixture(tempDir(), 'usage.jsonl', jsonl([
      // the minimal record
      { timestamp: '2026-10-01T12:00:00Z', model: 'gpt-4o', resource_id: RES, feature: 'support-copilot',
        usage: { prompt_tokens: 1200, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1024 } } },
      // Responses shape, dated model, attributes in metadata, epoch timestamp
      { created: 1790000000, model: 'GPT-4o-2024-11-20', metadata: { feature: 'doc-intake', team: 'ops', env: 'prod', CostCenter: 'CC-1' },
        usage: { input_tokens: 500, output_tokens: 900, output_tokens_details: { reasoning_tokens: 600 } } },
      // deployment instead of model, attributes object
      { time: '2026-10-01 13:00:00', deployment: 'chat-prod', attributes: { team: 'cx' },
        usage: { prompt_tokens: 10, completion_tokens: 0 } },
    ]));
    const [o] = await ingestTelemetry(store, [f]);
    expect(o).toMatchObject({ action: 'ingested', format: 'openai-jsonl', rows: 3 });
    const rows = await store.query(
      `SELECT tl_source_row AS r, CAST(ts AS VARCHAR) AS ts, resource_id, model, model_version, deployment, feature, team, environment, ` +
      `cost_center,
      input_tokens AS i, cached_input_tokens AS c, output_tokens AS o, reasoning_tokens AS rz FROM telemetry ORDER BY r`);
    expect(rows).toEqual([
      { r: '1', ts: '2026-10-01 12:00:00', resource_id: RES.toLowerCase(), model: 'gpt-4o', model_version: null, deployment: null,
        feature: 'support-copilot', team: null, environment: null, cost_center: null, i: '1200', c: '1024', o: '300', rz: '0' },
      { r: '2', ts: '2026-09-21 14:13:20', resource_id: null, model: 'gpt-4o', model_version: '1120', deployment: null,
        feature: 'doc-intake', team: 'ops', environment: 'prod', cost_center: 'CC-1', i: '500', c: '0', o: '900', rz: '600' },
      { r: '3', ts: '2026-10-01 13:00:00', resource_id: null, model: 'chat-prod', model_version: null, deployment: 'chat-prod',
        feature: null, team: 'cx', environment: null, cost_center: null, i: '10', c: '0', o: '0', rz: '0' },
    ]);
    // in billing token types: uncached input = 1200 - 1024; output keeps reasoning inside
    const tt = await store.query(
      `SELECT token_type, CAST(sum(tokens) AS BIGINT) AS t FROM telemetry_tokens GROUP BY ALL ORDER BY token_type`);
    expect(tt).toEqual([{ token_type: 'cached_input', t: '1024' }, { token_type: 'input', t: '686' }, { token_type: 'output', t: '1200' }]);
  });

  it('two files alike but in the middle are two ingestions (the fingerprint is not the checksum)', async () => {
    const rec = (n: number) => ({ timestamp: '2026-10-01T00:00:00Z', model: 'o3', usage: { prompt_tokens: n, completion_tokens: 1 } });
    const records = Array.from({ length: 3000 }, () => rec(10));
    const dir = tempDir();
    const a = writeFixture(dir, 'a.jsonl', jsonl(records));
    const b = writeFixture(dir, 'b.jsonl', jsonl(records.map((r, i) => (i === 1500 ? rec(11) : r))));
    const out = await ingestTelemetry(store, [a, b]);
    expect(out.map((o) => o.action)).toEqual(['ingested', 'ingested']);
    expect(new Set(out.map((o) => o.ingestionId)).size).toBe(2);
    expect(await store.query('SELECT sum(input_tokens) AS t FROM telemetry')).toEqual([{ t: '60001' }]);
  });

  it('re-ingesting the same file is a no-op', async () => {
    const f = writeFixture(tempDir(), 'u.jsonl',
      jsonl([{ timestamp: '2026-10-01T00:00:00Z', model: 'o3', usage: { prompt_tokens: 1, completion_tokens: 1 } }]));
    await ingestTelemetry(store, [f]);
    const [again] = await ingestTelemetry(store, [f]);
    expect(again!.action).toBe('skipped');
    expect(await store.query('SELECT count(*) AS n FROM telemetry')).toEqual([{ n: '1' }]);
  });

  async function rejected(content: string, pattern: RegExp, line?: number) {
    const good = writeFixture(tempDir(), 'good.jsonl',
      jsonl([{ timestamp: '2026-10-01T00:00:00Z', model: 'o3', usage: { prompt_tokens: 5, completion_tokens: 1 } }]));
    const bad = writeFixture(tempDir(), 'bad.jsonl', content);
    const err = await ingestTelemetry(store, [good, bad]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(pattern);
    if (line !== undefined) expect((err as InputError).location.line).toBe(line);
    expect(await store.query(
      'SELECT (SELECT count(*) FROM telemetry) AS t, (SELECT count(*) FROM ingestions) AS i, (SELECT count(*) FROM ingestion_events) AS e'))
      .toEqual([{ t: '0', i: '0', e: '0' }]);
  }
  const ok = { timestamp: '2026-10-01T00:00:00Z', model: 'o3', usage: { prompt_tokens: 5, completion_tokens: 1 } };

  it('bad records: clear error with file and line, nothing written', async () => {
    await rejected(jsonl([ok, ok]) + '{"timestamp": oops}\n', /bad\.jsonl, line 3: not valid JSON/, 3);
    await rejected(jsonl([ok, { ...ok, timestamp: 'yesterday' }]), /bad\.jsonl, line 2, data row 2: timestamp "yesterday" is not an accepted date-time; expected/, 2);
    await rejected(jsonl([{ ...ok, usage: { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 20 } } }]),
      /line 1.*cached tokens exceed prompt tokens/, 1);
    await rejected(jsonl([ok, ok, { ...ok, usage: { prompt_tokens: 'ten', completion_tokens: 1 } }]), /line 3.*not a whole number/, 3);
    await rejected(jsonl([{ timestamp: '2026-10-01T00:00:00Z', model: 'o3' }]), /usage/);
    await rejected('', /empty/);
  });

  it('says what it expected for a file it does not recognize', async () => {
    const f = writeFixture(tempDir(), 'other.json', JSON.stringify({ hello: 'world' }));
    await expect(ingestTelemetry(store, [f])).rejects.toThrow(/not a telemetry format tokenledger recognizes/);
  });
});

describe('OpenTelemetry GenAI spans (OTLP/JSON)', () => {
  const attr = (key: string, v: string | number) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });
  const span = (start: string, attrs: object[]) =>
    ({ traceId: 't', spanId: 's', name: 'chat', startTimeUnixNano: start, endTimeUnixNano: start, attributes: attrs, status: { code: 1 } });
  const doc = (spans: object[]) => ({
    resourceSpans: [{
      resource: { attributes: [attr('service.name', 'support-api'), attr('deployment.environment.name', 'prod'), attr('team', 'cx')] },
      scopeSpans: [{ scope: { name: 'openai' }, spans }],
    }],
  });

  it('reads current and deprecated attribute names, resource attributes, and skips non-GenAI spans', async () => {
    const f = writeFixture(tempDir(), 'traces.jsonl', [
      doc([
        span('1790000000000000000',
          [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.request.model', 'gpt-4o'),
            attr('gen_ai.response.model', 'gpt-4o-2024-11-20'),
          attr('gen_ai.usage.input_tokens', 1200), attr('gen_ai.usage.output_tokens', 300),
          attr('gen_ai.usage.cache_read.input_tokens', 1000), attr('feature', 'support-copilot')]),
        span('1790000001000000000', [attr('http.method', 'GET')]),
      ]),
      doc([
        // deprecated names; cache counts above input_tokens: the exclusive convention, added to the prompt
        span('1790000002000000000', [attr('gen_ai.system', 'anthropic'), attr('gen_ai.request.model', 'claude-sonnet-4'),
          attr('gen_ai.usage.prompt_tokens', 50), attr('gen_ai.usage.completion_tokens', 20),
          attr('gen_ai.usage.cache_read.input_tokens', 400)]),
      ]),
    ].map((d) => JSON.stringify(d)).join('\n') + '\n');
    const [o] = await ingestTelemetry(store, [f]);
    expect(o).toMatchObject({ action: 'ingested', format: 'otlp-spans', rows: 2 });
    const rows = await store.query(
      `SELECT CAST(ts AS VARCHAR) AS ts, model, model_version, feature, team, environment, input_tokens AS i, cached_input_tokens AS c, ` +
        `output_tokens AS o FROM telemetry ORDER BY ts`);
    expect(rows).toEqual([
      { ts: '2026-09-21 14:13:20', model: 'gpt-4o', model_version: '1120', feature: 'support-copilot', team: 'cx', environment: 'prod',
        i: '1200', c: '1000', o: '300' },
      { ts: '2026-09-21 14:13:22', model: 'claude-sonnet-4', model_version: null, feature: null, team: 'cx', environment: 'prod', i: '450',
        c: '400', o: '20' },
    ]);
  });

  it('gen_ai.client.token.usage histograms (delta and cumulative) become aggregate rows', async () => {
    const point = (type: string, sum: number, count: number, model = 'gpt-4o') => ({
      attributes: [attr('gen_ai.token.type', type), attr('gen_ai.request.model', model), attr('feature', 'support-copilot')],
      startTimeUnixNano: '1790000000000000000', timeUnixNano: '1790000060000000000', count: String(count), sum, bucketCounts: [],
      explicitBounds: [],
    });
    const metrics = (temporality: number, points: object[]) => ({
      resourceMetrics: [{ resource: { attributes: [attr('deployment.environment', 'prod')] },
        scopeMetrics: [{ scope: { name: 'genai' }, metrics: [
        { name: 'gen_ai.client.token.usage', unit: '{token}', histogram: { aggregationTemporality: temporality, dataPoints: points } },
        { name: 'gen_ai.client.operation.duration', histogram: { aggregationTemporality: temporality, dataPoints: [] } },
      ] }] }],
    });
    const f = writeFixture(tempDir(), 'metrics.json',
      JSON.stringify(metrics(1,
        [point('input', 5000, 4), point('output', 800, 4), point('input', 100, 1, 'o3'), point('output', 10, 1, 'o3')])));
    const [o] = await ingestTelemetry(store, [f]);
    expect(o).toMatchObject({ format: 'otlp-metrics', rows: 2 });
    expect(await store.query(
      'SELECT model, feature, environment, requests AS n, input_tokens AS i, output_tokens AS o, grain FROM telemetry ORDER BY model'))
      .toEqual([
      { model: 'gpt-4o', feature: 'support-copilot', environment: 'prod', n: '4', i: '5000', o: '800', grain: 'aggregate' },
      { model: 'o3', feature: 'support-copilot', environment: 'prod', n: '1', i: '100', o: '10', grain: 'aggregate' },
    ]);
    // the same single window as cumulative (its first point: the whole sum since its start) reads the same
    const c = writeFixture(tempDir(), 'cumulative.json', JSON.stringify(metrics(2, [point('input', 5000, 4), point('output', 800, 4)])));
    const [oc] = await ingestTelemetry(store, [c]);
    expect(oc).toMatchObject({ format: 'otlp-metrics', rows: 1 });
    expect(await store.query(sql`SELECT requests AS n, input_tokens AS i, output_tokens AS o FROM telemetry
      WHERE tl_ingestion_id = ${oc!.ingestionId!}`)).toEqual([{ n: '4', i: '5000', o: '800' }]);
  });

  it('a span whose token count is not a whole number is an error naming the file and record', async () => {
    const half = { key: 'gen_ai.usage.output_tokens', value: { doubleValue: 12.5 } };
    const f = writeFixture(tempDir(), 'half.jsonl',
      JSON.stringify(
        doc([span('1790000000000000000', [attr('gen_ai.request.model', 'gpt-4o'), attr('gen_ai.usage.input_tokens', 10), half])])) + '\n');
    await expect(ingestTelemetry(store, [f])).rejects.toThrow(/half\.jsonl.*not a whole number/);
  });

  it('a span without a model is an error naming the file and record', async () => {
    const f = writeFixture(tempDir(), 'bad.json',
      JSON.stringify(doc([span('1790000000000000000', [attr('gen_ai.usage.input_tokens', 5)])])));
    await expect(ingestTelemetry(store, [f])).rejects.toThrow(/bad\.json.*span without gen_ai.request.model/);
    expect(await store.query('SELECT count(*) AS n FROM telemetry')).toEqual([{ n: '0' }]);
  });
});
