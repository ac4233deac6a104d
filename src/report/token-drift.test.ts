/**
 * token-drift's runs, hand-computed: one Azure OpenAI account billed 1,000,000 gpt-4o input tokens a day
 * (2.50 each day) on 10-01, 10-02, 10-03, 10-05 and 10-06; its telemetry saw 900,000 on 10-01 and 10-02
 * (+11.1111% each), 1,100,000 on 10-03 (-9.0909%), nothing on 10-04 (no rows at all that day), 900,000 on
 * 10-05 and 1,000,000 on 10-06 (ok). Runs: 10-01..10-02 drift (+, 2 days: 2,000,000 vs 1,800,000 = +11.1111%,
 * 5.00), 10-03 drift (the other way: a run of its own), 10-05 drift (the gap of 10-04 ends the first run),
 * 10-06 ok. And telemetry without billed tokens: on a VM billed by the hour it is not comparable (not-per-token,
 * shown with --all only); on an account with no billing at all it is a finding (not-billed).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store/db.js';
import { tokenRow } from '../test-support/focus-fixture.js';
import { ingestFixtures, reportOf } from '../test-support/ledger.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
const day = (d: number) => ({ ChargePeriodStart: `2026-10-0${d}T00:00:00Z`, ChargePeriodEnd: `2026-10-0${d + 1}T00:00:00Z` });
const tel = (d: number, prompt: number) => ({ timestamp: `2026-10-0${d}T10:00:00Z`, model: 'gpt-4o', feature: 'A', resource_id: R1,
  usage: { prompt_tokens: prompt, completion_tokens: 0 } });

let store: Store;
beforeEach(async () => {
  store = await Store.open(':memory:');
  await ingestFixtures(store, [1, 2, 3, 5, 6].map((d) => tokenRow('gpt 4o 0513 Input global Tokens', 1_000_000, '2.5',
    { ...day(d), ResourceId: R1 })), [tel(1, 900_000), tel(2, 900_000), tel(3, 1_100_000), tel(5, 900_000), tel(6, 1_000_000)]);
});
afterEach(() => store.close());

describe('telemetry without billed tokens', () => {
  const VM = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-gpu-1';
  const R9 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r9';
  it('on a resource billed by the hour: not-per-token, shown with --all only; on one not billed at all: not-billed', async () => {
    const s = await Store.open(':memory:');
    try {
      // the VM: 24 hours of 10-01 billed (no token meter); aoai-r9: no billing at all
      await ingestFixtures(s, [{ ...day(1), ResourceId: VM, BilledCost: '24', EffectiveCost: '24', ServiceName: 'Virtual Machines',
        x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterName: 'NC24ads A100 v4' }],
      [{ ...tel(1, 5000), model: 'llama-3.1-8b', resource_id: VM }, { ...tel(1, 7000), resource_id: R9 }]);
      const all = await reportOf(s, 'token-drift', { month: '2026-10', all: true });
      expect(all.rows.map((x) => [x.resource_name, x.token_type, x.telemetry_tokens, x.flag])).toEqual([
        ['aoai-r9', 'input', '7000', 'not-billed'], ['vm-gpu-1', 'input', '5000', 'not-per-token']]);
      const shown = await reportOf(s, 'token-drift', { month: '2026-10' });
      expect(shown.rows.map((x) => x.flag)).toEqual(['not-billed']);
      expect((shown.notes ?? []).join('\n')).toMatch(/1 not-billed \(1 day\), 1 not-per-token \(1 day\) \(ok, not-per-token hidden/);
    } finally {
      s.close();
    }
  });
});

describe('token drift in runs of consecutive days', () => {
  it('one row per run: same finding, same direction, no gap', async () => {
    const r = await reportOf(store, 'token-drift', { month: '2026-10', all: true });
    expect(r.rows.map((x) => [x.first_day, x.last_day, x.days, x.billed_tokens, x.telemetry_tokens, x.drift_pct, x.cost, x.flag])).toEqual([
      ['2026-10-01', '2026-10-02', '2', '2000000.000000', '1800000', 11.1111, '5.000000000000000000', 'drift'],
      ['2026-10-03', '2026-10-03', '1', '1000000.000000', '1100000', -9.0909, '2.500000000000000000', 'drift'],
      ['2026-10-05', '2026-10-05', '1', '1000000.000000', '900000', 11.1111, '2.500000000000000000', 'drift'],
      ['2026-10-06', '2026-10-06', '1', '1000000.000000', '1000000', 0, '2.500000000000000000', 'ok'],
    ]);
    expect(r.meta).toMatchObject({ counts: { drift: 3, ok: 1 }, days: { drift: 4, ok: 1 } });
  });

  it('a wider threshold makes them one ok run, and hides it without --all', async () => {
    const r = await reportOf(store, 'token-drift', { month: '2026-10', threshold: '12', all: true });
    expect(r.rows.map((x) => [x.first_day, x.last_day, x.days, x.flag])).toEqual([
      ['2026-10-01', '2026-10-03', '3', 'ok'], ['2026-10-05', '2026-10-06', '2', 'ok']]);
    expect((await reportOf(store, 'token-drift', { month: '2026-10', threshold: '12' })).rows).toEqual([]);
  });
});
