/**
 * The demo's token telemetry, in the formats real teams have: OpenAI-style JSONL usage logs, APIM token
 * metrics (customMetrics export), OTLP GenAI spans, and APIM LLM + gateway logs, one source per Azure
 * OpenAI account. They add up to the tokens the invoice bills per day, resource and model, split over the
 * features that use each resource. With the gaps real telemetry has: a day of missing logs for one
 * resource, a feature without a team, and gateway logs that say which subscription called but not which
 * feature (the untagged dev account).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths, monthRows, type DemoPlan } from './generate.js';
import { RESOURCES, type Meter, type Resource } from './catalog.js';
import { Rng } from './rng.js';
import { copiesOf, featureFactor, incidentRng, resourceOfRow } from './incidents.js';

/** The resource and day on which the demo's telemetry is missing (last month, the 12th). */
export const MISSING_TELEMETRY = { resource: 'aoai-support-prod', day: 12 };

/** Features that run as a nightly job: their requests fall in this window of UTC hours (report savings finds them). */
export const NIGHTLY: Record<string, [number, number]> = { 'lead-scoring': [1, 4] };

const MODEL_NAMES: Record<string, string> = { 'gpt-4o': 'gpt-4o-2024-11-20', 'gpt-4o-mini': 'gpt-4o-mini-2024-07-18' };

interface Group { resource: Resource; resourceId: string; day: string; model: string; input: number; cached: number; output: number }

function meterIndex(): Map<string, { resource: Resource; meter: Meter }> {
  const m = new Map<string, { resource: Resource; meter: Meter }>();
  for (const r of RESOURCES) for (const meter of r.meters) if (meter.model) m.set(meter.name, { resource: r, meter });
  return m;
}

/** Split `total` into parts proportional to `weights`, exactly (the last part takes the remainder). */
export function splitExact(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  parts[parts.length - 1]! += total - parts.reduce((a, p) => a + p, 0);
  return parts;
}

function groupsOf(plan: DemoPlan, monthIndex: number): Group[] {
  const meters = meterIndex();
  const groups = new Map<string, Group>();
  for (const row of monthRows(plan, monthIndex)) {
    if (row.ChargeCategory !== 'Usage' || row.ChargeClass === 'Correction' || !row.x_SkuMeterName) continue;
    const hit = meters.get(row.x_SkuMeterName);
    if (!hit || !hit.meter.tokenType) continue;
    const tokens = Math.round(Number(row.PricingQuantity) * hit.meter.block);
    const day = row.ChargePeriodStart!.slice(0, 10);
    const key = `${row.ResourceId}|${day}|${hit.meter.model}`;
    const g = groups.get(key) ??
      { resource: resourceOfRow(row.ResourceId!) ?? hit.resource, resourceId: row.ResourceId!, day, model: hit.meter.model!, input: 0,
        cached: 0, output: 0 };
    if (hit.meter.tokenType === 'input') g.input += tokens;
    else if (hit.meter.tokenType === 'cached_input') g.cached += tokens;
    else g.output += tokens;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Which telemetry each resource's traffic is recorded in: every team instruments differently. */
export const TELEMETRY_SOURCE: Record<string, 'jsonl' | 'apim-metrics' | 'otlp' | 'apim-logs'> = {
  'aoai-support-prod': 'jsonl',
  'aoai-docs-prod': 'apim-metrics',
  'aoai-sales-prod': 'otlp',
  'aoai-dev': 'apim-logs',
};

/** The demo's own telemetry mapping: APIM backends stand for Azure OpenAI accounts. */
export function demoMapping(resourceIds: Iterable<string>): { resources: { match: { backend_id: string }; resource_id: string }[] } {
  return { resources: [...new Set(resourceIds)].map((id) => ({ match: { backend_id: id.split('/').pop()! }, resource_id: id })) };
}

interface Request { ts: string; model: string; resourceId: string; feature: string | undefined; team: string | undefined;
  environment: string; prompt: number; cached: number; completion: number; id: string }

const csvField = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const attr = (key: string, v: string | number) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });

class Writers {
  jsonl: string[] = [];
  metrics: string[] = ['timestamp,name,value,valueCount,valueSum,valueMin,valueMax,customDimensions'];
  otlp: string[] = [];
  llm: string[] = [
    'TimeGenerated,CorrelationId,DeploymentName,ModelName,PromptTokens,CompletionTokens,TotalTokens,IsStreamCompletion,SequenceNumber'];
  gateway: string[] = ['TimeGenerated,CorrelationId,ApimSubscriptionId,ApiId,OperationId,BackendId,Cache,ResponseCode'];

  add(kind: (typeof TELEMETRY_SOURCE)[string], reqs: Request[]): void {
    if (!reqs.length) return;
    const r0 = reqs[0]!;
    const model = MODEL_NAMES[r0.model] ?? r0.model;
    const backend = r0.resourceId.split('/').pop()!;
    switch (kind) {
      case 'jsonl':
        for (const r of reqs) {
          this.jsonl.push(JSON.stringify({
            timestamp: r.ts, model, resource_id: r.resourceId, request_id: r.id,
            metadata: { ...(r.feature ? { feature: r.feature } : {}), ...(r.team ? { team: r.team } : {}), environment: r.environment },
            usage: { prompt_tokens: r.prompt, completion_tokens: r.completion, prompt_tokens_details: { cached_tokens: r.cached } },
          }));
        }
        return;
      case 'apim-metrics': {
        // one pre-aggregated row per metric for the feature's day (APIM emits per minute; a day keeps the demo small)
        const sum = (f: (r: Request) => number) => reqs.reduce((a, r) => a + f(r), 0);
        const dims = JSON.stringify({ 'API ID': 'azure-openai', 'Operation ID': 'chat-completions', 'Subscription ID': `sub-${r0.feature}`,
          'Backend ID': backend, Deployment: r0.model, feature: r0.feature, ...(r0.team ? { team: r0.team } : {}),
          environment: r0.environment });
        const ts = `${r0.ts.slice(0, 10)}T00:00:00Z`;
        for (const [name, v] of [['Prompt Tokens', sum((r) => r.prompt)], ['Completion Tokens', sum((r) => r.completion)],
          ['Total Tokens', sum((r) => r.prompt + r.completion)]] as const) {
          this.metrics.push([ts, name, v, reqs.length, v, 0, v, dims].map(csvField).join(','));
        }
        return;
      }
      case 'otlp':
        this.otlp.push(JSON.stringify({
          resourceSpans: [{
            resource: { attributes: [attr('service.name', `${r0.feature}-api`), attr('deployment.environment.name', r0.environment),
              attr('azure.resource.id', r0.resourceId)] },
            scopeSpans: [{
              scope: { name: 'opentelemetry.instrumentation.openai_v2' },
              spans: reqs.map((r) => ({
                traceId: r.id.replace(/-/g, '').padEnd(32, '0').slice(0, 32), spanId: r.id.replace(/-/g, '').slice(0, 16),
                name: `chat ${r.model}`, kind: 3,
                startTimeUnixNano: `${Date.parse(r.ts)}000000`, endTimeUnixNano: `${Date.parse(r.ts) + 1500}000000`,
                attributes: [
                  attr('gen_ai.operation.name', 'chat'), attr('gen_ai.provider.name', 'azure.ai.openai'),
                  attr('gen_ai.request.model', r.model),
                  attr('gen_ai.response.model', model), attr('gen_ai.usage.input_tokens', r.prompt),
                  attr('gen_ai.usage.output_tokens', r.completion),
                  attr('gen_ai.usage.cache_read.input_tokens', r.cached), ...(r.feature ? [attr('feature', r.feature)] : []),
                  ...(r.team ? [attr('team', r.team)] : []),
                ],
                status: { code: 1 },
              })),
            }],
          }],
        }));
        return;
      case 'apim-logs':
        for (const r of reqs) {
          this.llm.push([r.ts, r.id, r.model, model, r.prompt, r.completion, r.prompt + r.completion, 'false', 0].map(csvField).join(','));
          this.gateway.push(
            [r.ts, r.id, `sub-${r.environment}-${r.team ?? 'none'}`, 'azure-openai', 'chat-completions', backend, 'none', 200].map(csvField)
            .join(','));
        }
        return;
    }
  }
}

const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Write the month files of every telemetry source under <out>/telemetry; returns the files written. With
 * `unbilledDays`, telemetry runs that many days past the last billed day (exports lag telemetry): the last
 * days' traffic again, each moved that many days later, in the next month's files.
 */
export async function writeDemoTelemetry(outDir: string, plan: DemoPlan, o: { unbilledDays?: number } = {}): Promise<string[]> {
  const dir = join(outDir, 'telemetry');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [i, month] of plan.months.entries()) {
    const rng = new Rng(plan.seed * 31337 + i);
    const irng = incidentRng(plan.seed, i);
    const w = new Writers();
    const late = new Writers();
    const last = i === plan.months.length - 1;
    const groups = groupsOf(plan, i);
    const lastDay = groups.reduce((a, g) => (g.day > a ? g.day : a), '');
    const unbilled = last ? o.unbilledDays ?? 0 : 0;
    const shifted = groups.filter((g) => plusDays(g.day, unbilled) > lastDay).map((g) => ({ ...g, day: plusDays(g.day, unbilled) }));
    for (const [g, out] of [...groups.map((g) => [g, w] as const), ...(unbilled ? shifted.map((g) => [g, late] as const) : [])]) {
      const incidents = last && plan.incidents !== false && out === w;
      if (last && g.resourceId.endsWith(`/${MISSING_TELEMETRY.resource}`) && Number(g.day.slice(8)) === MISSING_TELEMETRY.day) continue;
      const features = g.resource.features ?? [];
      const d = Number(g.day.slice(8));
      // the last month's incidents (incidents.ts): a feature's share of each token type as it used them
      const shares = (type: string) => features.map((f) => f.share
        * (incidents ? featureFactor(g.resource.name, f.feature, g.model, type, d) : 1));
      const [inputs, cacheds, outputs] = ([[g.input, 'input'], [g.cached, 'cached_input'], [g.output, 'output']] as const)
        .map(([t, type]) => splitExact(t, shares(type)));
      for (const [fi, f] of features.entries()) {
        const n = rng.int(3, 8);
        const weights = Array.from({ length: n }, () => rng.int(1, 100));
        // a retry storm sends each request `copies` times: the originals carry the remainder
        const copies = incidents ? copiesOf(g.resource.name, f.feature, d) : 1;
        const totals = [inputs![fi]!, cacheds![fi]!, outputs![fi]!];
        const retried = totals.map((t) => Math.floor(t / copies));
        const [ui, ci, oi] = totals.map((t, j) => t - (copies - 1) * retried[j]!).map((t) => splitExact(t, weights));
        const [h0, h1] = NIGHTLY[f.feature] ?? [0, 24];
        const start = Date.parse(`${g.day}T00:00:00Z`) + h0 * 3_600_000;
        const reqs: Request[] = Array.from({ length: n }, (_, k) => ({
          ts: new Date(start + Math.floor(((k + 0.5) / n) * ((h1 - h0) * 3600)) * 1000).toISOString(),
          model: g.model, resourceId: g.resourceId, feature: f.feature, team: f.team, environment: f.environment,
          prompt: ui![k]! + ci![k]!, cached: ci![k]!, completion: oi![k]!, id: rng.guid(),
        }));
        out.add(TELEMETRY_SOURCE[g.resource.name] ?? 'jsonl', reqs);
        if (copies > 1) {
          const [ri, rc, ro] = retried.map((t) => splitExact(t, weights));
          for (let c = 1; c < copies; c++) {
            out.add(TELEMETRY_SOURCE[g.resource.name] ?? 'jsonl', reqs.map((q, k) => ({ ...q,
              ts: new Date(Date.parse(q.ts) + c * 7000).toISOString(), prompt: ri![k]! + rc![k]!, cached: rc![k]!, completion: ro![k]!,
              id: irng.guid() })));
          }
        }
      }
    }
    const write = (name: string, lines: string[], min: number) => {
      if (lines.length <= min) return;
      const path = join(dir, name);
      writeFileSync(path, lines.join('\n') + '\n');
      files.push(path);
    };
    for (const [m, x] of [[month, w], [addMonths(month, 1), late]] as const) {
      write(`usage-${m}.jsonl`, x.jsonl, 0);
      write(`apim-customMetrics-${m}.csv`, x.metrics, 1);
      write(`otlp-traces-${m}.jsonl`, x.otlp, 0);
      write(`apim-llm-log-${m}.csv`, x.llm, 1);
      write(`apim-gateway-log-${m}.csv`, x.gateway, 1);
    }
  }
  return files;
}
