/**
 * Converts the real Azure LLM inference traces (Azure/AzurePublicDataset: TIMESTAMP, ContextTokens,
 * GeneratedTokens per request, one hour of 2023-11-16) into an OpenAI-style JSONL telemetry fixture:
 * one usage record per request, the conversation and code traces as two features.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ext } from './paths.js';

export interface TraceRequest { ts: string; context: number; generated: number }

export function readTrace(kind: 'conv' | 'code'): TraceRequest[] {
  const lines = readFileSync(ext('azure-llm-traces', `AzureLLMInferenceTrace_${kind}.csv`), 'utf8').split(/\r?\n/).filter((l) => l.trim());
  if (lines[0] !== 'TIMESTAMP,ContextTokens,GeneratedTokens') throw new Error(`unexpected trace header: ${lines[0]}`);
  return lines.slice(1).map((l) => {
    const [ts, context, generated] = l.split(',');
    return { ts: ts!, context: Number(context), generated: Number(generated) };
  });
}

/** "2023-11-16 18:15:46.6805900" -> "2023-11-16T18:15:46.680Z" */
function iso(ts: string): string {
  const [date, time] = ts.split(' ');
  const [hms, frac = '0'] = time!.split('.');
  return `${date}T${hms}.${frac.padEnd(3, '0').slice(0, 3)}Z`;
}

export function writeTraceFixture(dir: string): string {
  const path = join(dir, 'azure-llm-traces.jsonl');
  const out: string[] = [];
  for (const [kind, feature] of [['conv', 'conversation'], ['code', 'code-completion']] as const) {
    for (const r of readTrace(kind)) {
      out.push(JSON.stringify({ timestamp: iso(r.ts), model: 'gpt-4', feature,
        usage: { prompt_tokens: r.context, completion_tokens: r.generated } }));
    }
  }
  writeFileSync(path, out.join('\n') + '\n');
  return path;
}
