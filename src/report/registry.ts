/**
 * The reports `tokenledger report <name>` (and the web API) know, in one table: what each is, which
 * parameters it takes, how they become its typed request, and the function that answers it. Adding a
 * report means adding a line here. Parameters are what a user types (strings); the request is checked
 * once, here, with the same messages for the command line and the API. Each report's code is imported when
 * it runs, so that a command loads only the report it answers (the start of a process is most of a small report's time).
 */
import { ALLOCATION_DIMENSIONS } from '../domain/allocation.js';
import { UsageError } from '../domain/errors.js';
import { addMonths } from '../domain/month.js';
import { isWholeMonth, parseMonth } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { BY_DIMENSIONS, validateBy } from './cost-per-token.js';
import type { Report } from './render.js';
import { CHARGEBACK_KEYS, type ChargebackBy, type ReportName, type RequestBase, type RequestOf } from './request.js';
import { parseHorizon } from './horizon.js';
import { ANOMALY_DIMENSIONS, type AnomalyDimension } from '../anomalies/series.js';

/** Report parameters as typed (command-line flags, query parameters): strings, lists, switches. */
export interface ReportParams {
  by?: string[] | undefined;
  threshold?: string | undefined;
  all?: boolean | undefined;
  unit?: string | undefined;
  vs?: string | undefined;
  responseLength?: string | undefined;
  retries?: string | undefined;
  model?: string | undefined;
  horizon?: string | undefined;
  deployment?: string | undefined;
  dimension?: string | undefined;
  measure?: string | undefined;
  reconcile?: boolean | undefined;
}

export interface ReportSpec<N extends ReportName> {
  describe: string;
  /** Accepts --by (the values, for help). */
  by?: string[];
  /** Reports on the ingestion log itself carry no data status. */
  noDataStatus?: true;
  /** The report judges stale or incomplete data itself (budgets: status unknown) instead of being refused. */
  judgesData?: true;
  request: (base: RequestBase, p: ReportParams) => RequestOf<N>;
  run: (ledger: Ledger, r: RequestOf<N>) => Promise<Report>;
}

/** "+20%", "-5%", "20%", "+20" -> 0.2, -0.05, 0.2, 0.2; a bare "20" is refused. */
export function parsePercent(flag: string, v: string | undefined): number {
  if (v === undefined) return 0;
  // a change needs its sign or its % sign: a bare 20 could mean 20 % or "20 tokens"
  const m = /^\s*(?:([+-]\d+(?:\.\d+)?)\s*%?|(\d+(?:\.\d+)?)\s*%)\s*$/.exec(v);
  if (!m) throw new UsageError(`${flag} ${v}: expected a change in percent such as +20% or -10%`);
  const x = Number(m[1] ?? m[2]) / 100;
  if (x <= -1) throw new UsageError(`${flag} ${v}: must be more than -100%`);
  return x;
}

function oneBy(p: ReportParams, fallback: string | undefined, message: string): string {
  const by = p.by ?? [];
  if (by.length > 1 || (!by.length && fallback === undefined)) throw new UsageError(message);
  return by[0] ?? fallback!;
}

function noBy(name: string, p: ReportParams): void {
  if (p.by?.length) throw new UsageError(`report ${name} does not take --by`);
}

function plain<N extends ReportName>(name: N): (base: RequestBase, p: ReportParams) => RequestOf<N> {
  return (base, p) => {
    noBy(name, p);
    return { ...base, report: name } as RequestOf<N>;
  };
}

/** The month of a report that needs exactly one (`message` says how to ask for it). */
function wholeMonth(base: RequestBase, message: string): string {
  if (!isWholeMonth(base.period)) throw new UsageError(message);
  return base.period.label;
}

type Registry = { [N in ReportName]: ReportSpec<N> };

export const REPORTS: Registry = {
  'cost-per-token': {
    describe: 'tokens, cost and cost per 1M tokens by provider, model, token type, tier, scope, currency',
    by: Object.keys(BY_DIMENSIONS),
    request: (base, p) => ({ ...base, report: 'cost-per-token', by: validateBy(p.by ?? [], BY_DIMENSIONS) }),
    run: (l, r) => import('./cost-per-token.js').then((m) => m.costPerToken(l, r)),
  },
  'meter-matrix': { describe: 'meter category > subcategory > meter: cost, consumed quantity, unit cost', request: plain('meter-matrix'),
    run: (l, r) => import('./meter-matrix.js').then((m) => m.meterMatrix(l, r)) },
  summary: { describe: 'billed and effective cost per billing period and currency, AI share of spend', request: plain('summary'),
    run: (l, r) => import('./summary.js').then((m) => m.summary(l, r)) },
  'token-kpis': {
    describe: 'requests, prompt tokens p50/p95/p99 per request, output per request, cached share, cost per 1K requests, p95 week over week',
    by: ['feature', 'model'],
    request: (base, p) => {
      const by = oneBy(p, 'feature', 'report token-kpis takes --by feature or --by model');
      if (by !== 'feature' && by !== 'model') throw new UsageError('report token-kpis takes --by feature or --by model');
      return { ...base, report: 'token-kpis', by };
    },
    run: (l, r) => import('./token-kpis.js').then((m) => m.tokenKpis(l, r)),
  },
  'token-drift': {
    describe: 'billed vs telemetry tokens per day, resource, model, token type; flags above --threshold %',
    request: (base, p) => {
      noBy('token-drift', p);
      const threshold = p.threshold === undefined ? 5 : Number(p.threshold);
      if (!Number.isFinite(threshold) || threshold < 0 || p.threshold?.trim() === '') {
        throw new UsageError(`--threshold ${p.threshold}: expected a percentage such as 5`);
      }
      return { ...base, report: 'token-drift', threshold, all: Boolean(p.all) };
    },
    run: (l, r) => import('./token-drift.js').then((m) => m.tokenDrift(l, r)),
  },
  'tag-coverage': { describe: 'share of spend carrying each allocation tag, and the biggest untagged resources',
    request: plain('tag-coverage'), run: (l, r) => import('./coverage.js').then((m) => m.tagCoverage(l, r)) },
  'telemetry-coverage': { describe: 'share of AI token spend explained by telemetry, per model, with the days missing',
    request: plain('telemetry-coverage'), run: (l, r) => import('./coverage.js').then((m) => m.telemetryCoverage(l, r)) },
  unclassified: { describe: 'AI-looking meters the rules could not classify, with cost and an example row', request: plain('unclassified'),
    run: (l, r) => import('./unclassified.js').then((m) => m.unclassified(l, r)) },
  allocation: {
    describe: 'cost per feature, team, environment, cost center or tag, with __unallocated__ (needs --by)',
    by: [...Object.keys(ALLOCATION_DIMENSIONS), '<tag>'],
    request: (base, p) => ({
      ...base, report: 'allocation',
      by: oneBy(p, undefined, 'report allocation needs exactly one --by: feature, team, environment, cost-center, or a resource tag name'),
    }),
    run: (l, r) => import('./allocation.js').then((m) => m.allocation(l, r)),
  },
  ingestions: { describe: 'what was ingested, replaced and skipped, and when', noDataStatus: true, request: plain('ingestions'),
    run: (l) => import('./ingestions.js').then((m) => m.ingestions(l)) },
  'unit-economics': {
    describe: 'per unit type and month: units, success rate, tokens and cost per unit by class, cost per successful unit',
    request: (base, p) => {
      noBy('unit-economics', p);
      return { ...base, report: 'unit-economics', unit: p.unit ?? null };
    },
    run: (l, r) => import('./unit-economics.js').then((m) => m.unitEconomics(l, r)),
  },
  sensitivity: {
    describe: 'cost per unit before and after --response-length, --retries, --model',
    request: (base, p) => {
      noBy('sensitivity', p);
      const scenario = { responseLength: parsePercent('--response-length', p.responseLength), retries: parsePercent('--retries', p.retries),
        model: p.model ?? null };
      return { ...base, report: 'sensitivity', unit: p.unit ?? null, scenario };
    },
    run: (l, r) => import('./sensitivity.js').then((m) => m.sensitivity(l, r)),
  },
  chargeback: {
    describe: 'showback per team or cost center with shares of platform and overhead (--by)',
    by: Object.keys(CHARGEBACK_KEYS),
    request: (base, p) => {
      const by = oneBy(p, 'team', `report chargeback takes one --by: ${Object.keys(CHARGEBACK_KEYS).join(', ')}`);
      if (!(by in CHARGEBACK_KEYS))
        throw new UsageError(`report chargeback takes --by team, cost-center, feature or environment (got ${by})`);
      return { ...base, report: 'chargeback', by: by as ChargebackBy };
    },
    run: (l, r) => import('./chargeback.js').then((m) => m.chargeback(l, r)),
  },
  reconcile: {
    describe: 'per invoice: total = allocated + shared + unallocated to the cent, corrections, bridge to effective (--month)',
    request: (base, p) => {
      noBy('reconcile', p);
      return { ...base, report: 'reconcile', month: wholeMonth(base, 'report reconcile needs --month YYYY-MM (the billing period)') };
    },
    run: (l, r) => import('./reconcile.js').then((m) => m.reconcile(l, r)),
  },
  'shared-costs': { describe: 'each shared platform / overhead pool, the rule that spread it, to which features, on what basis',
    request: plain('shared-costs'), run: (l, r) => import('./shared-costs.js').then((m) => m.sharedCosts(l, r)) },
  variance: {
    describe: 'change vs --vs month: volume, intensity, rate, shared, outside units (--month)',
    request: (base, p) => {
      noBy('variance', p);
      const month = wholeMonth(base, 'report variance needs --month YYYY-MM (and optionally --vs YYYY-MM, default the month before)');
      const vs = p.vs === undefined ? addMonths(month, -1) : parseMonth('--vs', p.vs).label;
      if (vs === month) throw new UsageError('--vs must be another month than --month');
      return { ...base, report: 'variance', month, vs, unit: p.unit ?? null };
    },
    run: (l, r) => import('./variance.js').then((m) => m.variance(l, r)),
  },
  forecast: {
    describe: 'cost forecast per month of --horizon (3m, 90d), total or --by feature|team|model, 80/95 % intervals, backtest accuracy',
    by: ['feature', 'team', 'model'],
    request: (base, p) => {
      const by = p.by?.length ? oneBy(p, undefined, 'report forecast takes one --by: feature, team or model') : null;
      if (by !== null && by !== 'feature' && by !== 'team' && by !== 'model')
        throw new UsageError(`report forecast takes --by feature, team or model (got ${by})`);
      if (base.period.from || base.period.to)
        throw new UsageError('report forecast takes no --month/--from/--to: it forecasts from the last complete day of data (--horizon)');
      if (p.reconcile && by) throw new UsageError('report forecast --reconcile is per currency: it takes no --by');
      return { ...base, report: 'forecast', horizon: parseHorizon(p.horizon), by, reconcile: p.reconcile === true };
    },
    run: (l, r) => import('./forecast.js').then((m) => m.forecastReport(l, r)),
  },
  budgets: {
    describe: 'each budget of tokenledger.yaml: spent, % used, burn rates, projection with interval, exhaustion date, status (--month)',
    judgesData: true,
    request: (base, p) => {
      noBy('budgets', p);
      if ((base.period.from || base.period.to) && !isWholeMonth(base.period))
        throw new UsageError('report budgets takes --month YYYY-MM (the budgets\' periods containing that month\'s end), not --from/--to');
      return { ...base, report: 'budgets', month: isWholeMonth(base.period) ? base.period.label : null };
    },
    run: (l, r) => import('./budgets.js').then((m) => m.budgetsReport(l, r)),
  },
  quota: { describe: 'limit, used, headroom per subscription x region x family (GPU first), Quota Groups, reservations, model capacity',
    noDataStatus: true, request: plain('quota'), run: (l, r) => import('./quota.js').then((m) => m.quota(l, r)) },
  'capacity-reservations': { describe: 'per capacity reservation: reserved, allocated, idle slot-hours, the dollars of unused reservation',
    request: plain('capacity-reservations'),
    run: (l, r) => import('./capacity-reservations.js').then((m) => m.capacityReservations(l, r)) },
  gpu: {
    describe: 'GPU-hours paid, utilization, idle GPU cost: unallocated / held but idle (below --threshold %, default 5) / reserved unused',
    by: ['vm', 'job'],
    request: (base, p) => {
      const by = oneBy(p, 'vm', 'report gpu takes --by vm (the default) or --by job');
      if (by !== 'vm' && by !== 'job') throw new UsageError('report gpu takes --by vm (the default) or --by job');
      const t = p.threshold === undefined ? 5 : Number(p.threshold);
      if (!Number.isFinite(t) || t < 0 || t > 100 || p.threshold?.trim() === '')
        throw new UsageError(`--threshold ${p.threshold}: expected the engine activity (%) below which a held GPU is idle, such as 5`);
      return { ...base, report: 'gpu', idleThreshold: t / 100, by };
    },
    run: (l, r) => import('./gpu.js').then((m) => m.gpu(l, r)),
  },
  throughput: { describe: 'Azure OpenAI TPM / RPM quota, deployments, per-minute peaks p95/p99/max, headroom, 429 share, throttling risk',
    noDataStatus: true, request: plain('throughput'), run: (l, r) => import('./throughput.js').then((m) => m.throughput(l, r)) },
  prices: {
    describe: 'the price per 1M tokens used for each model x deployment type x token type, and where it came from (--all: whole catalog)',
    request: (base, p) => {
      noBy('prices', p);
      return { ...base, report: 'prices', all: Boolean(p.all) };
    },
    run: (l, r) => import('./prices.js').then((m) => m.prices(l, r)),
  },
  'ptu-plan': {
    describe: 'provisioned throughput from measured per-minute traffic: PTUs at p50/p95/p99/max, cost, spillover, break-even ' +
      '(--model, --deployment)',
    request: (base, p) => {
      noBy('ptu-plan', p);
      return { ...base, report: 'ptu-plan', model: p.model ?? null, deployment: p.deployment ?? null };
    },
    run: (l, r) => import('./ptu-plan.js').then((m) => m.ptuPlan(l, r)),
  },
  savings: {
    describe: 'one row per savings opportunity (caching, batch, deployment type, right-sizing, concision, idle PTU) in monthly dollars',
    request: (base, p) => {
      noBy('savings', p);
      if (base.period.from !== null && !isWholeMonth(base.period)) {
        throw new UsageError('report savings takes --month YYYY-MM (default: the last month billed)');
      }
      return { ...base, report: 'savings', month: base.period.from === null ? null : base.period.label };
    },
    run: (l, r) => import('./savings.js').then((m) => m.savings(l, r)),
  },
  estimate: {
    describe: 'estimated cost of days with telemetry and no billing yet, per feature and model, with the estimate\'s accuracy ' +
      'on billed days',
    request: plain('estimate'),
    run: (l, r) => import('./estimate.js').then((m) => m.estimate(l, r)),
  },
  anomalies: {
    describe: 'daily anomalies of cost (or --measure tokens, requests) per --dimension value: impact, root causes, driver',
    request: (base, p) => {
      noBy('anomalies', p);
      const dimension = p.dimension ?? 'feature';
      if (!(ANOMALY_DIMENSIONS as readonly string[]).includes(dimension)) {
        throw new UsageError(`--dimension ${dimension}: expected one of ${ANOMALY_DIMENSIONS.join(', ')}`);
      }
      const measure = p.measure ?? 'cost';
      if (measure !== 'cost' && measure !== 'tokens' && measure !== 'requests') {
        throw new UsageError(`--measure ${measure}: expected cost, tokens or requests`);
      }
      return { ...base, report: 'anomalies', dimension: dimension as AnomalyDimension, measure };
    },
    run: (l, r) => import('./anomalies.js').then((m) => m.anomalies(l, r)),
  },
};

export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

export function isReportName(name: string): name is ReportName {
  return Object.hasOwn(REPORTS, name);
}

/** Build the typed request of a report from its parameters (the one place they are checked). */
export function reportRequest<N extends ReportName>(name: N, base: RequestBase, p: ReportParams): RequestOf<N> {
  return REPORTS[name].request(base, p);
}

/** Answer a typed request. */
export function runRequest<N extends ReportName>(ledger: Ledger, r: RequestOf<N>): Promise<Report> {
  return (REPORTS[r.report as N] as ReportSpec<N>).run(ledger, r);
}
