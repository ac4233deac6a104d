/**
 * The driver-based forecast on a hand-built ledger (USD): feature A makes tickets; its gpt-4o input
 * tokens (2.50 per 1M) are all A's by telemetry.
 *
 *   month     tickets  input tokens  cost   tokens / ticket
 *   2026-09   80       800,000       2.00   10,000
 *   2026-10   100      1,100,000     2.75   11,000          trend +1,000 per month; cost per token 2.5e-6
 *
 * plan: ticket 2026-11: 200, 2026-12: 100; capacity ptu 50 a month from 2026-11.
 *   2026-11: 200 x 12,000 x 2.5e-6 = 6.00; + 50 = 56.00
 *   2026-12: 100 x 13,000 x 2.5e-6 = 3.25; + 50 = 53.25
 *   2027-01: no units planned: capacity 50.00 only
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanSchema } from '../config/budgets.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { dayRow } from '../test-support/budget-scenario.js';
import { focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';
import { trendSlope } from './driver.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
let store: Store;

beforeAll(async () => {
  store = await Store.open(':memory:');
  const dir = tempDir('tl-driver-');
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv([
    tokenRow('gpt 4o 0513 Input global Tokens', 800_000, '2.5', dayRow('2026-09-30', { ResourceId: R1 })),
    tokenRow('gpt 4o 0513 Input global Tokens', 1_100_000, '2.5', dayRow('2026-10-31', { ResourceId: R1 })),
  ]))], { rules: loadRules() });
  const tel = (day: string, prompt: number) => JSON.stringify({ timestamp: `${day}T10:00:00Z`, model: 'gpt-4o', resource_id: R1,
    feature: 'A', usage: { prompt_tokens: prompt, completion_tokens: 0 } });
  await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', `${tel('2026-09-30', 800_000)}\n${tel('2026-10-31', 1_100_000)}\n`)]);
  await ingestEvents(store, [writeFixture(dir, 'events.csv',
    'timestamp,unit,feature,count,outcome\n2026-09-10T09:00:00Z,ticket,A,80,success\n2026-10-10T09:00:00Z,ticket,A,100,success\n')]);
});
afterAll(() => store.close());

describe('driver-based forecast', () => {
  it('planned units x tokens per unit (with its trend) x cost per token, plus capacity, beside the statistical rows', async () => {
    const plan = PlanSchema.parse({ units: { ticket: { '2026-11': 200, '2026-12': 100 } }, capacity: [{ name: 'ptu', amount: 50,
      from: '2026-11' }] });
    const r = await reportOf(store, 'forecast', { today: '2026-11-02', horizon: '3m' },
      { units: { ticket: { features: ['A'] } }, plan });
    const driver = Object.fromEntries(r.rows.filter((x) => x.method === 'driver').map((x) => [`${x.key} ${x.month}`, x.projected]));
    expect(driver).toEqual({
      'driver: ticket 2026-11': '6.00', 'driver: capacity: ptu 2026-11': '50.00', 'driver: total 2026-11': '56.00',
      'driver: ticket 2026-12': '3.25', 'driver: capacity: ptu 2026-12': '50.00', 'driver: total 2026-12': '53.25',
      'driver: capacity: ptu 2027-01': '50.00', 'driver: total 2027-01': '50.00',
    });
    // the statistical forecast is still there, per month
    expect(r.rows.filter((x) => x.key === 'total').map((x) => x.month)).toEqual(['2026-11', '2026-12', '2027-01']);
  });

  it('the same plan from a CSV (plan.file) gives the same rows; a bad row is bad input naming file, line and column', async () => {
    const dir = tempDir('tl-driver-plan-');
    const file = writeFixture(dir, 'plan.csv', 'month,unit_type,planned_units\n2026-11,ticket,200\n\n2026-12,ticket,100\n');
    const plan = PlanSchema.parse({ file, capacity: [{ name: 'ptu', amount: 50, from: '2026-11' }] });
    const r = await reportOf(store, 'forecast', { today: '2026-11-02', horizon: '3m' }, { units: { ticket: { features: ['A'] } }, plan });
    expect(r.rows.filter((x) => x.method === 'driver' && x.key === 'driver: total').map((x) => x.projected))
      .toEqual(['56.00', '53.25', '50.00']);
    expect(r.notes!.join('\n')).toContain('tokenledger.yaml plan: and plan.csv');
    writeFixture(dir, 'plan.csv', 'month,unit_type,planned_units\n2026-11,ticket,200\n2026-12,ticket,lots\n');
    const bad = reportOf(store, 'forecast', { today: '2026-11-02' }, { units: { ticket: { features: ['A'] } }, plan });
    await expect(bad).rejects.toMatchObject({ exitCode: 2, location: { file, line: 3, column: 'units' } });
    await expect(bad).rejects.toThrow(`${file}, line 3, column units: expected a number of units`);
  });

  it('trend slope by least squares', () => {
    expect(trendSlope([1, 2, 3], [10, 12, 14])).toBe(2);
    expect(trendSlope([5], [10])).toBe(0);
  });
});
