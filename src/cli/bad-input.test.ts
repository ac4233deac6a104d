/**
 * The bad-input corpus: named files that each ingest must refuse as bad input (exit 2), never as an internal
 * error (exit 4), with a message that starts with the file and, where the format has lines, the physical
 * line of the problem, and with the store exactly as it was. The command line runs in-process against one
 * store per ingest (seeded with a good file), so a refusal that wrote anything shows in the store's
 * fingerprint (every table's content). Cases marked todo are bugs of another area, named by its item.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { storeFingerprint } from '../ingest/common/conformance.case.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, tokenRow } from '../test-support/focus-fixture.js';
import { run } from './main.js';

type Kind = 'focus' | 'telemetry' | 'events';

interface BadCase {
  name: string;
  kind: Kind;
  /** Files to write (relative path -> content); the first is ingested unless `target` says otherwise. */
  files: Record<string, string | Buffer | (() => string | Buffer)>;
  target?: string;
  /** The file the message must start with (relative; default: target). */
  file?: string;
  /** The physical line the message names, or null: the format has no line for it (and must not claim one). */
  line: number | null;
  match: RegExp;
  /** Symbolic links to make (relative link -> target, absolute when it starts with /). */
  links?: Record<string, string>;
  todo?: string;
}

const lines = (text: string) => text.split('\n');
const H = lines(focusCsv([]))[0]!;
/** One data row of the fixture (a quoted field may hold line breaks). */
const row = (r: Record<string, string> = {}) => focusCsv([r]).slice(H.length + 1, -1);
const good = row();
const csv = (...ls: string[]) => ls.join('\n') + '\n';
const latin1 = (s: string) => Buffer.from(s, 'latin1');
const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);

const usage = (prompt: number | string, extra: object = {}) => JSON.stringify({ timestamp: '2026-10-01T10:00:00Z', model: 'gpt-4o',
  feature: 'f', usage: { prompt_tokens: prompt, completion_tokens: 1 }, ...extra });
const metricsCsv = (...ls: string[]) => csv('timestamp,name,valueSum,valueCount,customDimensions', ...ls);
const metric = (m: number, sum: string,
  dims = '"{""Deployment"": ""gpt-4o""}"') => `2026-10-01T10:0${m}:00Z,Prompt Tokens,${sum},1,${dims}`;
const llmCsv = (...ls: string[]) => csv('TimeGenerated,CorrelationId,DeploymentName,ModelName,PromptTokens,CompletionTokens', ...ls);
const llm = (cid: string, prompt: string, ts = '2026-10-01T10:00:00Z') => `${ts},${cid},chat,gpt-4o,${prompt},3`;
const gateway = (...cids: string[]) => csv('TimeGenerated,CorrelationId,ApiId,BackendId,ResponseCode',
  ...cids.map((c) => `2026-10-01T10:00:00Z,${c},openai,aoai,200`));
const attr = (key: string, v: string | number) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });
const span = (input: number, model: string | null = 'gpt-4o') => JSON.stringify({ resourceSpans: [{ resource: { attributes: [] },
  scopeSpans: [{ spans: [{ traceId: 't', spanId: `s${input}`, name: 'chat', startTimeUnixNano: '1790000000000000000',
    attributes: [...(model ? [attr('gen_ai.request.model', model)] : []), attr('gen_ai.usage.input_tokens', input),
      attr('gen_ai.usage.output_tokens', 2)] }] }] }] });
const monitor = (ts: string) => JSON.stringify({ value: [{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/' +
  'accounts/a/providers/Microsoft.Insights/metrics/ProcessedPromptTokens', name: { value: 'ProcessedPromptTokens' },
timeseries: [{ metadatavalues: [{ name: { value: 'ModelDeploymentName' }, value: 'gpt-4o' }], data: [{ timeStamp: ts, total: 5 }] }] }] });
const eventsCsv = (...ls: string[]) => csv('timestamp,unit,feature,count', ...ls);
const ev = (count: string, ts = '2026-10-01T10:00:00Z') => `${ts},ticket,support,${count}`;
const evj = (count: number | string, extra = '') =>
  `{"timestamp":"2026-10-01T10:00:00Z","unit":"ticket","feature":"support","count":${count}${extra}}`;
const HUGE = 'x'.repeat(5_000_000);

/** Parquet files made once (by DuckDB from a fixture CSV) and damaged in known ways. */
const parquet: Record<'good' | 'footer' | 'pages' | 'cut', Buffer> = { good: Buffer.alloc(0), footer: Buffer.alloc(0),
  pages: Buffer.alloc(0),
  cut: Buffer.alloc(0) };

const CASES: BadCase[] = [
  // FOCUS ------------------------------------------------------------------------------------------------
  { name: 'focus: a bad decimal', kind: 'focus', files: { 'a.csv': csv(H, good, row({ BilledCost: 'twelve' })) }, line: 3,
    match: /column BilledCost: expected a decimal number/ },
  { name: 'focus: a bad decimal after blank lines', kind: 'focus', files: { 'a.csv': csv(H, '', '', good, '', row({ BilledCost: 'x' })) },
    line: 6, match: /column BilledCost/ },
  { name: 'focus: a bad decimal after a quoted line break', kind: 'focus',
    files: { 'a.csv': csv(H, row({ Tags: '{"note":"a\nb\nc"}' }), good,
      row({ EffectiveCost: '1,5' })) }, line: 6, match: /column EffectiveCost/ },
  { name: 'focus: CRLF line ends', kind: 'focus', files: { 'a.csv': [H, good, row({ BilledCost: '?' })].join('\r\n') + '\r\n' }, line: 3,
    match: /column BilledCost/ },
  { name: 'focus: a bad date', kind: 'focus', files: { 'a.csv': csv(H, good, good, row({ ChargePeriodStart: 'yesterday' })) }, line: 4,
    match: /column ChargePeriodStart/ },
  { name: 'focus: a BOM, then a bad value', kind: 'focus', files: { 'a.csv': '\uFEFF' + csv(H, row({ BilledCost: 'n/a' })) }, line: 2,
    match: /column BilledCost/ },
  { name: 'focus: a required column missing', kind: 'focus', files: { 'a.csv': csv('BilledCost,ChargeCategory', '1,Usage') }, line: 1,
    match: /missing required FOCUS column/ },
  { name: 'focus: a column twice in the header', kind: 'focus', files: { 'a.csv': csv(`${H},BilledCost`, `${good},1`) }, line: 1,
    match: /column BilledCost appears twice/ },
  { name: 'focus: an empty header field', kind: 'focus', files: { 'a.csv': csv(`${H},`, `${good},`) }, line: 1,
    match: /header field \d+ is empty/ },
  { name: 'focus: an empty file', kind: 'focus', files: { 'a.csv': '' }, line: null, match: /the file is empty \(0 bytes\)/ },
  { name: 'focus: a header and no rows', kind: 'focus', files: { 'a.csv': csv(H) }, line: 2, match: /no data rows/ },
  { name: 'focus: a row with a field too many', kind: 'focus', files: { 'a.csv': csv(H, good, `${good},extra`) }, line: 3,
    match: /cannot read the file as CSV.*Expected Number of Columns/ },
  { name: 'focus: a ragged row after blank lines', kind: 'focus', files: { 'a.csv': csv(H, '', good, '', '', '1,2') }, line: 6,
    match: /Expected Number of Columns/ },
  { name: 'focus: a ragged row after a quoted line break', kind: 'focus', files: { 'a.csv': csv(H, row({ Tags: 'a\nb' }), '1,2') }, line: 4,
    match: /Expected Number of Columns/ },
  { name: 'focus: an unterminated quote', kind: 'focus', files: { 'a.csv': csv(H, good, '"1,1', good) }, line: 3,
    match: /cannot read the file as CSV/ },
  { name: 'focus: invalid UTF-8 in a row', kind: 'focus', files: { 'a.csv': Buffer.concat([Buffer.from(csv(H, good)),
    latin1(row({ ServiceName: 'Caf\xe9' }) + '\n')]) }, line: 3, match: /invalid UTF-8 \(byte 0xE9/ },
  { name: 'focus: UTF-16 with a BOM', kind: 'focus', files: { 'a.csv': utf16(csv(H, good)) }, line: null, match: /UTF-16 encoded/ },
  { name: 'focus: UTF-16 without a BOM', kind: 'focus', files: { 'a.csv': Buffer.from(csv(H, good), 'utf16le') }, line: null,
    match: /looks UTF-16 encoded/ },
  { name: 'focus: gzip of garbage', kind: 'focus', files: { 'a.csv.gz': gzipSync(Buffer.from([0, 1, 2, 255, 254, 10, 200, 13, 0, 7])) },
    line: 1, match: /decompressed content holds binary data/ },
  { name: 'focus: a truncated gzip', kind: 'focus', files: { 'a.csv.gz': () => gzipSync(csv(H, good, good)).subarray(0, 60) }, line: null,
    match: /gzip stream is corrupt or truncated/ },
  { name: 'focus: a .gz that is not gzip', kind: 'focus', files: { 'a.csv.gz': csv(H, good) }, line: null,
    match: /gzip stream is corrupt/ },
  { name: 'focus: gzip content without .gz', kind: 'focus', files: { 'a.csv': gzipSync(csv(H, good)) }, line: null,
    match: /gzip-compressed but its name does not end in \.gz/ },
  { name: 'focus: Parquet with a damaged footer', kind: 'focus', files: { 'a.parquet': () => parquet.footer }, line: null,
    match: /cannot read the file as Parquet/ },
  { name: 'focus: Parquet with damaged pages', kind: 'focus', files: { 'a.parquet': () => parquet.pages }, line: null,
    match: /cannot read the file as Parquet/ },
  { name: 'focus: Parquet cut in half', kind: 'focus', files: { 'a.parquet': () => parquet.cut }, line: null,
    match: /cannot read the file as Parquet/ },
  { name: 'focus: not Parquet at all', kind: 'focus', files: { 'a.parquet': csv(H, good) }, line: null,
    match: /cannot read the file as Parquet/ },
  { name: 'focus: a 5 MB field is not echoed back', kind: 'focus', files: { 'a.csv': csv(H, row({ BilledCost: HUGE })) }, line: 2,
    match: /Maximum line size/ },
  { name: 'focus: a symbolic link loop in a folder', kind: 'focus', files: { 'in/a.csv': csv(H, good) }, target: 'in', file: 'in/loop',
    links: { 'in/loop': 'in' }, line: null, match: /symbolic link loop/ },
  { name: 'focus: a broken symbolic link in a folder', kind: 'focus', files: { 'in/a.csv': csv(H, good) }, target: 'in', file: 'in/b.csv',
    links: { 'in/b.csv': 'nowhere.csv' }, line: null, match: /broken symbolic link/ },
  { name: 'focus: an export part linked from outside the export folder', kind: 'focus',
    files: { 'exp/manifest.json': JSON.stringify({ blobs: [{ blobName: 'exp/part_0_0001.csv', dataRowCount: 1 }] }),
      'elsewhere.csv': csv(H, good) },
    links: { 'exp/part_0_0001.csv': 'elsewhere.csv' }, target: 'exp', file: 'exp/part_0_0001.csv', line: null, match: /outside the export folder/ },
  { name: 'focus: a two-digit year', kind: 'focus', files: { 'a.csv': csv(H, row({ ChargePeriodStart: '4/1/25' })) }, line: 2,
    match: /ChargePeriodStart/ },
  // a block size that would not fit the meter's BIGINT block_size (fuzz #251: exit 4, NOT NULL constraint failed)
  { name: 'focus: a PricingUnit block of 10^23 tokens', kind: 'focus',
    files: { 'a.csv': csv(H, good, '', row({ PricingUnit: '99999999999999999999999 Tokens' })) }, line: 4,
    match: /column PricingUnit: expected a pricing block size of at most 1000000000000/ },
  { name: 'focus: a PricingUnit block of 10^23 tokens, bare CR line ends', kind: 'focus',
    files: { 'a.csv': [H, good, '', row({ PricingUnit: '99999999999999999999999 Tokens' }), ''].join('\r') }, line: 4,
    match: /column PricingUnit: expected a pricing block size/ },
  { name: 'focus: a pricing unit description of 10^14 M', kind: 'focus',
    files: { 'a.csv': csv(H, row({ x_PricingUnitDescription: '100000000000000M' })) }, line: 2,
    match: /column x_PricingUnitDescription: expected a pricing block size/ },
  { name: 'focus: an x_PricingBlockSize of 10^17', kind: 'focus',
    files: { 'a.csv': csv(H, good, row({ x_PricingBlockSize: '100000000000000000' })) }, line: 3,
    match: /column x_PricingBlockSize: expected a pricing block size/ },
  { name: 'focus: a ChargeCategory outside FOCUS', kind: 'focus', files: { 'a.csv': csv(H, row({ ChargeCategory: 'Bogus' })) }, line: 2,
    match: /ChargeCategory/ },

  // telemetry --------------------------------------------------------------------------------------------
  { name: 'usage log: a bad timestamp', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1), usage(2), usage(3,
    { timestamp: 'soon' })) }, line: 3,
    match: /timestamp "soon" is not an accepted date-time; expected a date-time in ISO 8601/ },
  { name: 'usage log: a bad record after blank lines', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1), '', '', usage(3,
    { model: null })) },
    line: 4, match: /no model or deployment/ },
  { name: 'usage log: a line that is not JSON', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1), '{"timestamp": "2026', usage(2)) },
    line: 2,
    match: /not valid JSON/ },
  { name: 'usage log: invalid UTF-8', kind: 'telemetry', files: { 'u.jsonl': Buffer.concat([Buffer.from(csv(usage(1))),
    latin1(csv(usage(2, { feature: 'caf\xe9' })))]) }, line: 2, match: /invalid UTF-8 \(byte 0xE9/ },
  { name: 'usage log: bare CR line ends', kind: 'telemetry', files: { 'u.jsonl': [usage(1), usage(2), ''].join('\r') }, line: 1,
    match: /bare carriage return/ },
  { name: 'usage log: a BOM in the middle (files joined)', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1), usage(2),
    '\uFEFF' + usage(3)) },
    line: 3, match: /byte order mark inside the file/ },
  { name: 'usage log: a BOM, then a bad record', kind: 'telemetry', files: { 'u.jsonl': '\uFEFF' + csv(usage(1), usage(2,
    { timestamp: 'x' })) },
    line: 2, match: /timestamp "x" is not an accepted date-time/ },
  { name: 'usage log: 12.5 tokens', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1), usage(12.5)) }, line: 2, match: /whole number/ },
  { name: 'usage log: 1e25 tokens', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1), usage(1).replace('"prompt_tokens":1',
    '"prompt_tokens":1e25')) },
    line: 2, match: /whole number/ },
  { name: 'usage log: a truncated .gz', kind: 'telemetry', files: { 'u.jsonl.gz': () => gzipSync(csv(usage(1), usage(2),
    usage(3))).subarray(0, 50) },
    line: null, match: /gzip stream is corrupt or truncated|cannot read/ },
  { name: 'usage log: gzip of garbage', kind: 'telemetry', files: { 'u.jsonl.gz': gzipSync(Buffer.from([0, 159, 146, 150, 0, 1])) },
    line: null,
    match: /binary data/ },
  { name: 'usage log: UTF-16', kind: 'telemetry', files: { 'u.jsonl': utf16(csv(usage(1))) }, line: null, match: /UTF-16 encoded/ },
  { name: 'usage log: an empty file', kind: 'telemetry', files: { 'u.jsonl': '' }, line: null, match: /empty/ },
  { name: 'usage log: a 5 MB value in a bad line is cut', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1), `{"timestamp": "${HUGE}`) },
    line: 2, match: /not valid JSON/ },
  { name: 'APIM metrics CSV: invalid UTF-8 in customDimensions', kind: 'telemetry',
    files: { 'customMetrics.csv': Buffer.concat([Buffer.from(metricsCsv(metric(0, '10'))), latin1(metric(1, '5',
      '"{""team"": ""caf\xe9""}"') + '\n')]) },
    line: 3, match: /invalid UTF-8/ },
  { name: 'APIM metrics CSV: a valueSum that is not a number', kind: 'telemetry',
    files: { 'customMetrics.csv': metricsCsv(metric(0, '10'), metric(1, 'lots')) }, line: 3, match: /not a number/ },
  { name: 'APIM metrics CSV: a bad timestamp after blank lines', kind: 'telemetry',
    files: { 'customMetrics.csv': metricsCsv('', metric(0, '10'), '', 'noon,Prompt Tokens,5,1,{}') }, line: 5, match: /not a date-time/ },
  { name: 'APIM metrics CSV: a missing column', kind: 'telemetry',
    files: { 'customMetrics.csv': csv('timestamp,name,valueSum,valueCount',
      '2026-10-01T10:00:00Z,Prompt Tokens,5,1') }, target: 'customMetrics.csv',
    line: 1, match: /missing column customdimensions or properties; expected an App Insights customMetrics/ },
  { name: 'APIM metrics CSV: a ragged row', kind: 'telemetry', files: { 'customMetrics.csv': metricsCsv(metric(0, '1'),
    '2026-10-01T10:01:00Z,x') },
    line: 3, match: /Expected Number of Columns/ },
  { name: 'APIM metrics CSV: UTF-16', kind: 'telemetry', files: { 'customMetrics.csv': utf16(metricsCsv(metric(0, '1'))) }, line: null,
    match: /UTF-16 encoded/ },
  { name: 'APIM metrics JSON: cut short', kind: 'telemetry',
    files: { 'customMetrics.json': '{"tables": [{"columns": [{"name": "timestamp"}, ' +
    '{"name": "name"}, {"name": "valueSum"}, {"name": "customDimensions"}], "rows": [["2026-10-01T10:00:00Z", "Prompt Tokens", 5, {}], [' },
  line: 1, match: /not valid JSON|cannot read the file as JSON/ },
  { name: 'APIM LLM log: a token count that is not a number', kind: 'telemetry',
    files: { 'logs/gateway.csv': gateway('c1', 'c2'), 'logs/llm.csv': llmCsv(llm('c1', '1'), llm('c2',
      'ten')) }, target: 'logs', file: 'logs/llm.csv',
    line: 3, match: /not a whole number \(CorrelationId c2\)/ },
  { name: 'APIM LLM log: a bad TimeGenerated after a quoted line break', kind: 'telemetry',
    files: { 'llm.csv': llmCsv('2026-10-01T10:00:00Z,"c\n1",chat,gpt-4o,1,3', llm('c2', '1',
      'later')) }, line: 4, match: /not a date-time/ },
  { name: 'OTLP spans: a span without a model', kind: 'telemetry', files: { 'traces.jsonl': csv(span(1), span(2, null)) }, line: 2,
    match: /model/ },
  { name: 'Azure Monitor: a bad timestamp', kind: 'telemetry', files: { 'monitor.json': monitor('soon') }, line: null, match: /./ },
  { name: 'mapped CSV: a bad count after a quoted line break', kind: 'telemetry', target: 'usage.csv',
    files: { 'usage.csv': csv('time_utc,model_name,tokens_in,tokens_out', '2026-10-01 08:00:00,"o\n3",1,1', '2026-10-01 08:00:00,o3,ten,1'),
      'tokenledger.yaml': 'telemetry:\n  csv:\n    timestamp: time_utc\n    model: model_name\n    prompt_tokens: tokens_in\n' +
        '    completion_tokens: tokens_out\n' }, line: 4, match: /whole number/ },
  // strict timestamps in every telemetry reader (common/timestamps.ts; --date-order / ingest.date_order)
  { name: 'usage log: a two-digit year', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1), usage(2, { timestamp: '4/1/25' })) },
    line: 2, match: /timestamp "4\/1\/25" is not an accepted date-time; expected a four-digit year/ },
  { name: 'usage log: a five-digit year', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1, { timestamp: '99999-01-01' })) }, line: 1,
    match: /timestamp "99999-01-01" is not an accepted date-time; expected a date-time in ISO 8601/ },
  { name: 'usage log: a year before 2000', kind: 'telemetry',
    files: { 'u.jsonl': csv(usage(1), usage(2, { timestamp: '1999-12-31T10:00:00Z' })) },
    line: 2, match: /expected a year from 2000 to 2100/ },
  { name: 'usage log: a +25:00 offset', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1, { timestamp: '2026-10-01T10:00:00+25:00' })) },
    line: 1, match: /offsets up to ±14:00/ },
  { name: 'usage log: day and month could be swapped', kind: 'telemetry', files: { 'u.jsonl': csv(usage(1, { timestamp: '10/05/2026' })) },
    line: 1, match: /day and month order is known .*--date-order mdy\|dmy/ },
  { name: 'usage log: epoch seconds outside the years', kind: 'telemetry',
    files: { 'u.jsonl': csv(usage(1), usage(2).replace('"timestamp":"2026-10-01T10:00:00Z"', '"created":99999999999')) }, line: 2,
    match: /created 99999999999 \(epoch seconds\) is not in the years 2000 to 2100/ },
  { name: 'APIM LLM log: a two-digit year', kind: 'telemetry', files: { 'llm.csv': llmCsv(llm('c1', '1'), llm('c2', '1', '4/1/25')) },
    line: 3, match: /TimeGenerated 4\/1\/25 is not a date-time \(CorrelationId c2\); expected a four-digit year/ },
  { name: 'APIM gateway log: a TimeGenerated that is not a date-time', kind: 'telemetry',
    files: { 'gateway.csv': csv('TimeGenerated,CorrelationId,ApiId,BackendId,ResponseCode', '2026-10-01T10:00:00Z,c1,openai,aoai,200',
      '12/31/24,c2,openai,aoai,200') }, line: 3, match: /TimeGenerated 12\/31\/24 is not a date-time; expected a four-digit year/ },
  { name: 'APIM metrics CSV: year 0004', kind: 'telemetry',
    files: { 'customMetrics.csv': metricsCsv('0004-04-01T10:00:00Z,Prompt Tokens,5,1,{}') }, line: 2, match: /a year from 2000 to 2100/ },
  { name: 'mapped CSV: a two-digit year', kind: 'telemetry', target: 'usage.csv',
    files: { 'usage.csv': csv('time_utc,model_name,tokens_in,tokens_out', '2026-10-01 08:00:00,o3,1,1', '12/31/24,o3,1,1'),
      'tokenledger.yaml': 'telemetry:\n  csv:\n    timestamp: time_utc\n    model: model_name\n    prompt_tokens: tokens_in\n' +
        '    completion_tokens: tokens_out\n' }, line: 3, match: /column time_utc: 12\/31\/24 is not a date-time; expected a four-digit year/ },
  { name: 'Azure Monitor: a two-digit year', kind: 'telemetry', files: { 'monitor.json': monitor('4/1/25') }, line: null,
    match: /metric processedprompttokens, deployment gpt-4o: timeStamp 4\/1\/25 is not a date-time; expected a four-digit year/ },
  { name: 'telemetry: a symbolic link loop in a folder', kind: 'telemetry', files: { 'in/u.jsonl': csv(usage(1)) }, target: 'in',
    file: 'in/loop',
    links: { 'in/loop': 'in' }, line: null, match: /symbolic link loop/ },

  // events -----------------------------------------------------------------------------------------------
  { name: 'events CSV: a bad count', kind: 'events', files: { 'e.csv': eventsCsv(ev('1'), ev('2'), ev('x')) }, line: 4, match: /count x/ },
  { name: 'events CSV: a bad count after blank lines', kind: 'events', files: { 'e.csv': eventsCsv('', '', ev('1'), '', ev('x')) }, line: 6,
    match: /count x/ },
  { name: 'events CSV: a bad count after a quoted line break', kind: 'events',
    files: { 'e.csv': eventsCsv('2026-10-01T10:00:00Z,ticket,"sup\nport",1', ev('-3')) }, line: 4, match: /count -3/ },
  { name: 'events CSV: a bad timestamp', kind: 'events', files: { 'e.csv': eventsCsv(ev('1'), ev('1', '31/31/2026')) }, line: 3,
    match: /not a date-time/ },
  { name: 'events CSV: no timestamp column', kind: 'events', files: { 'e.csv': csv('when,unit', 'x,ticket') }, line: 1,
    match: /no timestamp column/ },
  { name: 'events CSV: a ragged row', kind: 'events', files: { 'e.csv': eventsCsv(ev('1'), '2026-10-01T10:00:00Z,ticket') }, line: 3,
    match: /Expected Number of Columns/ },
  { name: 'events CSV: invalid UTF-8', kind: 'events', files: { 'e.csv': latin1(eventsCsv(ev('1'),
    '2026-10-01T10:00:00Z,ticket,caf\xe9,1')) },
    line: 3, match: /invalid UTF-8/ },
  { name: 'events CSV: UTF-16', kind: 'events', files: { 'e.csv': utf16(eventsCsv(ev('1'))) }, line: null, match: /UTF-16 encoded/ },
  { name: 'events CSV: a truncated .gz', kind: 'events', files: { 'e.csv.gz': () => gzipSync(eventsCsv(ev('1'), ev('2'))).subarray(0, 30) },
    line: null, match: /gzip stream is corrupt or truncated/ },
  { name: 'events JSONL: a line that is not JSON', kind: 'events', files: { 'e.jsonl': csv(evj(1), '{"timestamp": ') }, line: 2,
    match: /not valid JSON/ },
  { name: 'events JSONL: a BOM, then a bad count', kind: 'events', files: { 'e.jsonl': '\uFEFF' + csv(evj(1), evj(2.5)) }, line: 2,
    match: /count 2\.5/ },
  { name: 'events JSONL: count 1e25', kind: 'events', files: { 'e.jsonl': csv(evj(1), evj('1e25')) }, line: 2, match: /count 1e25/ },
  { name: 'events JSONL: a bad count after blank lines', kind: 'events', files: { 'e.jsonl': csv('', evj(1), '', evj(-1)) }, line: 4,
    match: /count -1/ },
  { name: 'events JSONL: invalid UTF-8', kind: 'events', files: { 'e.jsonl': latin1(csv(evj(1), evj(2, ',"feature":"caf\xe9"'))) }, line: 2,
    match: /invalid UTF-8/ },
  { name: 'events JSONL: bare CR line ends', kind: 'events', files: { 'e.jsonl': [evj(1), evj(2), ''].join('\r') }, line: 1,
    match: /bare carriage return/ },
  { name: 'events JSONL: no unit', kind: 'events', files: { 'e.jsonl': csv(evj(1), '{"timestamp":"2026-10-01T10:00:00Z"}') }, line: 2,
    match: /no unit/ },
  { name: 'events JSONL: an empty file says events, not FOCUS', kind: 'events', files: { 'e.jsonl': '' }, line: null,
    match: /empty \(0 bytes\); expected events/ },
  { name: 'events JSONL: gzip of garbage', kind: 'events', files: { 'e.jsonl.gz': gzipSync(Buffer.from([0, 255, 1, 10, 200])) }, line: 1,
    match: /binary data|invalid UTF-8/ },
  { name: 'events: an extension that is neither CSV nor JSONL', kind: 'events', files: { 'e.txt': 'x' }, line: null,
    match: /cannot tell the events format/ },
  { name: 'events: a symbolic link loop in a folder', kind: 'events', files: { 'in/e.csv': eventsCsv(ev('1')) }, target: 'in',
    file: 'in/loop',
    links: { 'in/loop': 'in' }, line: null, match: /symbolic link loop/ },
  // a bad record, then a last line cut short: the first read stops at the record, the numbered re-read at the cut
  // line (fuzz #1444, #1884: exit 4, DuckDB "Malformed JSON ... unexpected end of data")
  { name: 'events JSONL: a bad timestamp, then a truncated last line', kind: 'events',
    files: { 'e.jsonl': csv(evj(1), evj(2).replace('10:00:00Z', '10:00:0x10Z')) + evj(3).slice(0, 50) }, line: 3,
    match: /not valid JSON.*expected one JSON object per line/ },
  { name: 'events JSONL.gz: a bad timestamp, then a truncated last line', kind: 'events',
    files: { 'e.jsonl.gz': () => gzipSync(csv(evj(1), evj(2).replace('10:00:00Z', '10:00:0x10Z')) + evj(3).slice(0, 50)) }, line: 3,
    match: /not valid JSON.*expected one JSON object per line/ },
  { name: 'events JSONL: a count of 2.0000004', kind: 'events', files: { 'e.jsonl': csv(evj('2.0000004')) }, line: 1,
    match: /count 2\.0000004/ },
];

/** A store per ingest, with one good file in it: what every refusal must leave exactly as it is. */
const GOOD: Record<Kind, Record<string, string>> = {
  focus: { 'good.csv': focusCsv([{}, tokenRow('gpt-4o-0806-Inp-glbl 1M Tokens', 1_000_000, '2.5')]) },
  telemetry: { 'good.jsonl': csv(usage(100), usage(200)) },
  events: { 'good.csv': eventsCsv(ev('5'), ev('6')) },
};

async function cli(argv: string[], cwd: string) {
  const fx = memoryEffects({ cwd, env: { TZ: 'UTC' } });
  const code = await run(argv, fx);
  return { code, err: fx.err.join('') };
}

async function fingerprintOf(path: string) {
  const store = await Store.open(path, { readOnly: true });
  try {
    return await storeFingerprint(store);
  } finally {
    store.close();
  }
}

function writeCase(dir: string, c: BadCase): void {
  for (const [rel, content] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), typeof content === 'function' ? content() : content);
  }
  for (const [link, to] of Object.entries(c.links ?? {})) symlinkSync(to.startsWith('/') ? to : join(dir, to), join(dir, link));
}

describe('bad-input corpus: refused with exit 2, file and line, the store unchanged', () => {
  const stores = {} as Record<Kind, string>;
  beforeAll(async () => {
    const root = tempDir('tl-bad-');
    for (const kind of ['focus', 'telemetry', 'events'] as const) {
      const dir = join(root, kind);
      mkdirSync(dir);
      stores[kind] = join(dir, 'ledger.duckdb');
      const [[name, content]] = Object.entries(GOOD[kind]) as [[string, string]];
      writeFileSync(join(dir, name), content);
      const r = await cli(['--store', stores[kind], 'ingest', kind, join(dir, name), '--quiet'], dir);
      expect(r, `seeding the ${kind} store`).toMatchObject({ code: 0 });
    }
    await makeParquet(root);
  });

  it('has at least 60 named cases across the three ingests', () => {
    expect(CASES.filter((c) => !c.todo).length).toBeGreaterThanOrEqual(60);
    for (const kind of ['focus', 'telemetry', 'events']) expect(CASES.filter((c) => c.kind === kind).length).toBeGreaterThanOrEqual(15);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    (c.todo ? it.todo : it)(c.todo ? `${c.name} [todo: ${c.todo}]` : c.name, async () => {
      const dir = tempDir('tl-case-');
      writeCase(dir, c);
      const target = join(dir, c.target ?? Object.keys(c.files)[0]!);
      const file = join(dir, c.file ?? c.target ?? Object.keys(c.files)[0]!);
      const before = await fingerprintOf(stores[c.kind]);
      const r = await cli(['--store', stores[c.kind], 'ingest', c.kind, target, '--quiet'], dir);
      expect(r.code, r.err).toBe(2);
      const message = r.err.split('\n')[0]!;
      expect(message.startsWith(`error: ${file}${c.line === null ? '' : `, line ${c.line}`}`), message).toBe(true);
      if (c.line === null) expect(message.slice(`error: ${file}`.length), 'no line is claimed').not.toMatch(/^, line/);
      expect(message).toMatch(c.match);
      // no echo of a huge value, no SQL text
      expect(r.err.length).toBeLessThan(2000);
      expect(r.err).not.toMatch(/LINE \d+:|SELECT |read_csv\(|read_json/);
      expect(await fingerprintOf(stores[c.kind])).toEqual(before);
    });
  }
});

/** A good Parquet file and three damaged copies: the footer's metadata overwritten, the pages, the second half cut. */
async function makeParquet(dir: string): Promise<void> {
  const src = join(dir, 'p.csv');
  const out = join(dir, 'p.parquet');
  writeFileSync(src, csv(H, good, row({ BilledCost: '2' }), row({ BilledCost: '3' })));
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.run('COPY (SELECT * FROM read_csv($src, all_varchar = true)) TO $out (FORMAT parquet)', { src, out });
  conn.closeSync();
  inst.closeSync();
  const bytes = readFileSync(out);
  const footer = bytes.readUInt32LE(bytes.length - 8);
  parquet.good = bytes;
  parquet.footer = Buffer.from(bytes).fill(0xab, bytes.length - 8 - footer + 5, bytes.length - 8 - footer + 40);
  parquet.pages = Buffer.from(bytes).fill(0x11, 4, 60);
  parquet.cut = bytes.subarray(0, bytes.length >> 1);
}
