/**
 * Which telemetry format a file holds, from its first record. Formats tokenledger recognizes but does not
 * read yet are named in the error, so a user knows the file was understood and what to use instead.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError, UsageError } from '../../domain/errors.js';
import { encodingProblem, headBytes } from '../common/encoding.js';

export const TELEMETRY_FORMATS = ['openai-jsonl', 'otlp-spans', 'otlp-metrics', 'apim-metrics', 'azure-monitor', 'apim-llm-log',
  'apim-gateway-log', 'csv', 'openai-usage-api'] as const;

/** A usage object of any shape openai-jsonl reads (usage-shapes.ts): OpenAI, Anthropic, Bedrock "usage", Gemini
 * "usageMetadata", a Bedrock model invocation log's "inputTokenCount". */
const USAGE_KEY = /"(usage|usageMetadata|inputTokenCount)"\s*:/;
/** Lines of the head looked at for a usage object: a log may start with records without one (errors, chunks). */
const HEAD_LINES = 200;
export type TelemetryFormat = (typeof TELEMETRY_FORMATS)[number];

const RECOGNIZED_NOT_YET: [RegExp, string][] = [
];

async function head(path: string, bytes = 64 * 1024): Promise<string> {
  const input = createReadStream(path, { end: path.endsWith('.gz') ? undefined : bytes - 1 });
  const stream = path.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  let text = '';
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length >= bytes) break;
    }
  } catch (e) {
    throw new InputError({ file: path }, `cannot read the file (${(e as Error).message})`);
  } finally {
    input.destroy();
  }
  return text;
}

export function parseFormat(v: string): TelemetryFormat | 'auto' {
  if (v === 'auto' || (TELEMETRY_FORMATS as readonly string[]).includes(v)) return v as TelemetryFormat | 'auto';
  throw new UsageError(`--format ${v}: expected auto or one of ${TELEMETRY_FORMATS.join(', ')}`);
}

export async function detectTelemetryFormat(path: string, csvTimestampColumn?: string): Promise<TelemetryFormat> {
  // UTF-16, binary or misnamed gzip content is said as such, not as "not a telemetry format"
  const encoding = encodingProblem(headBytes(path), path);
  if (encoding) throw new InputError({ file: path }, encoding.problem, { hint: encoding.hint });
  const text = await head(path);
  if (text.trim() === '') throw new InputError({ file: path }, 'the file is empty; expected telemetry records');
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (/"resourceSpans"/.test(text.slice(0, 4096))) return 'otlp-spans';
  if (/"resourceMetrics"/.test(text.slice(0, 4096))) return 'otlp-metrics';
  if (/"timeseries"\s*:/.test(text) && /"(ProcessedPromptTokens|GeneratedTokens|TokenTransaction|AzureOpenAIRequests)"/i.test(text))
    return 'azure-monitor';
  const header = first.replace(/^\uFEFF/, '').toLowerCase();
  const head4k = text.slice(0, 8192);
  const hasCols = (...names: string[]) => names.every((n) => header.includes(n.toLowerCase()) || head4k.includes(`"${n}"`));
  if (hasCols('CorrelationId', 'PromptTokens')) return 'apim-llm-log';
  if (hasCols('CorrelationId', 'BackendId') || hasCols('CorrelationId', 'ResponseCode', 'ApiId')) return 'apim-gateway-log';
  const isMetricsHeader = /\bname\b/.test(header) && /\b(valuesum|sum)\b/.test(header) && /(timestamp|timegenerated)/.test(header);
  if (isMetricsHeader && !/prompttokens/.test(header)) return 'apim-metrics';
  if (/"tables"\s*:/.test(text.slice(0, 4096)) && /"(valueSum|Sum)"/.test(text) && !/"PromptTokens"/.test(text)) return 'apim-metrics';
  for (const [re, name] of RECOGNIZED_NOT_YET) {
    if (re.test(first) || re.test(text.slice(0, 4096))) {
      throw new InputError({ file: path, line: 1 }, `this looks like ${name}, which this version of tokenledger does not read yet`, {
        hint: 'Supported now: JSONL usage logs of OpenAI, Anthropic, Gemini and Bedrock (openai-jsonl), the OpenAI Usage API ' +
          '(openai-usage-api), OTLP/JSON GenAI spans and token-usage metrics (otlp-spans, ' +
          'otlp-metrics), APIM token metrics from customMetrics / AppMetrics (apim-metrics), Azure Monitor metrics JSON (azure-monitor), ' +
          'APIM LLM and gateway logs (apim-llm-log, apim-gateway-log), any CSV with a telemetry.csv mapping in tokenledger.yaml (csv).',
      });
    }
  }
  if (/"object"\s*:\s*"page"/.test(text.slice(0, 4096)) && /"organization\.usage\.[a-z_.]+"|"object"\s*:\s*"bucket"/.test(text))
    return 'openai-usage-api';
  // whole lines of the head (the last one may be cut off)
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).slice(0, HEAD_LINES).filter((l) => l.trim() !== '');
  if (/^\s*\{/.test(first) && lines.some((l) => USAGE_KEY.test(l))) return 'openai-jsonl';
  if (csvTimestampColumn && header.split(',').map((h) => h.replace(/"/g, '').trim()).includes(csvTimestampColumn.toLowerCase()))
    return 'csv';
  throw new InputError({ file: path, line: 1 },
    'not a telemetry format tokenledger recognizes; expected one JSON object per line with a "usage" (or "usageMetadata") object', {
    hint: 'Use --telemetry-format to say which format the file is.',
  });
}
