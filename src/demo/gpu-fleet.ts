/**
 * The demo company's three GPU VMs as their metrics see them, consistent with the billing rows of
 * catalog.ts (each billed 24 h a day):
 *   vm-gpu-train01  eastus2, 1 x A100 (in the capacity reservation): a fine-tuning job all month, 78-96 % busy
 *   vm-gpu-infer01  westus3, 1 x T4: a vLLM pod serving a self-hosted Llama to agent-assist; busy on weekday
 *                   afternoons (UTC 13-20), the pod holding the GPU at 0.5-3 % the rest of the time (held idle)
 *   vm-gpu-dev01    westus3, 1 x T4: nothing scheduled (unallocated)
 * DCGM samples of the last month (a Prometheus query_range answer per hour, and the last scrape as text), and
 * the self-hosted model's usage log for every month (OpenAI-style JSONL: vLLM answers in OpenAI's shape; each
 * record names the VM as its resource, which is how report gpu finds the pool that served the tokens).
 * Random numbers come from streams of their own, so the rest of the demo stays as it was.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths } from '../domain/month.js';
import { RESOURCES } from './catalog.js';
import { resourceIdOf } from './generate.js';
import { Rng } from './rng.js';

const dec = (n: number, places: number) => {
  const s = String(n).padStart(places + 1, '0');
  return `${s.slice(0, -places)}.${s.slice(-places)}`;
};

export const SELF_HOSTED_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const INFER = { Hostname: 'vm-gpu-infer01', gpu: '0', UUID: 'GPU-8c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f', device: 'nvidia0',
  modelName: 'Tesla T4' };
const HOSTS = {
  train: { Hostname: 'vm-gpu-train01', gpu: '0', UUID: 'GPU-5b1e0c2a-7d41-4f8e-9a3c-1e2f3a4b5c6d', device: 'nvidia0',
    modelName: 'NVIDIA A100 80GB PCIe' },
  infer: INFER,
  dev: { Hostname: 'vm-gpu-dev01', gpu: '0', UUID: 'GPU-3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7', device: 'nvidia0', modelName: 'Tesla T4' },
};
const PODS = {
  train: { container: 'trainer', namespace: 'ml-research', pod: 'finetune-llama-7b-0' },
  infer: { container: 'vllm', namespace: 'inference', pod: 'vllm-llama31-8b-0' },
  dev: { container: '', namespace: '', pod: '' },
};

const start = (month: string) => Date.parse(`${month}-01T00:00:00Z`) / 1000;
const hoursIn = (month: string) => (start(addMonths(month, 1)) - start(month)) / 3600;
/** The inference pod's busy hours: weekdays, 13:00-20:59 UTC (the US working day). */
const busyHour = (t: number) => {
  const d = new Date(t * 1000);
  return d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && d.getUTCHours() >= 13 && d.getUTCHours() <= 20;
};

/** DCGM engine activity of the three VMs for the month (query_range JSON) and the last scrape (text); returns both files. */
export function writeGpuSamples(dir: string, month: string, seed: number): string[] {
  const rng = new Rng(seed * 3001 + 29);
  const hours = Array.from({ length: hoursIn(month) }, (_, i) => start(month) + i * 3600);
  const series = (host: keyof typeof HOSTS, v: (t: number) => string) => ({
    metric: { __name__: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', ...HOSTS[host], ...PODS[host] }, values: hours.map((t) => [t, v(t)]) });
  const range = join(dir, `dcgm-query-range-${month}.json`);
  writeFileSync(range, JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [
    series('train', () => dec(rng.int(780, 960), 3)),
    series('infer', (t) => (busyHour(t) ? dec(rng.int(200, 450), 3) : dec(rng.int(5, 30), 4))),
    series('dev', () => '0'),
  ] } }) + '\n');
  const scrape = join(dir, 'dcgm-scrape-last.prom');
  const ms = (start(addMonths(month, 1)) - 1800) * 1000;
  const line = (metric: string, host: keyof typeof HOSTS, v: string) =>
    `${metric}{${Object.entries({ ...HOSTS[host], ...PODS[host] }).map(([k, x]) => `${k}="${x}"`).join(',')}} ${v} ${ms}`;
  writeFileSync(scrape, ['# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).', '# TYPE DCGM_FI_DEV_GPU_UTIL gauge',
    line('DCGM_FI_DEV_GPU_UTIL', 'train', '91'), line('DCGM_FI_DEV_GPU_UTIL', 'infer', '1'), line('DCGM_FI_DEV_GPU_UTIL', 'dev', '0'),
    '# HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).', '# TYPE DCGM_FI_DEV_FB_USED gauge',
    line('DCGM_FI_DEV_FB_USED', 'train', '71234'), line('DCGM_FI_DEV_FB_USED', 'infer', '14020'), line('DCGM_FI_DEV_FB_USED', 'dev', '0'),
  ].join('\n') + '\n');
  return [range, scrape];
}

/**
 * The self-hosted model's usage log, one file per month under outDir/telemetry: 8-16 requests in each busy
 * hour, long prompts (ticket threads to summarize) and short answers, for agent-assist.
 */
export function writeSelfHostedTelemetry(outDir: string, plan: { months: string[]; seed: number }): string[] {
  const dir = join(outDir, 'telemetry');
  mkdirSync(dir, { recursive: true });
  const vm = resourceIdOf(RESOURCES.find((r) => r.name === INFER.Hostname)!);
  return plan.months.map((month, i) => {
    const rng = new Rng(plan.seed * 5003 + i);
    const lines: string[] = [];
    for (let h = 0; h < hoursIn(month); h++) {
      const t = start(month) + h * 3600;
      if (!busyHour(t)) continue;
      const n = rng.int(8, 16);
      for (let k = 0; k < n; k++) {
        lines.push(JSON.stringify({ timestamp: new Date((t + Math.floor(((k + 0.5) / n) * 3600)) * 1000).toISOString(),
          id: `cmpl-${rng.guid()}`, model: SELF_HOSTED_MODEL, resource_id: vm,
          metadata: { feature: 'agent-assist', team: 'cx-platform', environment: 'prod' },
          usage: { prompt_tokens: rng.int(4000, 12000), completion_tokens: rng.int(300, 1500) } }));
      }
    }
    const f = join(dir, `selfhosted-vllm-usage-${month}.jsonl`);
    writeFileSync(f, lines.join('\n') + '\n');
    return f;
  });
}
