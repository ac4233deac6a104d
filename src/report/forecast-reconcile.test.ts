/**
 * `report forecast --reconcile` on a hand-built ledger (USD): feature A makes tickets, all its gpt-4o input
 * tokens are A's by telemetry, every day from 2026-07-01 to 2026-10-31 (data through 2026-10-31):
 *
 *   month    tickets/day  tokens/day   price/1M  cost/day  month cost  tokens/ticket
 *   07-09    10           1,000,000    2.50      2.50      77.50/75.00  100,000
 *   2026-10  10           1,200,000    3.00      3.60      111.60       120,000
 *
 * Closed months with 28 days of history: 08, 09, 10. The series is constant before October, so every
 * method forecasts 2.50 a day: 08 -> 77.50, 09 -> 75.00, 10 -> 77.50 (misses 0, 0, 34.10).
 * October's variance 09 -> 10 (Shapley, U0 300, U1 310, I0 100,000, I1 120,000, R0 2.5e-6, R1 3e-6):
 *   volume    = 10 (2 I0R0 + I1R0 + I0R1 + 2 I1R1) / 6 = 10 x 1.82 / 6        = 3.03
 *   intensity = 20,000 (2 U0R0 + U1R0 + U0R1 + 2 U1R1) / 6 = 100.7 / 6         = 16.78
 *   rate      = change 36.60 - 3.03 - 16.78                                     = 16.79
 * The forecast expected +2.50 (31 days, not 30): volume miss 3.03 - 2.50 = 0.53; miss = 0.53 + 16.78 + 16.79 = 34.10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../budgets/series.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { dayRow } from '../test-support/budget-scenario.js';
import { focusCsv, tempDir, tokenRow, writeFixture, type FixtureRow } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';
import { renderJson } from './render.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
const CONFIG = { units: { ticket: { features: ['A'] } },
  checks: { accept: [{ check: 'mandatory-columns' as const, reason: 'hand-built fixture' }] } };
let store: Store;

beforeAll(async () => {
  store = await Store.open(':memory:');
  const dir = tempDir('tl-fc-reconcile-');
  const bill: FixtureRow[] = [];
  const tel: string[] = [];
  const events = ['timestamp,unit,feature,count,outcome'];
  for (let d = '2026-07-01'; d <= '2026-10-31'; d = addDays(d, 1)) {
    const oct = d >= '2026-10-01';
    const tokens = oct ? 1_200_000 : 1_000_000;
    bill.push(tokenRow('gpt 4o 0513 Input global Tokens', tokens, oct ? '3' : '2.5', dayRow(d, { ResourceId: R1 })));
    tel.push(JSON.stringify({ timestamp: `${d}T10:00:00Z`, model: 'gpt-4o', resource_id: R1, feature: 'A',
      usage: { prompt_tokens: tokens, completion_tokens: 0 } }));
    events.push(`${d}T09:00:00Z,ticket,A,10,success`);
  }
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv(bill))], { rules: loadRules() });
  await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', `${tel.join('\n')}\n`)]);
  await ingestEvents(store, [writeFixture(dir, 'events.csv', `${events.join('\n')}\n`)]);
});
afterAll(() => store.close());

describe('report forecast --reconcile', () => {
  it('each closed month: forecast at the prior month end vs actual, the miss split into volume, intensity, rate', async () => {
    const r = await reportOf(store, 'forecast', { today: '2026-11-02', reconcile: true }, CONFIG);
    const pick = (x: Record<string, unknown>) => [x.month, x.forecast, x.actual, x.miss, x.volume, x.intensity, x.rate, x.other];
    expect(r.rows.map(pick)).toEqual([
      ['2026-08', '77.50', '77.50', '0.00', '0.00', '0.00', '0.00', '0.00'],
      ['2026-09', '75.00', '75.00', '0.00', '0.00', '0.00', '0.00', '0.00'],
      ['2026-10', '77.50', '111.60', '34.10', '0.53', '16.78', '16.79', '0.00'],
    ]);
    const oct = r.rows.find((x) => x.month === '2026-10')!;
    expect(oct).toMatchObject({ prior_month: '75.00', forecast_change: '2.50', in_80: 'no', miss_pct: 44 });
    expect(renderJson(r)).toContain('"reconcile":true');
  });

  it('refuses --by', async () => {
    await expect(reportOf(store, 'forecast', { reconcile: true, by: ['feature'] }, CONFIG)).rejects.toThrow(/--reconcile is per currency/);
  });
});
