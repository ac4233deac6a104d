/**
 * Budget events on the budget scenario (test-support/budget-scenario.ts): which thresholds emit what, and
 * which ids stay the same from one day to the next (a month budget: the whole month; a rolling window:
 * keyed by month, so it does not re-alert every day it stays over).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetsSchema } from '../config/budgets.js';
import { Store } from '../store/db.js';
import { ingestBudgetScenario, SCENARIO_CONFIG } from '../test-support/budget-scenario.js';
import { ledgerOf } from '../test-support/ledger.js';
import { budgetEvents } from './budget-events.js';

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await ingestBudgetScenario(store);
});
afterAll(() => store.close());

const budgets = BudgetsSchema.parse([
  { name: 'm', scope: { feature: 'support-copilot' }, amount: 1000, thresholds: [{ at: 100 }] },
  // 7 days x 100 = 700 >= 80 % of 800 every day from 2026-10-07 on
  { name: 'r', scope: { feature: 'support-copilot' }, amount: 800, period: { rolling_days: 7 }, thresholds: [{ at: 80 }] },
]);

async function eventsOn(today: string) {
  const config = { ...SCENARIO_CONFIG, budgets };
  return budgetEvents({ ledger: ledgerOf(store, config), config: { path: null, ...config }, today });
}

describe('budget events', () => {
  it('one event per crossed threshold; the same ids on consecutive days of a month and of a rolling window', async () => {
    const a = await eventsOn('2026-10-14');
    const b = await eventsOn('2026-10-15');
    expect(a.map((e) => [e.subject, e.severity, e.period])).toEqual([['m', 'breach', '2026-10'], ['r', 'warning', '7d to 2026-10-14']]);
    expect(b.map((e) => e.id)).toEqual(a.map((e) => e.id));
    // another month is another event for both
    const sep = await eventsOn('2026-09-30');
    expect(sep.map((e) => e.id).some((id) => a.some((x) => x.id === id))).toBe(false);
  });
});
