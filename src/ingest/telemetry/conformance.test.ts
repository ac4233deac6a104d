/**
 * The shared conformance suite (common/conformance.case.ts) for every telemetry format. Request formats
 * (usage logs, spans, mapped CSV) keep the record's line; aggregate formats (metrics, LLM logs grouped by
 * CorrelationId) sum several records into one row, so their rows are numbered within the file and their
 * errors name the first record with a bad value of its own (by line in a CSV export; none in a JSON one).
 * Token counts differ per record, so a row pointing at another line reads back another count.
 */
import { code } from '../../store/sql.js';
import { writeFixture } from '../../test-support/focus-fixture.js';
import { conformanceCases, lineOf, recordOf, type FormatCase } from '../common/conformance.case.js';
import { parseFirstRecord } from '../common/csv-header.js';
import { ingestTelemetry, type TelemetryOptions } from './ingest.js';

let seq = 0;
const next = () => (seq += 1) * 100;
const ingestWith = (opts: TelemetryOptions = {}): FormatCase['ingest'] => (store, paths) => ingestTelemetry(store, paths, opts);
const ROWS = code('SELECT tl_source_file AS file, tl_source_row AS n, input_tokens AS v FROM telemetry');
const AGGREGATE = code('SELECT tl_source_file AS file, tl_source_row AS n FROM telemetry');
const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

// openai-jsonl -------------------------------------------------------------------------------------
const usage = (prompt: number | string) =>
  ({ timestamp: '2026-10-01T10:00:00Z', model: 'gpt-4o', feature: 'f', usage: { prompt_tokens: prompt, completion_tokens: 1 } });
conformanceCases({
  name: 'telemetry openai-jsonl',
  ingest: ingestWith(),
  good: (dir) => { const b = next(); return writeFixture(dir, 'usage.jsonl', jsonl([usage(b + 1), usage(b + 2), usage(b + 3)])); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.jsonl', jsonl([usage(1), usage(2), { ...usage(3), timestamp: 'yesterday' }]));
    return { path, file: path, line: 3, row: 3 }; },
  fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.jsonl', jsonl([usage(1), usage(12.5)]));
    return { path, file: path, line: 2, row: 2 }; },
  lineage: { rows: ROWS,
    readBack: (file, n) => (JSON.parse(recordOf(file, n)) as { usage: { prompt_tokens: number } }).usage.prompt_tokens },
});

// openai-jsonl with other providers' usage shapes (usage-shapes.ts: read by the careful reader) ---------------
const shapes: [string, (input: number | string) => object, (r: Record<string, unknown>) => unknown][] = [
  ['anthropic', (i) => ({ timestamp: '2026-10-01T10:00:00Z', model: 'claude-sonnet-4-20250514', type: 'message',
    usage: { input_tokens: i, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } }),
  (r) => (r.usage as { input_tokens: number }).input_tokens],
  ['gemini', (i) => ({ timestamp: '2026-10-01T10:00:00Z', modelVersion: 'gemini-2.5-flash',
    usageMetadata: { promptTokenCount: i, candidatesTokenCount: 2 } }),
  (r) => (r.usageMetadata as { promptTokenCount: number }).promptTokenCount],
  ['bedrock', (i) => ({ timestamp: '2026-10-01T10:00:00Z', modelId: 'amazon.nova-pro-v1:0', usage: { inputTokens: i, outputTokens: 2 } }),
    (r) => (r.usage as { inputTokens: number }).inputTokens],
];
for (const [name, rec, inputOf] of shapes) {
  conformanceCases({
    name: `telemetry openai-jsonl (${name} usage)`,
    ingest: ingestWith(),
    good: (dir) => { const b = next(); return writeFixture(dir, `${name}.jsonl`, jsonl([rec(b + 1), rec(b + 2), rec(b + 3)])); },
    bad: (dir) => { const path = writeFixture(dir, 'bad.jsonl', jsonl([rec(1), { ...rec(2), timestamp: 'yesterday' }]));
      return { path, file: path, line: 2, row: 2 }; },
    fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.jsonl', jsonl([rec(1), rec(12.5)]));
      return { path, file: path, line: 2, row: 2 }; },
    lineage: { rows: ROWS, readBack: (file, n) => inputOf(JSON.parse(recordOf(file, n)) as Record<string, unknown>) as number },
  });
}

// otlp-spans (one span per line: the record number is the span's number in the file) -----------------
const attr = (key: string, v: string | number) => ({ key, value: typeof v === 'number' ? { doubleValue: v } : { stringValue: v } });
const spanDoc = (input: number, model: string | null = 'gpt-4o') => ({
  resourceSpans: [{ resource: { attributes: [attr('service.name', 'api')] }, scopeSpans: [{ spans: [{
    traceId: 't', spanId: `s${input}`, name: 'chat', startTimeUnixNano: '1790000000000000000',
    attributes: [...(model ? [attr('gen_ai.request.model', model)] : []), attr('gen_ai.usage.input_tokens', input),
      attr('gen_ai.usage.output_tokens', 2)],
  }] }] }],
});
const spanInput = (line: string) =>
  (JSON.parse(line).resourceSpans[0].scopeSpans[0].spans[0].attributes as { key: string; value: { doubleValue: number } }[])
  .find((a) => a.key === 'gen_ai.usage.input_tokens')!.value.doubleValue;
conformanceCases({
  name: 'telemetry otlp-spans',
  ingest: ingestWith(),
  good: (dir) => { const b = next(); return writeFixture(dir, 'traces.jsonl', jsonl([spanDoc(b + 1), spanDoc(b + 2), spanDoc(b + 3)])); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.jsonl', jsonl([spanDoc(1), spanDoc(2, null)]));
    return { path, file: path, line: 2, row: 2 }; },
  fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.jsonl', jsonl([spanDoc(1), spanDoc(12.5)]));
    return { path, file: path, line: 2, row: 2 }; },
  lineage: { rows: ROWS, readBack: (file, n) => spanInput(lineOf(file, n)) },
});

// otlp-metrics -------------------------------------------------------------------------------------
const point = (type: string, sum: number, start: number) => ({
  attributes: [attr('gen_ai.token.type', type), attr('gen_ai.request.model', 'gpt-4o')],
  startTimeUnixNano: `${1790000000 + start}000000000`, timeUnixNano: `${1790000060 + start}000000000`, count: '1', sum,
});
const metricsDoc = (temporality: number, points: object[]) =>
  JSON.stringify({ resourceMetrics: [{ resource: { attributes: [] }, scopeMetrics: [{ metrics: [
  { name: 'gen_ai.client.token.usage', histogram: { aggregationTemporality: temporality, dataPoints: points } }] }] }] });
conformanceCases({
  name: 'telemetry otlp-metrics',
  ingest: ingestWith(),
  good: (dir) => { const b = next();
    return writeFixture(dir, 'metrics.json',
      metricsDoc(1, [point('input', b, 0), point('output', 5, 0), point('input', b + 1, 60), point('output', 6, 60)])); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.json', metricsDoc(1, [point('input', 10, 0), point('cached', 10, 0)]));
    return { path, file: path }; },
  fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.json', metricsDoc(1, [point('input', 12.5, 0)]));
    return { path, file: path }; },
  lineage: { aggregate: AGGREGATE },
});

// otlp-metrics, cumulative (the SDKs' default): one series, its sums growing from one start time -------------
// each good file is its own series (a feature of its own): the same series again would be an overlapping export
const cumulativePoint = (type: string, sum: number, end: number, series = 'f') => {
  const p = point(type, sum, 0);
  return { ...p, attributes: [...p.attributes, attr('feature', series)], timeUnixNano: `${1790000060 + end}000000000` };
};
conformanceCases({
  name: 'telemetry otlp-metrics (cumulative)',
  ingest: ingestWith(),
  good: (dir) => { const b = next();
    return writeFixture(dir, 'cumulative.json', metricsDoc(2,
      [cumulativePoint('input', b, 0, `f${b}`), cumulativePoint('output', 5, 0, `f${b}`), cumulativePoint('input', 2 * b + 1, 60, `f${b}`),
        cumulativePoint('output', 11, 60, `f${b}`)])); },
  bad: (dir) => {
    const path = writeFixture(dir, 'bad.json', metricsDoc(2, [{ ...cumulativePoint('input', 10, 0), startTimeUnixNano: '' }]));
    return { path, file: path }; },
  fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.json', metricsDoc(2,
    [cumulativePoint('input', 10, 0), cumulativePoint('input', 22.5, 60)]));
    return { path, file: path }; },
  lineage: { aggregate: AGGREGATE },
});

// openai-usage-api (organization usage, completions buckets) ------------------------------------------------
const usageResult = (input: number | string, model: string | null = 'gpt-4o') => ({ object: 'organization.usage.completions.result',
  input_tokens: input, input_cached_tokens: 0, output_tokens: 3, num_model_requests: 1, model });
const usagePage = (results: object[]) => JSON.stringify({ object: 'page', data: [{ object: 'bucket', start_time: 1790812800,
  end_time: 1790899200, results }], has_more: false, next_page: null });
conformanceCases({
  name: 'telemetry openai-usage-api',
  ingest: ingestWith(),
  good: (dir) => { const b = next(); return writeFixture(dir, 'usage.json', usagePage([usageResult(b), usageResult(b + 1, 'o3')])); },
  bad: (dir) => {
    const path = writeFixture(dir, 'bad.json', usagePage([usageResult(1), usageResult(2, null)])); return { path, file: path }; },
  fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.json', usagePage([usageResult(12.5)])); return { path, file: path }; },
  lineage: { aggregate: AGGREGATE },
});

// apim-metrics (App Insights customMetrics, portal CSV) -------------------------------------------------
const metricLine = (minute: number, name: string, sum: string) =>
  `2026-10-01T10:${String(minute).padStart(2, '0')}:00Z,${name},${sum},1,"{""Deployment"": ""gpt-4o""}"`;
const metricsCsv = (lines: string[]) => ['timestamp,name,valueSum,valueCount,customDimensions', ...lines].join('\n') + '\n';
conformanceCases({
  name: 'telemetry apim-metrics',
  ingest: ingestWith(),
  good: (dir) => { const b = next();
    return writeFixture(dir, 'customMetrics.csv',
      metricsCsv([metricLine(0, 'Prompt Tokens', String(b)), metricLine(0, 'Completion Tokens', '5'),
        metricLine(1, 'Prompt Tokens', String(b + 1))])); },
  bad: (dir) => {
    const path = writeFixture(dir, 'bad.csv',
      metricsCsv([metricLine(0, 'Prompt Tokens', '10'), metricLine(1, 'Prompt Tokens', 'lots')])); return { path, file: path, line: 3 }; },
  fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.csv', metricsCsv([metricLine(0, 'Prompt Tokens', '12.5')]));
    return { path, file: path, line: 2 }; },
  lineage: { aggregate: AGGREGATE },
});

// azure-monitor --------------------------------------------------------------------------------------
const monitorDoc = (points: { ts: string; total: number | string }[]) => JSON.stringify({ value: [{
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a/providers/Microsoft.Insights/metrics/' +
    'ProcessedPromptTokens',
  name: { value: 'ProcessedPromptTokens' },
  timeseries: [{ metadatavalues: [{ name: { value: 'ModelDeploymentName' }, value: 'gpt-4o' }],
    data: points.map((p) => ({ timeStamp: p.ts, total: p.total })) }],
}] });
conformanceCases({
  name: 'telemetry azure-monitor',
  ingest: ingestWith(),
  good: (dir) => { const b = next();
    return writeFixture(dir, 'monitor.json',
      monitorDoc([{ ts: '2026-10-01T10:00:00Z', total: b }, { ts: '2026-10-01T11:00:00Z', total: b + 1 }])); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.json', monitorDoc([{ ts: 'soon', total: 5 }])); return { path, file: path }; },
  fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.json', monitorDoc([{ ts: '2026-10-01T10:00:00Z', total: 12.5 }]));
    return { path, file: path }; },
  lineage: { aggregate: AGGREGATE },
});

// apim-llm-log with its gateway log (one request per CorrelationId) ------------------------------------------
const llmCsv = (rows: [string, string][]) => ['TimeGenerated,CorrelationId,DeploymentName,ModelName,PromptTokens,CompletionTokens',
  ...rows.map(([cid, prompt]) => `2026-10-01T10:00:00Z,${cid},chat,gpt-4o,${prompt},3`)].join('\n') + '\n';
const gatewayCsv = (cids: string[]) => ['TimeGenerated,CorrelationId,ApiId,BackendId,ResponseCode',
  ...cids.map((c) => `2026-10-01T10:00:00Z,${c},openai,aoai,200`)].join('\n') + '\n';
function llmFolder(dir: string, rows: [string, string][]): string {
  writeFixture(dir, 'gateway.csv', gatewayCsv(rows.map(([c]) => c)));
  return writeFixture(dir, 'llm.csv', llmCsv(rows));
}
conformanceCases({
  name: 'telemetry apim-llm-log (+ apim-gateway-log)',
  ingest: ingestWith(),
  good: (dir) => { const b = next(); llmFolder(dir, [[`c${b}a`, String(b)], [`c${b}b`, String(b + 1)]]); return dir; },
  bad: (dir) => { const path = llmFolder(dir, [['x1', '1'], ['x2', 'ten']]); return { path: dir, file: path, line: 3 }; },
  fractionalTokens: (dir) => { const path = llmFolder(dir, [['h1', '12.5']]); return { path: dir, file: path, line: 2 }; },
  lineage: { aggregate: AGGREGATE },
});

// csv mapped through tokenledger.yaml ----------------------------------------------------------------------
const mapping = { csv: { timestamp: 'time_utc', model: 'model_name', prompt_tokens: 'tokens_in', completion_tokens: 'tokens_out' } };
const mappedCsv = (ins: string[]) =>
  ['time_utc,model_name,tokens_in,tokens_out', ...ins.map((i) => `2026-10-01 08:00:00,o3,${i},1`)].join('\n') + '\n';
conformanceCases({
  name: 'telemetry csv (mapped)',
  ingest: ingestWith({ mapping, format: 'csv' }),
  good: (dir) => { const b = next(); return writeFixture(dir, 'usage.csv', mappedCsv([String(b + 1), String(b + 2), String(b + 3)])); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.csv', mappedCsv(['1', '2', 'ten'])); return { path, file: path, line: 4, row: 3 }; },
  fractionalTokens: (dir) => { const path = writeFixture(dir, 'half.csv', mappedCsv(['1', '12.5']));
    return { path, file: path, line: 3, row: 2 }; },
  // telemetry stores a CSV's record number; record n is line n + 1
  lineage: { rows: ROWS, readBack: (file, n) => parseFirstRecord(lineOf(file, n + 1) + '\n')![2]! },
});
