/**
 * The dashboard's pages: server-rendered HTML over the same reports the API answers (callerReport and
 * callerExplain, so the caller's role and scope apply exactly as they do to the API), charts as inline
 * SVG (charts.ts). The URL holds the state: month, cost basis, currency and each page's own choices;
 * every figure links down to its explain, and explain rows name billing files and lines.
 *
 *   /                overview: data status, invoice total, spend, AI share, days not billed yet (estimated), the bridge, trends
 *   /cost-per-token  model x token type x tier, cost per 1M tokens, daily trend
 *   /allocation      by feature / team / environment / cost center, unallocated with its reasons
 *   /unit-economics  cost per unit and per successful unit by class, trend over months
 *   /variance        month against month: a zero-based waterfall per unit type
 *   /reconciliation  per invoice, and the figures' chain;   /data-quality   coverage and ingestions
 *   /explain/<kind>  the explain chain;   /access-log (admin)
 */
import type { MonthFigures } from '../domain/figures.js';
import { figuresReport, unallocatedParts } from '../report/bridge.js';
import { isScoped } from '../ledger/scope.js';
import type { Report } from '../report/render.js';
import type { ReportName } from '../report/request.js';
import type { Row } from '../store/db.js';
import { callerExplain, callerReport, errorAnswer, Refusal, type Answer, type Backend } from './api.js';
import { html, Html } from './html.js';
import { mayOpen, PAGES, shell } from './layout.js';
import { SCOPE_PARAMS, ScopeParamError, type QueryOptions } from './params.js';
import { mayAdminister, mayLabel, mayReport } from './policy.js';
import type { Caller } from './principals.js';
import { estimatedPart } from './estimated.js';
import { cards, filterForm, link, notes, reportTable, statusBanner, type DataStatusMeta, type Field,
  type TableOptions } from './widgets.js';

/**
 * The chart module (Observable Plot over jsdom) is loaded on first use, not at start: jsdom is the
 * slowest import of the server, and the server must be listening well under a second after it starts.
 * `tokenledger serve` warms it right after it listens.
 */
let chartModule: typeof import('./charts.js') | null = null;
export async function loadCharts(): Promise<typeof import('./charts.js')> {
  chartModule ??= await import('./charts.js');
  return chartModule;
}
const barChart: typeof import('./charts.js').barChart = (...a) => chartModule!.barChart(...a);
const lineChart: typeof import('./charts.js').lineChart = (...a) => chartModule!.lineChart(...a);
const waterfall: typeof import('./charts.js').waterfall = (...a) => chartModule!.waterfall(...a);

interface PageContext {
  b: Backend;
  caller: Caller;
  q: URLSearchParams;
  /** The month shown: ?month=, else the latest billing period in the ledger. */
  month: string;
  months: string[];
  cost: string | undefined;
  currency: string | undefined;
}

const num = (v: unknown) => Number(v ?? 0);
const money = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function base(p: PageContext, extra: QueryOptions = {}): QueryOptions {
  return { month: p.month, ...(p.cost ? { cost: p.cost } : {}), ...extra };
}

function commonFields(p: PageContext): Field[] {
  return [
    { name: 'month', label: 'Month', value: p.month, choices: [...p.months].reverse() },
    { name: 'cost', label: 'Cost basis', value: p.cost ?? '', choices: ['', 'effective', 'billed'] },
    { name: 'currency', label: 'Currency', value: p.currency ?? '', choices: ['', 'USD', 'EUR', 'GBP'] },
  ];
}

const figuresOf = (r: Report) => (r.meta.figures ?? []) as unknown as MonthFigures[];
const statusOf = (r: Report) => r.meta.data_status as unknown as DataStatusMeta | undefined;

/**
 * Under a scope the chain starts at the scope's share of each invoice line, and the shared platform and
 * overhead costs the sharing rules spread to it (billed on lines outside the scope) come in as their own
 * step, so the chain ends at the scope's spend and adds up like the company's.
 */
const scopedNote = html`<p class="notes">Your figures are your scope's share of each invoice line, plus the shared platform and
overhead costs spread to your features by the sharing rules (billed on lines outside your scope), less shared pools of your own
resources that the rules spread to others.</p>`;

async function overview(p: PageContext): Promise<Html> {
  const [summary, allocation, daily, estimated] = await Promise.all([
    callerReport(p.b, p.caller, 'summary', p.cost ? { cost: p.cost } : {}),
    callerReport(p.b, p.caller, 'allocation', base(p, { by: ['feature'] })),
    callerReport(p.b, p.caller, 'cost-per-token', base(p, { by: ['day'] })),
    estimatedPart(p.b, p.caller, { month: p.month, latest: !p.months.length || p.month === p.months.at(-1), cost: p.cost,
      currency: p.currency }),
  ]);
  const figures = figuresOf(allocation).filter((f) => !p.currency || f.currency === p.currency);
  const share = summary.rows.filter((r) => r.billing_period === p.month && (!p.currency || r.currency === p.currency));
  const scoped = isScoped(p.caller.scope);
  const headline = figures.flatMap((f) => [
    { label: scoped ? 'Invoice total (your share)' : 'Invoice total', value: f.invoice_total, currency: f.currency,
      id: `invoice_total-${f.currency}` },
    { label: `Spend (${f.cost_basis})`, value: f.spend, currency: f.currency, id: `spend-${f.currency}` },
    { label: 'Allocated to features', value: f.allocated, currency: f.currency, id: `allocated-${f.currency}` },
    ...(scoped ? [{ label: 'Shared costs spread to you', value: f.shared_spread, currency: f.currency, id: `shared_spread-${f.currency}` }]
      : []),
    { label: 'Unallocated', value: f.unallocated, currency: f.currency, id: `unallocated-${f.currency}` },
  ]);
  const ai = share.map((r) => ({ label: 'AI share of spend', value: String(r.ai_share_pct ?? 0), currency: String(r.currency),
    id: `ai_share-${String(r.currency)}`, kind: 'percent' as const }));
  const monthly = summary.rows.filter((r) => !p.currency || r.currency === p.currency).flatMap((r) => [
    { x: String(r.billing_period), y: num(p.cost === 'billed' ? r.billed_cost : r.effective_cost),
      series: `all spend (${String(r.currency)})` },
    { x: String(r.billing_period), y: num(r.ai_cost), series: `AI spend (${String(r.currency)})` },
  ]);
  const perDay = new Map<string, number>();
  for (const r of daily.rows) {
    if (!p.currency || r.currency === p.currency) perDay.set(String(r.day), (perDay.get(String(r.day)) ?? 0) + num(r.cost));
  }
  const currency = figures[0]?.currency ?? 'USD';
  // the days the invoice has not reached, on the same axis (one currency: the chart's)
  const estimatedSeries = `estimated, not billed yet (${currency})`;
  const estimatedDays = estimated.days.filter((d) => d.currency === currency).map((d) => ({ x: d.day, y: num(d.cost),
    series: estimatedSeries }));
  return html`${statusBanner(statusOf(allocation))}
${filterForm('/', commonFields(p))}
${cards([...headline, ...ai, ...estimated.cards])}
${estimated.section}
<h2>From the invoice to the month's spend${scoped ? ' (your share)' : ''}</h2>${scoped ? scopedNote : null}
${reportTable(figuresReport(figures), { only: ['currency', 'step', 'figure', 'amount', 'definition'] })}
${notes(figuresReport(figures).notes)}
${lineChart(scoped ? 'Your share of invoice lines by billing period (all and AI), from zero; the shared costs spread to you are in '
    + 'the cards and the chain above, not in this chart' : 'Spend by billing period (all and AI), from zero', monthly,
  `cost (${currency})`)}
${lineChart(estimatedDays.length ? `AI token cost per day, ${p.month}: billed, then the days not billed yet estimated from telemetry `
    + '(dashed)' : `AI token cost per day, ${p.month}`,
  [...[...perDay].sort().map(([x, y]) => ({ x, y, series: `token cost (${currency})` })), ...estimatedDays],
  `cost (${currency})`, { dashed: [estimatedSeries] })}
<h2>Where it went: allocation by feature</h2>
${barChart(`Cost by feature, ${p.month} (click a feature in the table for its billing rows)`,
    allocation.rows.filter((r) => !p.currency || r.currency === p.currency).map((r) => ({ label: String(r.key), value: num(r.cost) })),
    `cost (${currency})`, { format: money })}
${reportTable(allocation, { currency: p.currency, link: (r) => explainLink(p, 'allocation', { feature: String(r.key) }) })}`;
}

function explainLink(p: PageContext, kind: string, params: Record<string, string>): string {
  return link(`/explain/${kind}`, { ...params, month: p.month, cost: p.cost });
}

async function costPerToken(p: PageContext): Promise<Html> {
  const [r, daily] = await Promise.all([callerReport(p.b, p.caller, 'cost-per-token', base(p)),
    callerReport(p.b, p.caller, 'cost-per-token', base(p, { by: ['day'] }))]);
  const rows = r.rows.filter((x) => !p.currency || x.currency === p.currency);
  const points = daily.rows.filter((x) => !p.currency || x.currency === p.currency).map((x) => ({ x: String(x.day),
    y: num(x.cost_per_1m_tokens), series: `${String(x.model)} ${String(x.token_type)} ${String(x.tier)}` }));
  return html`${statusBanner(statusOf(r))}${filterForm('/cost-per-token', commonFields(p))}
${barChart(`Cost per 1M tokens by model, token type and tier, ${p.month}`,
    rows.map((x) => ({ label: `${String(x.model)} · ${String(x.token_type)} · ${String(x.tier)}`, value: num(x.cost_per_1m_tokens) })),
    `cost per 1M tokens (${String(rows[0]?.currency ?? '')})`, { format: (v) => v.toPrecision(4) })}
${reportTable(r, { currency: p.currency, link: (x) => explainLink(p, 'cost-per-token', { model: String(x.model),
    'token-type': String(x.token_type) }) })}
${lineChart(`Cost per 1M tokens per day, ${p.month}`, points, 'cost per 1M tokens')}
${notes(r.notes)}`;
}

const ALLOCATION_BY = ['feature', 'team', 'environment', 'cost-center'];

async function allocationPage(p: PageContext): Promise<Html> {
  const by = ALLOCATION_BY.includes(p.q.get('by') ?? '') ? p.q.get('by')! : 'feature';
  const r = await callerReport(p.b, p.caller, 'allocation', base(p, { by: [by] }));
  const figures = figuresOf(r).filter((f) => !p.currency || f.currency === p.currency);
  const reasons = figures.flatMap((f) => unallocatedParts(f).map((x) => ({ currency: f.currency, reason: x.label, amount: x.value })));
  const reasonReport: Report = { name: 'unallocated-reasons', title: 'Unallocated', meta: {}, rows: reasons,
    columns: [{ key: 'currency', label: 'Cur', kind: 'text' }, { key: 'reason', label: 'Why unallocated', kind: 'text' },
      { key: 'amount', label: 'Amount', kind: 'money' }] };
  return html`${statusBanner(statusOf(r))}
${filterForm('/allocation', [...commonFields(p), { name: 'by', label: 'By', value: by, choices: ALLOCATION_BY }])}
${barChart(`Cost by ${by}, ${p.month}`, r.rows.filter((x) => !p.currency || x.currency === p.currency)
    .map((x) => ({ label: String(x.key), value: num(x.cost) })), `cost (${figures[0]?.currency ?? ''})`, { format: money })}
${reportTable(r, { currency: p.currency,
    link: by === 'feature' ? (x) => explainLink(p, 'allocation', { feature: String(x.key) }) : undefined })}
<h2>Unallocated, with the reasons</h2>${reportTable(reasonReport)}${notes(r.notes)}`;
}

async function unitEconomics(p: PageContext): Promise<Html> {
  const unit = p.q.get('unit') || undefined;
  const [r, trend] = await Promise.all([callerReport(p.b, p.caller, 'unit-economics', base(p, unit ? { unit } : {})),
    callerReport(p.b, p.caller, 'unit-economics', { ...(p.cost ? { cost: p.cost } : {}), ...(unit ? { unit } : {}) })]);
  const rows = r.rows.filter((x) => !p.currency || x.currency === p.currency);
  const units = [...new Set(trend.rows.map((x) => String(x.unit)))].sort();
  const classes: Report = { ...r, name: 'unit-classes', columns: r.columns.filter((c) =>
    ['month', 'unit', 'currency', 'token_per_unit', 'gpu_per_unit', 'platform_per_unit', 'overhead_per_unit', 'other_per_unit',
      'cost_per_unit',
      'shared_cost'].includes(c.key)) };
  return html`${statusBanner(statusOf(r))}
${filterForm('/unit-economics', [...commonFields(p), { name: 'unit', label: 'Unit', value: unit ?? '', choices: ['', ...units] }])}
${barChart(`Cost per successful unit, ${p.month}`, rows.map((x) => ({ label: String(x.unit), value: num(x.cost_per_success) })),
    `cost per successful unit (${String(rows[0]?.currency ?? '')})`, { format: (v) => v.toPrecision(4) })}
${reportTable(r, { currency: p.currency, link: (x) => explainLink(p, 'unit-cost', { unit: String(x.unit) }) })}
<h2>Cost per unit by class (shared platform and overhead included)</h2>${reportTable(classes, { currency: p.currency })}
${lineChart('Cost per unit by month', trend.rows.filter((x) => !p.currency || x.currency === p.currency)
    .map((x) => ({ x: String(x.month), y: num(x.cost_per_unit), series: String(x.unit) })), 'cost per unit')}
${notes(r.notes)}`;
}

async function variancePage(p: PageContext): Promise<Html> {
  const vs = p.q.get('vs') || undefined;
  const r = await callerReport(p.b, p.caller, 'variance', base(p, vs ? { vs } : {}));
  const rows = r.rows.filter((x) => !p.currency || x.currency === p.currency);
  const charts = rows.map((x) => waterfall(`${String(x.unit)} (${String(x.currency)}): ${String(r.meta.vs)} to ${p.month}, from zero`, [
    { label: String(r.meta.vs), value: num(x.before), total: true }, { label: 'volume', value: num(x.volume) },
    { label: 'intensity', value: num(x.intensity) }, { label: 'rate', value: num(x.rate) }, { label: 'shared', value: num(x.shared) },
    { label: 'outside units', value: num(x.outside) }, { label: p.month, value: num(x.after), total: true },
  ], `cost (${String(x.currency)})`, money));
  return html`${statusBanner(statusOf(r))}
${filterForm('/variance', [...commonFields(p), { name: 'vs', label: 'Compared with', value: vs ?? String(r.meta.vs), choices: p.months }])}
${charts}${reportTable(r, { currency: p.currency })}${notes(r.notes)}`;
}

async function reconciliation(p: PageContext): Promise<Html> {
  const r = await callerReport(p.b, p.caller, 'reconcile', base(p, { allowIncomplete: true }));
  const figures = figuresOf(r).filter((f) => !p.currency || f.currency === p.currency);
  return html`${statusBanner(statusOf(r))}${filterForm('/reconciliation', commonFields(p))}
${r.meta.draft ? html`<div class="banner warn">DRAFT: the billing period is still open.</div>` : null}
${reportTable(r, { currency: p.currency })}
<h2>The figures' chain</h2>${reportTable(figuresReport(figures), { only: ['currency', 'step', 'figure', 'amount', 'definition'] })}
${notes(r.notes)}`;
}

async function dataQuality(p: PageContext): Promise<Html> {
  const [tags, telemetry, ingestions] = await Promise.all([
    callerReport(p.b, p.caller, 'tag-coverage', base(p, { allowIncomplete: true })),
    callerReport(p.b, p.caller, 'telemetry-coverage', base(p, { allowIncomplete: true })),
    callerReport(p.b, p.caller, 'ingestions', {})]);
  const s = statusOf(tags);
  return html`${statusBanner(s)}${filterForm('/data-quality', commonFields(p))}
${s?.problems.length ? html`<h2>Failing checks</h2><ul>${s.problems.map((x) => html`<li>${x}</li>`)}</ul>` : null}
<h2>Tag coverage</h2>${reportTable(tags, { currency: p.currency })}
<h2>Telemetry coverage</h2>${reportTable(telemetry, { currency: p.currency })}
<h2>Ingestions</h2>${reportTable(ingestions)}`;
}

async function explainPage(p: PageContext, kind: string): Promise<Html> {
  const o: QueryOptions = { month: p.month, ...(p.cost ? { cost: p.cost } : {}) };
  for (const [param, key] of [['feature', 'feature'], ['model', 'model'], ['token-type', 'tokenType'], ['unit', 'unit']] as const) {
    const v = p.q.get(param);
    if (v) (o as Record<string, string>)[key] = v;
  }
  const r = await callerExplain(p.b, p.caller, kind, o);
  return html`<p>${r.title}</p>${reportTable(r)}${notes(r.notes)}
<p><a href="${link(`/api/explain/${kind}`, { ...Object.fromEntries(p.q), format: 'csv' })}">Download as CSV</a></p>`;
}

function accessLogPage(p: PageContext): Html {
  const entries = p.b.log.latest(500) as unknown as Row[];
  const r: Report = { name: 'access-log', title: 'Access log', meta: {}, rows: entries, columns: ['time', 'principal', 'role', 'method',
    'route', 'scope', 'status', 'ms'].map((key) => ({ key, label: key,
    kind: key === 'status' || key === 'ms' ? 'int' as const : 'text' as const })) };
  return html`<p>The latest ${entries.length} requests, newest first (file: ${p.b.log.path}).</p>${reportTable(r)}`;
}

/**
 * A page of one report (budgets, forecasts and the pages later issues add): the data status, the
 * filters (the month unless the report takes none, plus the report's own choices), the table, its notes,
 * and the same report as CSV and JSON. `choices` are query parameters passed to the report as they are.
 */
interface ReportPageChoice { param: string; label: string; option: keyof QueryOptions; values: string[]; list?: true }

interface ReportPageOptions {
  month?: false;
  choices?: ReportPageChoice[];
  /** The columns the page shows (the downloads keep every one), or a function of the page's caller. */
  only?: string[] | ((p: PageContext) => string[]);
  /** Long text columns shown as a line under their row (TableOptions.details). */
  details?: string[];
  chart?: (r: Report, p: PageContext) => Html | null;
  actions?: (p: PageContext) => TableOptions['actions'];
}

function reportPage(path: string, name: ReportName, o: ReportPageOptions = {}): (p: PageContext) => Promise<Html> {
  return async (p) => {
    const chosen: QueryOptions = {};
    for (const c of o.choices ?? []) {
      const v = p.q.get(c.param);
      if (v) (chosen as Record<string, unknown>)[c.option] = c.list ? [v] : v;
    }
    const r = await callerReport(p.b, p.caller, name, { ...(o.month === false ? (p.cost ? { cost: p.cost } : {}) : base(p)), ...chosen });
    const fields: Field[] = [...(o.month === false ? commonFields(p).slice(1) : commonFields(p)),
      ...(o.choices ?? []).map((c) => ({ name: c.param, label: c.label, value: p.q.get(c.param) ?? '', choices: ['', ...c.values] }))];
    const query = Object.fromEntries([...p.q].filter(([k]) => k !== 'currency'));
    return html`${statusBanner(statusOf(r))}${filterForm(path, fields)}
${o.chart?.(r, p) ?? null}
${reportTable(r, { currency: p.currency, ...(o.only ? { only: typeof o.only === 'function' ? o.only(p) : o.only } : {}),
    ...(o.details ? { details: o.details } : {}), actions: o.actions?.(p) })}${notes(r.notes)}
<p class="notes">Download: <a href="${link(`/api/reports/${name}`, { ...query, format: 'csv' })}">CSV</a> ·
<a href="${link(`/api/reports/${name}`, query)}">JSON</a></p>`;
  };
}

/**
 * The label buttons of an anomaly (finance, admin): a POST form to the labelling API (server/labels.ts)
 * with the page's month and cost basis, returning to this page; the current label is pressed.
 */
function labelButtons(p: PageContext, row: Row): Html | null {
  const id = String(row.id ?? '');
  if (!/^[0-9a-f]{12}$/.test(id)) return null;
  const back = link('/anomalies', Object.fromEntries([...p.q]));
  return html`<form class="label" method="post" action="/api/anomalies/${id}/label">
<input type="hidden" name="month" value="${p.month}">${p.cost ? html`<input type="hidden" name="cost" value="${p.cost}">` : null}
<input type="hidden" name="back" value="${back}">${(['yes', 'no', 'planned'] as const).map((l) => html`<button type="submit" name="label"
value="${l}" data-label="${l}" aria-pressed="${row.label === l ? 'true' : 'false'}">${l}</button>`)}</form>`;
}

/** Values summed per label, in first-seen order (a bar per label). */
function sumBy(rows: Row[], label: (r: Row) => string, value: (r: Row) => number): { label: string; value: number }[] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(label(r), (m.get(label(r)) ?? 0) + value(r));
  return [...m].map(([l, v]) => ({ label: l, value: v }));
}

const RENDER: Record<string, (p: PageContext) => Promise<Html> | Html> = {
  '/budgets': reportPage('/budgets', 'budgets', {
    only: ['budget', 'scope', 'period', 'currency', 'amount', 'spent', 'percent_used', 'projected', 'exhaustion_date', 'status',
      'reason'],
    chart: (r) => barChart('Budget used so far, percent of the amount (100 % = the budget)',
      r.rows.map((x) => ({ label: String(x.budget), value: num(x.percent_used) })), 'used (%)'),
  }),
  '/anomalies': reportPage('/anomalies', 'anomalies', {
    // the window is its start and end; root causes and the driver read as a line under their anomaly; the
    // label is the pressed button (a column of its own for viewers, who have no buttons)
    only: (p) => ['id', 'value', 'pattern', 'start', 'end', 'open', 'currency', 'expected', 'actual', 'impact', 'impact_pct', 'score',
      ...(mayLabel(p.caller.role) ? [] : ['label']), 'root_causes', 'driver'],
    details: ['root_causes', 'driver'],
    choices: [
      { param: 'dimension', label: 'Dimension', option: 'dimension', values: ['total', 'feature', 'team', 'model', 'resource', 'token-type',
        'meter'] },
      { param: 'measure', label: 'Measure', option: 'measure', values: ['cost', 'tokens', 'requests'] }],
    chart: (r) => barChart('Impact of each anomaly (actual - expected over its window)',
      r.rows.map((x) => ({ label: `${String(x.value)} ${String(x.start)}`, value: num(x.impact) })), 'impact', { format: money }),
    actions: (p) => (mayLabel(p.caller.role) ? { label: 'Label it', cell: (row) => labelButtons(p, row) } : undefined),
  }),
  '/savings': reportPage('/savings', 'savings', {
    only: ['opportunity', 'feature', 'model', 'deployment', 'currency', 'monthly_combined', 'monthly_alone', 'confidence', 'evidence'],
    chart: (r) => barChart('Monthly savings at stake by opportunity (combined: each lever after the ones before it)',
      sumBy(r.rows, (x) => String(x.opportunity), (x) => num(x.monthly_combined)), `per month (${String(r.rows[0]?.currency ?? 'USD')})`,
      { format: money }),
  }),
  '/ptu-plan': reportPage('/ptu-plan', 'ptu-plan', {
    only: ['deployment', 'model', 'level', 'normalized_tpm', 'ptus', 'utilization_pct', 'spill_tokens_pct', 'currency', 'payg_month',
      'ptu_hourly_month', 'ptu_1y_month', 'spill_month', 'breakeven_1y_pct'],
  }),
  '/capacity': async (p) => html`${await reportPage('/capacity', 'quota', {
    only: ['subscription', 'region', 'family', 'measure', 'limit', 'used', 'headroom', 'pct_used', 'reserved_instances', 'model_available',
      'signal'] })(p)}
<h2>Throughput: TPM / RPM headroom and throttling</h2>${reportTable(await callerReport(p.b, p.caller, 'throughput', base(p)), {
    only: ['region', 'deployment', 'model', 'deployment_type', 'tpm_quota', 'held_tpm', 'tpm_p99', 'tpm_max', 'headroom_tpm',
      'throttled_pct', 'risk', 'reason'] })}
<h2>GPUs: paid, used, idle</h2>${reportTable(await callerReport(p.b, p.caller, 'gpu', base(p)), {
    only: ['resource', 'size', 'gpus', 'currency', 'gpu_hours_paid', 'utilization_pct', 'cost', 'busy_cost', 'held_idle_cost',
      'unallocated_cost', 'reserved_unused_cost', 'idle_cost'] })}
<h2>Capacity reservations: unused slots</h2>${reportTable(await callerReport(p.b, p.caller, 'capacity-reservations', base(p)), {
    only: ['region', 'reservation', 'sku', 'reserved', 'allocated_vms', 'idle_slot_hours', 'currency', 'hourly_price', 'idle_cost'] })}`,
  '/forecast': reportPage('/forecast', 'forecast', {
    chart: (r) => lineChart('Projected cost per month (actual to date + forecast), from zero',
      r.rows.map((x) => ({ x: String(x.month), y: num(x.projected), series: `${String(x.key ?? 'total')} (${String(x.currency)})` })),
      `cost (${String(r.rows[0]?.currency ?? 'USD')})`),
    month: false, choices: [
    { param: 'horizon', label: 'Horizon', option: 'horizon', values: ['1m', '3m', '6m', '90d'] },
    { param: 'by', label: 'By', option: 'by', values: ['feature', 'team', 'model'], list: true }] }),
  '/': overview, '/cost-per-token': costPerToken, '/allocation': allocationPage, '/unit-economics': unitEconomics,
  '/variance': variancePage, '/reconciliation': reconciliation, '/data-quality': dataQuality, '/access-log': accessLogPage,
};

const PAGE_PARAMS = ['month', 'cost', 'currency', 'by', 'unit', 'vs', 'feature', 'model', 'token-type', 'horizon', 'dimension', 'measure'];

async function context(b: Backend, caller: Caller, q: URLSearchParams): Promise<PageContext> {
  for (const k of q.keys()) {
    if (SCOPE_PARAMS.includes(k.toLowerCase()) && k !== 'currency') throw new ScopeParamError(k);
    if (!PAGE_PARAMS.includes(k)) throw new Refusal(400, `unknown parameter ${k}`);
  }
  const summary = await callerReport(b, caller, 'summary', {});
  const months = [...new Set(summary.rows.map((r) => String(r.billing_period)))].sort();
  const month = q.get('month') || months[months.length - 1] || new Date(b.fx.now()).toISOString().slice(0, 7);
  return { b, caller, q, month, months, cost: q.get('cost') || undefined, currency: q.get('currency') || undefined };
}

/** A page for the caller: 200 with the page, 403 outside the role, 400 for bad filters (in the page frame). */
export async function pageAnswer(b: Backend, caller: Caller, path: string, q: URLSearchParams, o: { signedIn: boolean }): Promise<Answer> {
  const explain = /^\/explain\/([a-z-]+)$/.exec(path);
  const spec = PAGES.find((x) => x.path === path);
  if (!spec && !explain) return { status: 404, type: 'text/html; charset=utf-8', body: page(b, caller, 'Not found', path, o,
    html`<p>No such page.</p>`) };
  const title = spec?.title ?? `Explain ${explain![1]!}`;
  try {
    if (spec && !mayOpen(caller.role, spec)) throw new Refusal(403, `${spec.title} is not open to the ${caller.role} role`);
    if (spec?.admin && !mayAdminister(caller.role)) throw new Refusal(403, 'admin only');
    const [p] = await Promise.all([context(b, caller, q), loadCharts()]);
    const body = explain ? await explainPage(p, explain[1]!) : await RENDER[spec!.path]!(p);
    return { status: 200, type: 'text/html; charset=utf-8', body: page(b, caller, title, path, o, body) };
  } catch (e) {
    const a = errorAnswer(e, caller, b.fx);
    const message = (JSON.parse(a.body) as { error: string; hint?: string });
    return { ...a, type: 'text/html; charset=utf-8', body: page(b, caller, title, path, o,
      html`<div class="banner bad" role="alert">${message.error}</div>
${message.hint ? html`<p class="notes">${message.hint}</p>` : null}`) };
  }
}

/** A refusal in the page frame (a label button's POST that was refused). */
export function refusedPage(b: Backend, caller: Caller, title: string, path: string, o: { signedIn: boolean }, error: string): Html {
  return new Html(page(b, caller, title, path, o, html`<div class="banner bad" role="alert">${error}</div>
<p><a href="${path}">Back</a></p>`));
}

function page(b: Backend, caller: Caller, title: string, path: string, o: { signedIn: boolean }, body: Html): string {
  return shell({ title, path, caller, signedIn: o.signedIn, body: html`${watchBanner(b, caller)}${body}` }).text;
}

/** `serve --watch`: for finance and admin, the folder's last ingest, and every export that failed (never half-applied). */
function watchBanner(b: Backend, caller: Caller): Html | null {
  if (!b.watch || !mayReport(caller.role, 'ingestions')) return null;
  const s = b.watch.status();
  const last = s.last_ingest;
  const failures = s.failures.map((f) =>
    html`<li><code>${f.export}</code> (${f.at.slice(0, 16).replace('T', ' ')} UTC): ${f.message}</li>`);
  return html`<div class="banner ${s.failures.length ? 'bad' : 'ok'}" role="status" id="watch">Watching <code>${s.dir}</code> every
${s.interval_seconds} s: ${s.ingested} export(s) ingested${last ? html`; last ingest ${last.at.slice(0, 16).replace('T', ' ')} UTC: ${
  last.code === 0 ? 'ingested' : 'failed'}` : null}.${failures.length ? html` These exports were refused and left the store as it was; fix
them and they are tried again:<ul>${failures}</ul>` : null}</div>`;
}
