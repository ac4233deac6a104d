import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestTelemetry } from './ingest.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const dims = (extra: Record<string, string>) =>
  JSON.stringify({ 'API ID': 'azure-openai', 'Subscription ID': 'sub-1', 'Backend ID': 'aoai-east', ...extra });
const csvField = (v: string) => `"${v.replace(/"/g, '""')}"`;

describe('APIM token metrics', () => {
  it('portal CSV of customMetrics: one aggregate row per interval and dimension set, valueSum summed, value ignored', async () => {
    const rows = [
      ['2026-10-01T10:00:00Z', 'Prompt Tokens', '999', '5', '4000', dims({ feature: 'support-copilot', Deployment: 'gpt-4o' })],
      ['2026-10-01T10:00:00Z', 'Completion Tokens', '999', '5', '1000', dims({ feature: 'support-copilot', Deployment: 'gpt-4o' })],
      ['2026-10-01T10:00:00Z', 'Total Tokens', '999', '5', '5000', dims({ feature: 'support-copilot', Deployment: 'gpt-4o' })],
      ['2026-10-01T10:01:00Z', 'Prompt Tokens', '1', '2', '300', dims({ feature: 'doc-intake', team: 'ops', Deployment: 'gpt-4o' })],
      ['2026-10-01T10:01:00Z', 'Completion Tokens', '1', '2', '60', dims({ feature: 'doc-intake', team: 'ops', Deployment: 'gpt-4o' })],
      ['2026-10-01T10:01:00Z', 'Some Other Metric', '1', '2', '77', dims({})],
    ];
    const csv = '\uFEFF"timestamp [UTC]",name,value,valueCount,valueSum,customDimensions\r\n' +
      rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
    const [o] = await ingestTelemetry(store, [writeFixture(tempDir(), 'customMetrics.csv', csv)]);
    expect(o).toMatchObject({ format: 'apim-metrics', rows: 2 });
    const got = await store.query(
      `SELECT CAST(ts AS VARCHAR) AS ts, grain, model, feature, team, requests AS n, input_tokens AS i, output_tokens AS o, cache_split ` +
        `FROM telemetry ORDER BY ts`);
    expect(got).toEqual([
      { ts: '2026-10-01 10:00:00', grain: 'aggregate', model: 'gpt-4o', feature: 'support-copilot', team: null, n: '5', i: '4000',
        o: '1000', cache_split: false },
      { ts: '2026-10-01 10:01:00', grain: 'aggregate', model: 'gpt-4o', feature: 'doc-intake', team: 'ops', n: '2', i: '300', o: '60',
        cache_split: false },
    ]);
  });

  it('query API JSON of workspace AppMetrics, with a backend mapped to its Azure resource', async () => {
    const doc = {
      tables: [{
        name: 'PrimaryResult',
        columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Name', type: 'string' }, { name: 'Sum', type: 'real' },
          { name: 'ItemCount', type: 'long' }, { name: 'Properties', type: 'dynamic' }],
        rows: [
          ['2026-10-02T00:00:00Z', 'Prompt Tokens', 1500, 3, { 'Backend ID': 'aoai-east', feature: 'lead-scoring' }],
          ['2026-10-02T00:00:00Z', 'Completion Tokens', 500, 3, { 'Backend ID': 'aoai-east', feature: 'lead-scoring' }],
        ],
      }],
    };
    const mapping = { resources: [{ match: { backend_id: 'AOAI-EAST' },
      resource_id: '/subscriptions/S/providers/Microsoft.CognitiveServices/accounts/AOAI-East', model: 'gpt-5-mini' }] };
    const [o] = await ingestTelemetry(store, [writeFixture(tempDir(), 'appmetrics.json', JSON.stringify(doc))], { mapping });
    expect(o).toMatchObject({ format: 'apim-metrics', rows: 1 });
    expect(await store.query('SELECT resource_id, model, feature, input_tokens AS i, output_tokens AS o, requests AS n FROM telemetry'))
      .toEqual([
      { resource_id: '/subscriptions/s/providers/microsoft.cognitiveservices/accounts/aoai-east', model: 'gpt-5-mini',
        feature: 'lead-scoring', i: '1500', o: '500', n: '3' },
    ]);
    // without a cache split, prompt tokens are the basis for every input token type
    expect(await store.query(`SELECT token_type, CAST(sum(tokens) AS BIGINT) AS t FROM telemetry_tokens GROUP BY ALL ORDER BY ALL`))
      .toEqual([{ token_type: 'output', t: '500' }, { token_type: 'prompt', t: '1500' }]);
  });

  it('bad values are errors naming the file and the record\'s line; nothing is written', async () => {
    const csv = 'timestamp,name,valueSum,valueCount,customDimensions\n2026-10-01T00:00:00Z,Prompt Tokens,lots,1,{}\n';
    await expect(ingestTelemetry(store, [writeFixture(tempDir(), 'm.csv', csv)])).rejects.toThrow(
      /m\.csv, line 2: a valueSum \/ Sum is not a number/);
    const missing = 'timestamp,name,value\n2026-10-01T00:00:00Z,Prompt Tokens,1\n';
    await expect(ingestTelemetry(store, [writeFixture(tempDir(), 'n.csv', missing)], { format: 'apim-metrics' })).rejects.toThrow(
      /n\.csv, line 1: missing column valuesum or sum/);
    expect(await store.query('SELECT count(*) AS n FROM telemetry')).toEqual([{ n: '0' }]);
  });
});

describe('Azure Monitor metrics (REST JSON)', () => {
  const id = (metric: string) => `/subscriptions/S/resourceGroups/R/providers/Microsoft.CognitiveServices/accounts/AOAI-Prod/providers/` +
    `Microsoft.Insights/metrics/${metric}`;
  const series = (deployment: string, points: [string, number][], extra: object[] = []) => ({
    metadatavalues: [{ name: { value: 'ModelDeploymentName', localizedValue: 'ModelDeploymentName' }, value: deployment }, ...extra],
    data: points.map(([timeStamp, total]) => ({ timeStamp, total })),
  });
  const metric = (name: string, ts: object[]) =>
    ({ id: id(name), type: 'Microsoft.Insights/metrics', name: { value: name, localizedValue: name }, unit: 'Count', timeseries: ts });

  it('pivots prompt, generated and requests per deployment and time grain; resource from the metric id', async () => {
    const doc = {
      cost: 0, timespan: '2026-10-01T00:00:00Z/2026-10-02T00:00:00Z', interval: 'PT1H', namespace: 'Microsoft.CognitiveServices/accounts',
      resourceregion: 'eastus2',
      value: [
        metric('ProcessedPromptTokens',
          [series('gpt-4o', [['2026-10-01T00:00:00Z', 1000], ['2026-10-01T01:00:00Z', 0]]), series('o3', [['2026-10-01T00:00:00Z', 50]])]),
        metric('GeneratedTokens', [series('gpt-4o', [['2026-10-01T00:00:00Z', 200]]), series('o3', [['2026-10-01T00:00:00Z', 20]])]),
        metric('AzureOpenAIRequests', [
          series('gpt-4o', [['2026-10-01T00:00:00Z', 9]], [{ name: { value: 'StatusCode' }, value: '200' }]),
          series('gpt-4o', [['2026-10-01T00:00:00Z', 2]], [{ name: { value: 'StatusCode' }, value: '429' }]),
        ]),
      ],
    };
    const [o] = await ingestTelemetry(store, [writeFixture(tempDir(), 'metrics.json', JSON.stringify(doc))]);
    expect(o).toMatchObject({ format: 'azure-monitor', rows: 2 });
    expect(await store.query(
      'SELECT resource_id, deployment, model, requests AS n, input_tokens AS i, output_tokens AS o FROM telemetry ORDER BY model'))
      .toEqual([
      { resource_id: '/subscriptions/s/resourcegroups/r/providers/microsoft.cognitiveservices/accounts/aoai-prod', deployment: 'gpt-4o',
        model: 'gpt-4o', n: '11', i: '1000', o: '200' },
      { resource_id: '/subscriptions/s/resourcegroups/r/providers/microsoft.cognitiveservices/accounts/aoai-prod', deployment: 'o3',
        model: 'o3', n: '0', i: '50', o: '20' },
    ]);
  });

  it('metrics without the deployment split are refused with what to request', async () => {
    const doc = { value: [metric('ProcessedPromptTokens',
      [{ metadatavalues: [], data: [{ timeStamp: '2026-10-01T00:00:00Z', total: 5 }] }])] };
    await expect(ingestTelemetry(store, [writeFixture(tempDir(), 'flat.json', JSON.stringify(doc))])).rejects.toThrow(
      /not split by ModelDeploymentName/);
  });
});

describe('APIM LLM logs joined with gateway logs', () => {
  it('one request per CorrelationId (streamed rows counted once), enriched with API, backend and response code', async () => {
    const dir = tempDir();
    const llm = 'TimeGenerated,CorrelationId,DeploymentName,ModelName,PromptTokens,CompletionTokens,TotalTokens,IsStreamCompletion,' +
      'SequenceNumber\n'
      + '2026-10-01T10:00:00Z,c-1,chat-prod,gpt-4o-2024-11-20,1200,300,1500,false,0\n'
      + '2026-10-01T10:05:00Z,c-2,chat-prod,gpt-4o-2024-11-20,800,50,850,true,0\n'
      + '2026-10-01T10:05:01Z,c-2,chat-prod,gpt-4o-2024-11-20,800,50,850,true,1\n';
    const gateway = 'TimeGenerated,CorrelationId,ApimSubscriptionId,ApiId,OperationId,BackendId,Cache,ResponseCode\n'
      + '2026-10-01T10:00:00Z,c-1,sub-support,azure-openai,chat,aoai-east,none,200\n'
      + '2026-10-01T10:05:00Z,c-2,sub-docs,azure-openai,chat,aoai-east,none,200\n';
    const mapping = { resources: [{ match: { backend_id: 'aoai-east' },
      resource_id: '/subscriptions/S/providers/Microsoft.CognitiveServices/accounts/aoai-east' }] };
    // LLM log given first: gateway logs are still read first
    const out = await ingestTelemetry(store, [writeFixture(dir, 'llm.csv', llm), writeFixture(dir, 'gateway.csv', gateway)], { mapping });
    expect(out.map((o) => [o.format, o.rows])).toEqual([['apim-gateway-log', 2], ['apim-llm-log', 2]]);
    expect(await store.query(
      `SELECT attributes->>'correlation_id' AS cid, resource_id, model, model_version, user_id, status, input_tokens AS i, ` +
        `output_tokens AS o FROM telemetry ORDER BY cid`)).toEqual([
      { cid: 'c-1', resource_id: '/subscriptions/s/providers/microsoft.cognitiveservices/accounts/aoai-east', model: 'gpt-4o',
        model_version: '1120', user_id: 'sub-support', status: '200', i: '1200', o: '300' },
      { cid: 'c-2', resource_id: '/subscriptions/s/providers/microsoft.cognitiveservices/accounts/aoai-east', model: 'gpt-4o',
        model_version: '1120', user_id: 'sub-docs', status: '200', i: '800', o: '50' },
    ]);
  });
});

describe('generic CSV telemetry with a column mapping', () => {
  const mapping = { csv: { timestamp: 'time_utc', model: 'model_name', prompt_tokens: 'tokens_in', completion_tokens: 'tokens_out',
    cached_tokens: 'tokens_cached', feature: 'product' } };

  it('reads any export through the mapping (auto-detected by the timestamp column)', async () => {
    const csv = 'time_utc,model_name,tokens_in,tokens_out,tokens_cached,product\n2026-10-01 ' +
      '08:00:00,GPT-4o-2024-11-20,900,100,400,search\n2026-10-01 09:00:00,o3,50,5,,search\n';
    const [o] = await ingestTelemetry(store, [writeFixture(tempDir(), 'usage.csv', csv)], { mapping });
    expect(o).toMatchObject({ format: 'csv', rows: 2 });
    expect(await store.query(
      'SELECT tl_source_row AS r, model, feature, input_tokens AS i, cached_input_tokens AS c, output_tokens AS o, grain FROM telemetry ' +
        'ORDER BY r')).toEqual([
      { r: '1', model: 'gpt-4o', feature: 'search', i: '900', c: '400', o: '100', grain: 'request' },
      { r: '2', model: 'o3', feature: 'search', i: '50', c: '0', o: '5', grain: 'request' },
    ]);
  });

  it('a mapped column missing from the header, or a bad value, is an error with file and line', async () => {
    await expect(ingestTelemetry(store, [writeFixture(tempDir(), 'a.csv', 'time_utc,model_name,tokens_in\n')], { mapping, format: 'csv' }))
      .rejects.toThrow(/a\.csv, line 1: column tokens_out \(telemetry\.csv\.completion_tokens in tokenledger\.yaml\) is not in the header/);
    const bad = 'time_utc,model_name,tokens_in,tokens_out,tokens_cached,product\n2026-10-01 08:00:00,o3,10,1,0,x\n2026-10-01 ' +
      '09:00:00,o3,ten,1,0,x\n';
    await expect(ingestTelemetry(store, [writeFixture(tempDir(), 'b.csv', bad)], { mapping })).rejects.toThrow(
      /b\.csv, line 3, data row 2: a token count is not a whole number/);
    // 12.5 is not a whole number either (a cast to BIGINT alone would round it to 13)
    const half = 'time_utc,model_name,tokens_in,tokens_out,tokens_cached,product\n2026-10-01 08:00:00,o3,12.5,1,0,x\n';
    await expect(ingestTelemetry(store, [writeFixture(tempDir(), 'h.csv', half)], { mapping })).rejects.toThrow(
      /h\.csv, line 2, data row 1: a token count is not a whole number/);
    await expect(ingestTelemetry(store, [writeFixture(tempDir(), 'c.csv', bad)], { format: 'csv' })).rejects.toThrow(
      /needs a column mapping/);
  });
});
