/**
 * The demo's token telemetry: OpenAI-style JSONL usage records that add up to the tokens its invoice
 * bills, per day, resource and model, split over the product features that use each resource. With the
 * gaps real telemetry has: a day of missing logs for one resource, a feature without a team, and the
 * untagged dev resource whose usage only telemetry can attribute.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { monthRows, type DemoPlan } from './generate.js';
import { RESOURCES, type Meter, type Resource } from './catalog.js';
import { Rng } from './rng.js';

/** The resource and day on which the demo's telemetry is missing (last month, the 12th). */
export const MISSING_TELEMETRY = { resource: 'aoai-support-prod', day: 12 };

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
    const g = groups.get(key) ?? { resource: hit.resource, resourceId: row.ResourceId!, day, model: hit.meter.model!, input: 0, cached: 0, output: 0 };
    if (hit.meter.tokenType === 'input') g.input += tokens;
    else if (hit.meter.tokenType === 'cached_input') g.cached += tokens;
    else g.output += tokens;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Write one usage-log file per month under <out>/telemetry; returns the files written. */
export async function writeDemoTelemetry(outDir: string, plan: DemoPlan): Promise<string[]> {
  const dir = join(outDir, 'telemetry');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [i, month] of plan.months.entries()) {
    const rng = new Rng(plan.seed * 31337 + i);
    const path = join(dir, `usage-${month}.jsonl`);
    const out = createWriteStream(path);
    const last = i === plan.months.length - 1;
    for (const g of groupsOf(plan, i)) {
      if (last && g.resourceId.endsWith(`/${MISSING_TELEMETRY.resource}`) && Number(g.day.slice(8)) === MISSING_TELEMETRY.day) continue;
      const features = g.resource.features ?? [];
      const shares = features.map((f) => f.share);
      const [inputs, cacheds, outputs] = [g.input, g.cached, g.output].map((t) => splitExact(t, shares));
      for (const [fi, f] of features.entries()) {
        const n = rng.int(3, 8);
        const weights = Array.from({ length: n }, () => rng.int(1, 100));
        const [ui, ci, oi] = [inputs![fi]!, cacheds![fi]!, outputs![fi]!].map((t) => splitExact(t, weights));
        for (let k = 0; k < n; k++) {
          const second = Math.floor(((k + 0.5) / n) * 86_400);
          const ts = new Date(Date.parse(`${g.day}T00:00:00Z`) + second * 1000).toISOString();
          const record = {
            timestamp: ts,
            model: MODEL_NAMES[g.model] ?? g.model,
            resource_id: g.resourceId,
            request_id: `req-${g.day}-${rng.guid().slice(0, 8)}`,
            metadata: { feature: f.feature, ...(f.team ? { team: f.team } : {}), environment: f.environment },
            usage: {
              prompt_tokens: ui![k]! + ci![k]!,
              completion_tokens: oi![k]!,
              prompt_tokens_details: { cached_tokens: ci![k]! },
            },
          };
          if (!out.write(JSON.stringify(record) + '\n')) await once(out, 'drain');
        }
      }
    }
    out.end();
    await once(out, 'close');
    files.push(path);
  }
  return files;
}
