/**
 * report savings, Batch found in the time profile, by hand. Six features on gpt-4.1, each alone on its
 * resource, billed at a negotiated $1.80 input / $7.20 output per 1M (the invoice's standard price); Global
 * Batch is the catalog's 50 % of Global Standard list: $1.00 / $4.00. Every request is 1,000 prompt and 100
 * output tokens (below the 1,024 caching needs; all equal, so no concision).
 * - N, a nightly job: 54 requests at 02:00-02:53 UTC, 6 at 14:00 on Monday 2026-10-05: 90 % off hours.
 * - B, bulk bursts: 30 requests in the minute 10:00 on Monday and Tuesday (business hours), 1 hour a day.
 * - W, weekend work: 60 requests on Saturday 2026-10-10 at 12:00-12:59: off hours (not a weekday).
 * - I, interactive: 60 requests every 10 minutes 09:00-18:50 UTC on Monday.
 * - F, nightly but only 10 requests (below 50: no conclusion); X, nightly but configured not deferrable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundDecimal } from '../domain/decimal.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { batchLever, costOf, rightSizingLever, type Mix, type PriceLookup } from '../prices/levers.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { reportOf, type TestConfig } from '../test-support/ledger.js';

const rid = (f: string) => `/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-${f.toLowerCase()}`;
const SATURDAY = { ChargePeriodStart: '2026-10-10T00:00:00Z', ChargePeriodEnd: '2026-10-11T00:00:00Z' };
const CONFIG: TestConfig = { savings: { features: { X: { deferrable: false } } } };

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  const dir = tempDir();
  const bill = (f: string, input: number, output: number, extra = {}) => [
    tokenRow('gpt 4.1 Inp glbl 1M Tokens', input, '1.8', { ResourceId: rid(f), ...extra }),
    tokenRow('gpt 4.1 Outp glbl 1M Tokens', output, '7.2', { ResourceId: rid(f), ...extra }),
  ];
  const rows = [
    ...bill('N', 10_000_000, 1_000_000),
    ...bill('B', 2_000_000, 500_000),
    ...bill('W', 1_000_000, 100_000, SATURDAY),
    ...bill('I', 1_000_000, 100_000),
    ...bill('F', 1_000_000, 100_000),
    ...bill('X', 1_000_000, 100_000),
  ];
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv(rows))], { rules: loadRules() });
  const req = (f: string, ts: string) => JSON.stringify({
    timestamp: ts, model: 'gpt-4.1', resource_id: rid(f), feature: f,
    usage: { prompt_tokens: 1000, completion_tokens: 100 },
  });
  const at = (day: string, h: number, m: number) => `2026-10-${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`;
  const n = (k: number) => Array.from({ length: k }, (_, i) => i);
  const lines = [
    ...n(54).map((i) => req('N', at('05', 2, i))),
    ...n(6).map((i) => req('N', at('05', 14, i))),
    ...n(60).map((i) => req('B', `${at(i < 30 ? '05' : '06', 10, 0).slice(0, 17)}${String(i % 30).padStart(2, '0')}Z`)),
    ...n(60).map((i) => req('W', at('10', 12, i))),
    ...n(60).map((i) => req('I', at('05', 9 + Math.floor(i / 6), (i % 6) * 10))),
    ...n(10).map((i) => req('F', at('05', 3, i))),
    ...n(60).map((i) => req('X', at('05', 3, i))),
  ];
  await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', lines.join('\n') + '\n')]);
});
afterAll(() => store.close());

const batchRows = async (config: TestConfig) =>
  (await reportOf(store, 'savings', { month: '2026-10' }, config)).rows.filter((r) => r.opportunity === 'batch');

describe('batch candidates from the time profile', () => {
  it('finds the nightly job, the bursts and the weekend work, sized on their offline share, to the cent', async () => {
    const rows = await batchRows(CONFIG);
    expect(rows.map((r) => [r.feature, roundDecimal(String(r.monthly_combined), 2), r.monthly_alone, r.confidence])).toEqual([
      // 90 % of 10M input x (1.80 - 1.00) + 90 % of 1M output x (7.20 - 4.00) = 7.20 + 2.88
      ['N', '10.08', '10.08', 'medium'],
      // all of 2M x 0.80 + 0.5M x 3.20 = 1.60 + 1.60
      ['B', '3.20', '3.2', 'medium'],
      // all of 1M x 0.80 + 0.1M x 3.20 = 0.80 + 0.32
      ['W', '1.12', '1.12', 'medium'],
    ]);
    const [nightly, bursts] = rows;
    expect(nightly!.evidence).toBe(
      'N on gpt-4.1 (global-standard): 60 requests: 90 % of their tokens outside business hours (08:00-20:00 Mon-Fri UTC), ' +
        '0 % in bursts of 20+ requests a minute, active 2 hours a day; Batch on 90 % of its 11,000,000 input and output tokens; ' +
        'Batch input 1 (gpt-4.1@2025-04-14/global-batch)',
    );
    expect(nightly!.assumptions).toMatch(/^detected, not configured: its requests cluster outside business hours, .*24 hours/);
    expect(nightly!.assumptions).toMatch(/savings\.features\.N\.deferrable: false/);
    expect(bursts!.assumptions).toMatch(/arrive in bulk bursts with no working-day pattern/);
  });

  it('the thresholds and the time zone are assumptions the configuration overrides', async () => {
    // 90 % off hours is below a 95 % threshold; B still passes (100 % in bursts)
    expect((await batchRows({ savings: { ...CONFIG.savings, batch: { min_share: 0.95 } } })).map((r) => r.feature)).toEqual(['B', 'W']);
    // bursts need 31 requests a minute: B is no longer found
    expect((await batchRows({ savings: { ...CONFIG.savings, batch: { burst_requests: 31 } } })).map((r) => r.feature)).toEqual(['N', 'W']);
    // F's 10 requests are enough at min_requests 10: all of 1M x 0.80 + 0.1M x 3.20
    const few = await batchRows({ savings: { ...CONFIG.savings, batch: { min_requests: 10 } } });
    expect(few.map((r) => [r.feature, roundDecimal(String(r.monthly_combined), 2)])).toContainEqual(['F', '1.12']);
    // In Tokyo (UTC+9) N's 02:00 UTC is 11:00 (10 % off hours); I's 09:00-18:50 UTC is 18:00-03:50, 48 of its 60
    // requests after 20:00: 80 % of 1M x 0.80 + 80 % of 0.1M x 3.20 = 0.64 + 0.256
    const tokyo = await batchRows({ savings: { ...CONFIG.savings, batch: { timezone: 'Asia/Tokyo' } } });
    expect(tokyo.map((r) => [r.feature, roundDecimal(String(r.monthly_combined), 3)]))
      .toEqual([['B', '3.200'], ['W', '1.120'], ['I', '0.896']]);
  });

  it('configured deferrable wins over the rule, both ways', async () => {
    // X configured not deferrable: never a row; I configured deferrable: all of it (1M x 0.80 + 0.1M x 3.20), high confidence
    const rows = await batchRows({ savings: { features: { X: { deferrable: false }, I: { deferrable: true } } } });
    expect(rows.find((r) => r.feature === 'X')).toBeUndefined();
    const i = rows.find((r) => r.feature === 'I')!;
    expect([roundDecimal(String(i.monthly_combined), 2), i.confidence]).toEqual(['1.12', 'high']);
  });

  it('a later lever keeps the batched share on Batch (right-sizing after a partial batch)', () => {
    const table: Record<string, string> = {
      'gpt-4.1|global-batch|input': '1', 'gpt-4.1-mini|global-standard|input': '0.4', 'gpt-4.1-mini|global-batch|input': '0.2',
    };
    const price: PriceLookup = (m, d, t) => table[`${m}|${d}|${t}`];
    const m: Mix = {
      model: 'gpt-4.1', deployment: 'global-standard', tokens: { input: 10_000_000, cached_input: 0, output: 0 },
      cost: { input: costOf(10_000_000, '1.8'), cached_input: '0', output: '0' },
    };
    const batched = batchLever(m, price, true, 0.9)!;
    // 1M stay at 1.80 + 9M at 1.00 = 10.80; on gpt-4.1-mini: 1M x 0.40 + 9M x 0.20 = 2.20
    expect(roundDecimal(batched.cost.input, 2)).toBe('10.80');
    expect(roundDecimal(rightSizingLever(batched, 'gpt-4.1-mini', price)!.cost.input, 2)).toBe('2.20');
  });
});
