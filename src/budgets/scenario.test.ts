/**
 * Budgets on a hand-built ledger with hand-computed numbers (USD, billed = effective, one account; each
 * row's billing period is its charge's month, so no day is missing):
 *
 *   series                                   days                      per day
 *   VM tagged feature=support-copilot       2026-09-01 .. 2026-10-15   100.00
 *   gpt-4o input 1M + output 100k tokens    2026-09-01 .. 2026-10-15   2.50 + 1.00 (no telemetry: unallocated)
 *   VM tagged feature=trend (t = 0 on 06-01) 2026-06-01 .. 2026-10-15   100 + 2 t
 *
 * As of 2026-10-15 (data through 2026-10-15, 16 days left in October, 77 in Q4):
 *
 *   budget            scope / measure              amount       spent        %      projected               runs out     status
 *   copilot-2500      support-copilot, month        2,500.00     1,500.00     60.00  1,500 + 16 x 100 = 3,100 2026-10-25   forecast breach
 *   copilot-1400      support-copilot, month        1,400.00     1,500.00    107.14  3,100                    2026-10-14   breached
 *   copilot-q4        support-copilot, quarter     10,000.00     1,500.00     15.00  1,500 + 77 x 100 = 9,200 (none)       ok
 *   gpt4o-tokens      model=gpt-4o, tokens      40,000,000   16,500,000     41.25  16.5M + 16 x 1.1M = 34.1M (none)       warn (40 %)
 *   output-tokens     tokens.output, month       1,000,000    1,500,000    150.00  3,100,000                2026-10-10   breached
 *
 * As of 2026-10-25 with the same data: 10 days old > checks.stale_after_days 3: every budget unknown,
 * "data through 2026-10-15".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../app/report.js';
import { BudgetsSchema } from '../config/budgets.js';
import { Store } from '../store/db.js';
import { ingestBudgetScenario, SCENARIO_CONFIG } from '../test-support/budget-scenario.js';
import { ledgerOf, reportOf } from '../test-support/ledger.js';
import { evaluateBudgets } from './run.js';
import { daysBetween } from './series.js';

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await ingestBudgetScenario(store);
});
afterAll(() => store.close());

const evaluate = async (today: string, month: string | null = null) => {
  const { evaluations } = await evaluateBudgets(ledgerOf(store, SCENARIO_CONFIG), { month, today, costBasis: 'effective' });
  return Object.fromEntries(evaluations.map((e) => [e.budget.name, e]));
};

describe('budgets scenario (as of 2026-10-15)', () => {
  it('constant daily spend: spent, burn, projection, exhaustion date and status, to the cent', async () => {
    const e = await evaluate('2026-10-15');
    const a = e['copilot-2500']!;
    expect(a).toMatchObject({ data_through: '2026-10-15', spent: '1500', percent_used: '60.00', burn_recent: '100.00',
      burn_period: '100.00', days_left: 16, exhaustion_date: '2026-10-25', status: 'forecast breach', currency: 'USD' });
    expect(a.period).toEqual({ start: '2026-10-01', end: '2026-11-01', label: '2026-10' });
    expect(a.projected.text).toEqual({ point: '3100.00', lo80: '3100.00', hi80: '3100.00', lo95: '3100.00', hi95: '3100.00' });
    expect(a.thresholds).toEqual([{ at: 80, basis: 'actual', crossed: false }, { at: 100, basis: 'actual', crossed: false },
      { at: 100, basis: 'forecast', crossed: true }]);
    expect(e['copilot-1400']).toMatchObject({ spent: '1500', percent_used: '107.14', exhaustion_date: '2026-10-14', status: 'breached' });
  });

  it('a quarter budget: Q4 period, 77 days left, projection 9,200, no exhaustion inside the quarter', async () => {
    const q = (await evaluate('2026-10-15'))['copilot-q4']!;
    expect(q.period).toEqual({ start: '2026-10-01', end: '2027-01-01', label: '2026-Q4' });
    expect(daysBetween('2026-10-16', '2027-01-01')).toBe(77);
    expect(q).toMatchObject({ spent: '1500', percent_used: '15.00', days_left: 77, exhaustion_date: null, status: 'ok' });
    expect(q.projected.text.point).toBe('9200.00');
  });

  it('token budgets count allocated billed tokens of the measure\'s types', async () => {
    const e = await evaluate('2026-10-15');
    expect(e['gpt4o-tokens']).toMatchObject({ spent: '16500000', percent_used: '41.25', burn_recent: '1100000', status: 'warn',
      currency: null });
    expect(e['gpt4o-tokens']!.projected.text.point).toBe('34100000');
    expect(e['output-tokens']).toMatchObject({ spent: '1500000', percent_used: '150.00', exhaustion_date: '2026-10-10',
      status: 'breached' });
  });

  it('stale data: every budget unknown, saying data through which day', async () => {
    const e = await evaluate('2026-10-25');
    for (const b of Object.values(e)) {
      expect(b.status).toBe('unknown');
      expect(b.reason).toContain('data through 2026-10-15');
    }
    // the figures so far are still shown
    expect(e['copilot-2500']).toMatchObject({ spent: '1500', data_through: '2026-10-15' });
  });

  it('a scope nothing in the ledger matches (a misspelled feature) is unknown, never ok, and says which scope', async () => {
    const budgets = [...SCENARIO_CONFIG.budgets, BudgetsSchema.parse([{ name: 'typo', scope: { feature: 'copilt' },
      amount: 1000 }])[0]!];
    const { evaluations } = await evaluateBudgets(ledgerOf(store, { ...SCENARIO_CONFIG, budgets }), { month: null, today: '2026-10-15',
      costBasis: 'effective' });
    const typo = evaluations.find((e) => e.budget.name === 'typo')!;
    expect(typo).toMatchObject({ status: 'unknown', spent: '0', data_through: '2026-10-15' });
    expect(typo.reason).toBe('nothing in the ledger matches the scope (feature: copilt) in the 365 days through 2026-10-15: ' +
      'check the scope\'s values');
    // the spelled-right budgets are judged as before
    expect(evaluations.find((e) => e.budget.name === 'copilot-2500')!.status).toBe('forecast breach');
  });

  it('--month in the past judges the period as of its last day', async () => {
    const e = await evaluate('2026-12-01', '2026-09');
    expect(e['copilot-2500']).toMatchObject({ spent: '3000', percent_used: '120.00', days_left: 0, status: 'breached',
      exhaustion_date: '2026-09-25', data_through: '2026-09-30' });
    expect(e['copilot-2500']!.projected.text.point).toBe('3000.00');
  });

  it('report budgets: one row per budget, top contributors, the variance split of a month cost budget', async () => {
    const r = await reportOf(store, 'budgets', { today: '2026-10-15' }, SCENARIO_CONFIG);
    const by = Object.fromEntries(r.rows.map((x) => [x.budget, x]));
    expect(Object.keys(by)).toEqual(['copilot-2500', 'copilot-1400', 'copilot-q4', 'gpt4o-tokens', 'output-tokens']);
    expect(by['copilot-2500']).toMatchObject({ amount: '2500', spent: '1500', projected: '3100.00', status: 'forecast breach',
      top_features: 'support-copilot 100.0%', top_models: '__unallocated__ 100.0%' });
    expect(by['gpt4o-tokens']!.top_token_types).toBe('input 90.9%, output 9.1%');
    // October to date (1,500) against September (30 x 100 = 3,000): -1,500, all outside unit types (no units configured)
    expect(by['copilot-2500']).toMatchObject({ change: '-1500.00' });
  });

  it('the table on a 120-column terminal: names whole, token amounts in whole tokens, why a budget is unknown', async () => {
    const fit = (today: string) => reportOf(store, 'budgets', { today }, { ...SCENARIO_CONFIG,
      budgets: [...SCENARIO_CONFIG.budgets, ...BudgetsSchema.parse([{ name: 'support-copilot-rolling-30-days', amount: 5000,
        scope: { feature: 'support-copilot' }, period: { rolling_days: 30 } }])] }).then((r) => formatReport(r, 'table', { width: 120 }));
    const table = await fit('2026-10-15');
    const lines = table.split('\n');
    expect(lines.filter((l) => l.length > 120)).toEqual([]);
    expect(table).not.toContain('shortened');
    expect(table).not.toContain('…');
    expect(lines.find((l) => l.startsWith('gpt4o-tokens '))).toMatch(/ 40,000,000 +16,500,000 +41\.3% +34,100,000 +warn$/);
    expect(lines.find((l) => l.startsWith('copilot-2500 '))).toMatch(/ 2,500\.00 +1,500\.00 +60\.0% +3,100\.00 +2026-10-25 +forecast breach$/);
    expect(lines.find((l) => l.startsWith('support-copilot-rolling-30-days '))).toMatch(/^support-copilot-rolling-30-days +last 30d /);
    // stale: the reason is under the table even though its column is left out
    const stale = await fit('2026-10-25');
    expect(stale).toMatch(/\ncopilot-2500 2026-10: status unknown, .*2026-10-15/);
    expect(stale.split('\n').filter((l) => l.length > 120)).toEqual([]);
  });
});
