/**
 * The demo's capacity snapshots against its own billing export, with the numbers worked out by hand from
 * src/demo/capacity.ts: vm-gpu-train01 bills 24 h a day at 3.673 x 0.95 = 3.48935 / h (83.7444 a day); its GPU
 * is busy days 1-12, held idle days 13-20 and unallocated days 21-31; the reservation holds 3 slots, 1 used.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCapacity } from '../ingest/capacity/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';
import { writeDemoCapacity } from './capacity.js';
import { writeDemoExport } from './write-export.js';

let store: Store;
beforeAll(async () => {
  const dir = tempDir('tl-demo-capacity-');
  const plan = { months: ['2026-10'], clones: 1, seed: 7 };
  await writeDemoExport(join(dir, 'billing'), plan);
  store = await Store.open(':memory:');
  await ingestFocus(store, [join(dir, 'billing')], { rules: loadRules(), clock: () => new Date('2026-11-05T08:00:00Z') });
  for (const b of writeDemoCapacity(dir, plan)) await ingestCapacity(store, b.paths, b);
}, 60_000);
afterAll(() => store.close());

const n = (v: unknown) => Number(v);

describe('demo capacity snapshots', () => {
  it('gpu: 12 busy, 8 held-idle and 11 unallocated days of 83.7444; two idle reservation slots all month', async () => {
    const r = await reportOf(store, 'gpu', { month: '2026-10' });
    const vm = r.rows.find((x) => x.resource === 'vm-gpu-train01')!;
    expect(['gpu_hours_paid', 'cost', 'busy_cost', 'held_idle_cost', 'unallocated_cost', 'unmeasured_cost'].map((k) => n(vm[k])))
      .toEqual([744, 2596.0764, 1004.9328, 669.9552, 921.1884, 0]);
    const res = r.rows.find((x) => x.kind === 'reservation')!;
    // 2 slots x 744 h x 3.48935
    expect(n(res.reserved_unused_cost)).toBe(5192.1528);
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
