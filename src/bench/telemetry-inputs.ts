/**
 * Inputs of the telemetry benchmarks, deterministic: OpenAI-style JSONL usage records and OTLP/JSON
 * GenAI span documents (1,000 spans per line, as the file exporter batches them).
 */
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';

const FEATURES = ['support-copilot', 'doc-intake', 'agent-assist', 'lead-scoring', 'search', 'summarize', 'triage', 'translate'];

async function writeLines(path: string, n: number, perLine: (i: number) => string, batch = 10_000): Promise<void> {
  if (existsSync(path)) return;
  const out = createWriteStream(`${path}.tmp`);
  for (let i = 0; i < n; i += batch) {
    const lines: string[] = [];
    for (let k = i; k < Math.min(n, i + batch); k++) lines.push(perLine(k));
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  const { renameSync } = await import('node:fs');
  renameSync(`${path}.tmp`, path);
}

const ts = (i: number) => new Date(Date.UTC(2026, 9, 1) + (i % 2_678_400) * 1000).toISOString();

export async function writeUsageJsonl(path: string, records: number): Promise<void> {
  await writeLines(path, records, (i) => {
    const prompt = 500 + ((i * 7919) % 4000);
    return JSON.stringify({
      timestamp: ts(i), model: i % 2 ? 'gpt-4o-2024-11-20' : 'gpt-4o-mini', request_id: `req-${i}`,
      resource_id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-${i % 4}`,
      metadata: { feature: FEATURES[i % FEATURES.length], team: `team-${i % 3}`, environment: 'prod' },
      usage: { prompt_tokens: prompt, completion_tokens: 50 + ((i * 104_729) % 800),
        prompt_tokens_details: { cached_tokens: i % 3 ? 0 : Math.floor(prompt / 2) } },
    });
  });
}

export async function writeOtlpSpans(path: string, spans: number, perDoc = 1000): Promise<void> {
  const attr = (key: string, v: string | number) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });
  await writeLines(path, Math.ceil(spans / perDoc), (d) => JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [attr('service.name', 'bench-api'), attr('deployment.environment.name', 'prod')] },
      scopeSpans: [{
        scope: { name: 'openai' },
        spans: Array.from({ length: Math.min(perDoc, spans - d * perDoc) }, (_, k) => {
          const i = d * perDoc + k;
          const start = BigInt(Date.UTC(2026, 9, 1) + (i % 2_678_400) * 1000) * 1_000_000n;
          return {
            traceId: i.toString(16).padStart(32, '0'), spanId: i.toString(16).padStart(16, '0'), name: 'chat', kind: 3,
            startTimeUnixNano: start.toString(), endTimeUnixNano: (start + 900_000_000n).toString(),
            attributes: [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.request.model', 'gpt-4o'),
              attr('gen_ai.usage.input_tokens', 500 + (i % 3000)),
              attr('gen_ai.usage.output_tokens', 40 + (i % 700)), attr('gen_ai.usage.cache_read.input_tokens', i % 2 ? 0 : 200),
              attr('feature', FEATURES[i % FEATURES.length]!)],
            status: { code: 1 },
          };
        }),
      }],
    }],
  }), 10);
}

/** The 20 features of the economics benchmark and the unit type each produces (5 unit types x 4 features). */
export const BENCH_UNITS = ['ticket', 'document', 'lead', 'call', 'claim'];
export const benchFeature = (k: number) => `feature-${k}`;

/** Business events over the months given (YYYY-MM), one unit each, spread over 20 features. */
export async function writeEventsJsonl(path: string, records: number, months: string[]): Promise<void> {
  const start = Date.parse(`${months[0]}-01T00:00:00Z`);
  const [y, m] = months[months.length - 1]!.split('-').map(Number) as [number, number];
  const end = Date.UTC(y, m, 1); // the first day after the last month
  const span = Math.floor((end - start) / 1000);
  const outcomes = ['success', 'success', 'success', 'failure', 'abandoned'];
  await writeLines(path, records, (i) => {
    const k = (i * 7) % 20;
    const ts = new Date(start + ((i * 7_919) % span) * 1000);
    return JSON.stringify({ timestamp: ts.toISOString(), unit: BENCH_UNITS[k % 5], feature: benchFeature(k), outcome: outcomes[i % 5] });
  });
}
