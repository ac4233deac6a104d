/**
 * `report budgets [--month YYYY-MM]`: every budget of tokenledger.yaml judged on its period containing
 * the month's last day (or today): spent, percent used, burn rates, projection at period end with its
 * 80 % interval, exhaustion date, status, data through, top contributors and, for month cost budgets,
 * the change against the month before split by the variance engine. Budgets are evaluated in
 * src/budgets/evaluate.ts; this file lays them out and asks the variance engine for the split.
 */
import { topContributors } from '../budgets/contributors.js';
import { evaluateBudgets } from '../budgets/run.js';
import { addDays } from '../budgets/series.js';
import type { BudgetEvaluation } from '../budgets/evaluate.js';
import { addMonths } from '../domain/month.js';
import type { CostBasis } from '../domain/cost-basis.js';
import { Ledger } from '../ledger/ledger.js';
import type { Scope } from '../ledger/scope.js';
import { variance } from './variance.js';
import type { Row } from '../store/db.js';
import type { Report } from './render.js';
import { baseMeta, type RequestOf } from './request.js';

const scopeText = (s: Record<string, string[] | undefined>) =>
  Object.entries(s).map(([k, v]) => `${k}=${(v ?? []).join('|')}`).join(' ') || '(everything)';

export async function budgetsReport(ledger: Ledger, o: RequestOf<'budgets'>): Promise<Report> {
  const { asOf, evaluations } = await evaluateBudgets(ledger, o);
  const rows: Row[] = [];
  for (const e of evaluations) {
    const to = e.data_through ? addDays(e.data_through, 1) : e.period.start;
    const top = await topContributors(ledger, e.budget, o.costBasis, e.period, to, e.currency);
    const split = await varianceSplit(ledger, e, o.costBasis);
    rows.push({
      budget: e.budget.name, scope: scopeText(e.budget.scope), measure: e.budget.measure, period: periodText(e),
      period_start: e.period.start, period_end: addDays(e.period.end, -1), places: e.budget.measure === 'cost' ? 2 : 0,
      currency: e.budget.measure === 'cost' ? e.currency : null,
      amount: e.budget.amount, spent: e.spent, percent_used: e.percent_used, burn_recent: e.burn_recent, burn_period: e.burn_period,
      days_left: e.days_left, projected: e.projected.text.point, lo80: e.projected.text.lo80, hi80: e.projected.text.hi80,
      lo95: e.projected.text.lo95, hi95: e.projected.text.hi95, exhaustion_date: e.exhaustion_date, status: e.status,
      data_through: e.data_through, reason: e.reason, method: e.method,
      top_features: top.feature, top_models: top.model, top_token_types: top.token_type,
      change: split?.change ?? null, volume: split?.volume ?? null, intensity: split?.intensity ?? null, rate: split?.rate ?? null,
    });
  }
  const configured = (ledger.config.budgets ?? []).length;
  const throughs = [...new Set(evaluations.map((e) => e.data_through ?? 'no data'))].sort();
  return {
    name: 'budgets',
    title: `Budgets as of ${asOf}, data through ${throughs.join(' / ') || '(no budgets)'} (${o.costBasis} cost)`,
    meta: { ...baseMeta(o), as_of: asOf },
    columns: [
      { key: 'budget', label: 'Budget', kind: 'text' },
      { key: 'scope', label: 'Scope', kind: 'text', secondary: true },
      { key: 'measure', label: 'Measure', kind: 'text', secondary: true },
      { key: 'period', label: 'Period', kind: 'text' },
      { key: 'period_start', label: 'From', kind: 'text', secondary: true, group: 'span' },
      { key: 'period_end', label: 'To', kind: 'text', secondary: true, group: 'span' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'amount', label: 'Amount', kind: 'money', placesKey: 'places' },
      { key: 'spent', label: 'Spent', kind: 'money', placesKey: 'places' },
      { key: 'percent_used', label: 'Used', kind: 'percent' },
      { key: 'burn_recent', label: 'Burn/day 7d', kind: 'money', placesKey: 'places', secondary: true },
      { key: 'burn_period', label: 'Burn/day period', kind: 'money', placesKey: 'places', secondary: true },
      { key: 'days_left', label: 'Days left', kind: 'int', secondary: true },
      { key: 'projected', label: 'Projected', kind: 'money', placesKey: 'places' },
      { key: 'lo80', label: '80% low', kind: 'money', placesKey: 'places', secondary: true },
      { key: 'hi80', label: '80% high', kind: 'money', placesKey: 'places', secondary: true },
      { key: 'lo95', label: '95% low', kind: 'money', placesKey: 'places', secondary: true },
      { key: 'hi95', label: '95% high', kind: 'money', placesKey: 'places', secondary: true },
      { key: 'exhaustion_date', label: 'Runs out', kind: 'text' },
      { key: 'status', label: 'Status', kind: 'text' },
      { key: 'data_through', label: 'Data through', kind: 'text', secondary: true },
      { key: 'reason', label: 'Why unknown', kind: 'text', secondary: true },
      { key: 'method', label: 'Forecast', kind: 'text', secondary: true },
      { key: 'top_features', label: 'Top features', kind: 'text', secondary: true },
      { key: 'top_models', label: 'Top models', kind: 'text', secondary: true },
      { key: 'top_token_types', label: 'Top token types', kind: 'text', secondary: true },
      { key: 'change', label: 'Change vs prev', kind: 'money', secondary: true },
      { key: 'volume', label: 'Volume', kind: 'money', secondary: true },
      { key: 'intensity', label: 'Intensity', kind: 'money', secondary: true },
      { key: 'rate', label: 'Rate', kind: 'money', secondary: true },
    ],
    rows,
    notes: configured ? [
      // why a budget is unknown, under any table width (the column is among the first a narrow terminal leaves out)
      ...rows.filter((x) => x.status === 'unknown').map((x) => `${String(x.budget)} ${String(x.period)}: status unknown, ` +
        `${String(x.reason ?? 'no reason given')}.`),
      'Status: breached (spent >= amount), forecast breach (projected >= amount), warn (an actual threshold crossed), ok; unknown when ' +
        'the data is stale, has gaps or no data reached the period: then the figures so far are shown but not judged.',
      'Projected = spent (exact) + forecast of the days left (src/forecast: method per budget by backtest), 80/95 % intervals; ' +
        'amounts of token budgets are tokens.',
      'Change vs prev (month cost budgets on feature / team / environment / cost center scopes): the variance engine\'s split of the ' +
        'month against the one before (a month in progress is month to date).',
    ] : ['No budgets in tokenledger.yaml: add a budgets: list (see `tokenledger init`).'],
  };
}

/**
 * The period as a table reads it: a rolling window always ends on the day judged (the title's "as of"),
 * so it is "last 30d", with its first and last day in From / To (JSON, CSV, --wide).
 */
function periodText(e: BudgetEvaluation): string {
  return typeof e.budget.period === 'object' ? `last ${e.budget.period.rolling_days}d` : e.period.label;
}

const SCOPE_KEYS = { feature: 'features', team: 'teams', environment: 'environments', cost_center: 'costCenters' } as const;

interface Split { change: string; volume: string; intensity: string; rate: string }

/**
 * A month cost budget's change against the month before, split by the variance engine on the Ledger cut
 * to the budget's scope (feature / team / environment / cost center, intersected with the reader's
 * scope); null for other budgets.
 */
async function varianceSplit(ledger: Ledger, e: BudgetEvaluation, costBasis: CostBasis): Promise<Split | null> {
  const b = e.budget;
  if (b.measure !== 'cost' || b.period !== 'month' || !e.currency || e.status === 'unknown') return null;
  const scope: Scope = { ...ledger.scope };
  for (const [dim, values] of Object.entries(b.scope)) {
    const key = SCOPE_KEYS[dim as keyof typeof SCOPE_KEYS];
    if (!key) return null;
    const mine = scope[key];
    scope[key] = mine ? values.filter((v) => mine.includes(v)) : values;
  }
  const month = e.period.label;
  const scoped = new Ledger(ledger.store, ledger.config, scope);
  const r = await variance(scoped, { report: 'variance', month, vs: addMonths(month, -1), unit: null, costBasis,
    period: { from: `${addMonths(month, -1)}-01`, to: `${addMonths(month, 1)}-01`, label: month }, today: e.data_through ?? month,
    allowIncomplete: true });
  const total = r.rows.find((x) => x.unit === 'TOTAL' && x.currency === e.currency);
  if (!total) return null;
  // the rate column of the variance report takes the rounding; shared and outside units are part of the change too
  return { change: String(total.change), volume: String(total.volume), intensity: String(total.intensity), rate: String(total.rate) };
}
