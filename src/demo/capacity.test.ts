/**
 * The demo's capacity snapshots against its own billing export, with the numbers worked out by hand from
 * src/demo/capacity.ts and gpu-fleet.ts (October 2026: 744 hours, 22 weekdays):
 *   vm-gpu-train01  3.673 x 0.95 = 3.48935 / h: 2,596.0764, all busy (a fine-tuning job at 78-96 %)
 *   vm-gpu-infer01  0.752 x 0.95 = 0.7144 / h: 531.5136; busy 22 x 8 h = 176 h = 125.7344, held idle 568 h = 405.7792
 *   vm-gpu-dev01    0.526 x 0.95 = 0.4997 / h: 371.7768, all unallocated
 * The reservation holds 3 slots, 1 used.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCapacity } from '../ingest/capacity/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { readFileSync } from 'node:fs';
import { gpuJobMapper } from '../config/capacity.js';
import { loadConfig } from '../config/config.js';
import { writeDemoConfig } from './events.js';
import { writeSelfHostedTelemetry } from './gpu-fleet.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';
import { writeDemoCapacity } from './capacity.js';
import { writeDemoExport } from './write-export.js';
import { sql } from '../store/sql.js';

let store: Store;
let selfHosted: string[];
beforeAll(async () => {
  const dir = tempDir('tl-demo-capacity-');
  const plan = { months: ['2026-10'], clones: 1, seed: 7 };
  await writeDemoExport(join(dir, 'billing'), plan);
  store = await Store.open(':memory:');
  await ingestFocus(store, [join(dir, 'billing')], { rules: loadRules(), clock: () => new Date('2026-11-05T08:00:00Z') });
  const mapJob = gpuJobMapper(loadConfig(writeDemoConfig(dir, join(dir, 'ledger.duckdb'))).capacity?.jobs);
  for (const b of writeDemoCapacity(dir, plan)) await ingestCapacity(store, b.paths, { ...b, mapJob });
  selfHosted = writeSelfHostedTelemetry(dir, plan);
  await ingestTelemetry(store, selfHosted, { clock: () => new Date('2026-11-05T08:00:00Z') });
}, 60_000);
afterAll(() => store.close());

const n = (v: unknown) => Number(v);

describe('demo capacity snapshots', () => {
  it('gpu: a busy training VM, an inference VM held idle off-hours, an unallocated VM; two idle reservation slots', async () => {
    const r = await reportOf(store, 'gpu', { month: '2026-10' });
    const cols = ['gpu_hours_paid', 'cost', 'busy_cost', 'held_idle_cost', 'unallocated_cost', 'unmeasured_cost'];
    const vm = (name: string) => cols.map((k) => n(r.rows.find((x) => x.kind === 'vm' && x.resource === name)![k]));
    expect(vm('vm-gpu-train01')).toEqual([744, 2596.0764, 2596.0764, 0, 0, 0]);
    expect(vm('vm-gpu-infer01')).toEqual([744, 531.5136, 125.7344, 405.7792, 0, 0]);
    expect(vm('vm-gpu-dev01')).toEqual([744, 371.7768, 0, 0, 371.7768, 0]);
    const res = r.rows.find((x) => x.kind === 'reservation')!;
    // 2 slots x 744 h x 3.48935
    expect(n(res.reserved_unused_cost)).toBe(5192.1528);
  });

  it('gpu: the inference pool\'s cost per 1M tokens its usage log served', async () => {
    const r = await reportOf(store, 'gpu', { month: '2026-10' });
    const pool = r.rows.find((x) => x.kind === 'inference')!;
    const tokens = readFileSync(selfHosted[0]!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { usage: Record<string, number> })
      .reduce((a, x) => a + x.usage.prompt_tokens! + x.usage.completion_tokens!, 0);
    expect([pool.resource, pool.models, n(pool.cost), n(pool.tokens)])
      .toEqual(['llama-serving: vm-gpu-infer01', 'meta-llama/llama-3.1-8b-instruct', 531.5136, tokens]);
    // 531.5136 x 1,000,000 / tokens, at 6 places
    expect(Math.abs(n(pool.cost_per_1m_tokens) - 531.5136e6 / tokens)).toBeLessThan(5e-7);
  });

  it('allocation: GPU-seconds per job (the demo config maps the pods), __idle__ for the unallocated VM', async () => {
    const rows = await store.query(sql`SELECT a.feature, a.team, a.method_code AS m, CAST(sum(a.effective_cost) AS VARCHAR) AS cost
      FROM alloc_rows a JOIN alloc_charges c USING (charge_key) WHERE c.ResourceName LIKE 'vm-gpu-%' AND a.day >= DATE '2026-10-01'
      GROUP BY ALL ORDER BY sum(a.effective_cost) DESC`);
    expect(rows.map((x) => [x.feature, x.team, Number(x.m), Number(x.cost)])).toEqual([
      ['fine-tuning', 'ml-research', 10, 2596.0764], ['llm-serving', 'ml-platform', 10, 531.5136], ['__idle__', '__idle__', 11, 371.7768]]);
  });

  it('quota: the A100 family near its limit with its Quota Group; Azure OpenAI quota without capacity', async () => {
    const r = await reportOf(store, 'quota', { month: '2026-10' });
    const a100 = r.rows.find((x) => x.region === 'eastus2' && /NCADS_A100/.test(String(x.family)))!;
    expect([n(a100.limit), n(a100.used), n(a100.reserved_vcpus), a100.quota_group, n(a100.group_available), a100.signal])
      .toEqual([80, 72, 72, 'gq-fabrikam-gpu', 16, 'near the limit']);
    expect(r.rows.filter((x) => x.region === 'westus3').length).toBeGreaterThan(0);
    expect(r.rows.find((x) => /GPT-4o-mini/.test(String(x.family)))!.signal).toBe('quota headroom but no capacity in the region');
  });

  it('throughput: the gpt-4o deployment throttles at its peak; the PTU deployment runs hot', async () => {
    const r = await reportOf(store, 'throughput', { month: '2026-10' });
    const risk = Object.fromEntries(r.rows.map((x) => [x.deployment, x.risk]));
    expect(risk).toEqual({ 'support-gpt4o': 'high', 'ptu-gpt4o': 'medium', 'sales-gpt5mini': 'low', 'support-4o-mini': 'low' });
    const ptu = r.rows.find((x) => x.deployment === 'ptu-gpt4o')!;
    expect([n(ptu.ptu_quota), n(ptu.held_ptu), n(ptu.quota_held_pct), ptu.actions]).toEqual([100, 50, 50, 'add spillover']);
  });
});
