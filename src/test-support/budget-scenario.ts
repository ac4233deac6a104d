/**
 * The hand-built ledger of the budget and forecast scenario tests (src/budgets/scenario.test.ts has the
 * table of what it holds and the hand-computed numbers): a constant feature, constant token charges and
 * a feature whose daily cost grows linearly, with the budgets judged on it.
 */
import { BudgetsSchema } from '../config/budgets.js';
import { addMonths } from '../domain/month.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { addDays } from '../budgets/series.js';
import { loadRules } from '../normalize/rules.js';
import type { Store } from '../store/db.js';
import { focusCsv, tempDir, tokenRow, writeFixture, type FixtureRow } from './focus-fixture.js';
import { ready } from './ledger.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';

export function dayRow(day: string, extra: FixtureRow): FixtureRow {
  const month = day.slice(0, 7);
  return { ChargePeriodStart: `${day}T00:00:00Z`, ChargePeriodEnd: `${addDays(day, 1)}T00:00:00Z`,
    BillingPeriodStart: `${month}-01T00:00:00Z`, BillingPeriodEnd: `${addMonths(month, 1)}-01T00:00:00Z`, ...extra };
}

const vm = (day: string, cost: string, feature: string) => dayRow(day, { BilledCost: cost, EffectiveCost: cost,
  ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterSubcategory: 'Dv5 Series', x_SkuMeterName: 'D4s v5',
  Tags: JSON.stringify({ feature }) });

/** The scenario's billing rows: constant support-copilot, constant tokens, a linear trend. */
export function scenarioRows(): FixtureRow[] {
  const rows: FixtureRow[] = [];
  for (let d = '2026-06-01', t = 0; d <= '2026-10-15'; d = addDays(d, 1), t++) {
    rows.push(vm(d, String(100 + 2 * t), 'trend'));
    if (d < '2026-09-01') continue;
    rows.push(vm(d, '100', 'support-copilot'));
    rows.push(tokenRow('gpt 4o 0513 Input global Tokens', 1_000_000, '2.5', dayRow(d, { ResourceId: R1 })));
    rows.push(tokenRow('gpt 4o 0513 Output global Tokens', 100_000, '10', dayRow(d, { ResourceId: R1 })));
  }
  return rows;
}

export const SCENARIO_BUDGETS = BudgetsSchema.parse([
  { name: 'copilot-2500', scope: { feature: 'support-copilot' }, amount: 2500 },
  { name: 'copilot-1400', scope: { feature: 'support-copilot' }, amount: 1400 },
  { name: 'copilot-q4', scope: { feature: 'support-copilot' }, amount: '10000', period: 'quarter' },
  { name: 'gpt4o-tokens', scope: { model: 'gpt-4o' }, measure: 'tokens', amount: 40_000_000, thresholds: [{ at: 40 }, { at: 100 }] },
  { name: 'output-tokens', measure: 'tokens.output', amount: 1_000_000 },
]);

/** The fixture has only the columns tokenledger reads: its missing FOCUS columns are accepted, as a user would. */
export const SCENARIO_CONFIG = { budgets: SCENARIO_BUDGETS,
  checks: { accept: [{ check: 'mandatory-columns' as const, reason: 'hand-built fixture' }] } };

/** Ingest the scenario into `store` and leave it as a writing command would. */
export async function ingestBudgetScenario(store: Store): Promise<void> {
  const dir = tempDir('tl-budgets-');
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv(scenarioRows()))], { rules: loadRules() });
  await ready(store);
}
