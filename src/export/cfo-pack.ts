/**
 * The CFO pack's content, once, for both writers (cfo-xlsx.ts, cfo-html.ts): the month's summary with the
 * invoice totals, unit economics, allocation and chargeback, reconciliation, variance, data quality, and
 * the assumptions and rules behind every figure. An open period is refused unless allowIncomplete, and
 * the pack then says DRAFT.
 */
import { checkExitCode, runChecks } from '../check/checks.js';
import { gate, statusOptions } from '../check/status.js';
import { UsageError } from '../domain/errors.js';
import { addMonths } from '../domain/month.js';
import { parsePeriod } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { allocation } from '../report/allocation.js';
import { chargeback } from '../report/chargeback.js';
import { reconcile } from '../report/reconcile.js';
import type { Report } from '../report/render.js';
import type { RequestBase } from '../report/request.js';
import { summary } from '../report/summary.js';
import { unitEconomics } from '../report/unit-economics.js';
import { variance } from '../report/variance.js';
import { checksTitle, commonFolder, describeMatch, describeSharingRule, relativeTo } from './cfo-words.js';
import { figuresReport } from '../report/bridge.js';
import { FIGURES, type MonthFigures } from '../domain/figures.js';

export interface PackSection { sheet: string; report: Report }
export interface CfoPack {
  month: string;
  draft: boolean;
  title: string;
  status: string;
  invoices: { invoice: string; currency: string; total: string }[];
  /** The month's headline figures per currency (invoice, spend, allocated, shared, unallocated). */
  figures: MonthFigures[];
  sections: PackSection[];
  /** Monthly totals and cost per unit over every month in the store, for the trend charts. */
  trend: Report;
  unitTrend: Report;
}

export async function buildCfoPack(ledger: Ledger, o: { month: string; today: string; allowIncomplete: boolean }): Promise<CfoPack> {
  const config = ledger.config;
  const period = parsePeriod({ month: o.month });
  const base: RequestBase = { period, costBasis: ledger.defaultCostBasis, today: o.today, allowIncomplete: o.allowIncomplete };
  // the same gate as every report: no data is an error; gaps or stale data need allowIncomplete, and make a DRAFT
  const status = await ledger.status(period, o.today);
  if (status.complete_through === null && !status.open_periods.length) {
    throw new UsageError(`no billing data for ${o.month}: there is nothing to put in a CFO pack`,
      'Check the month, or ingest its export first.');
  }
  const rec = await reconcile(ledger, { ...base, costBasis: 'billed', report: 'reconcile', month: o.month });
  gate(status, o.allowIncomplete);
  const draft = Boolean(rec.meta.draft) || status.problems.length > 0;
  const checks = await runChecks(ledger.store, statusOptions(config, o.today));
  const folder = commonFolder(checks.flatMap((c) => c.examples));
  const quality: Report = {
    name: 'data-quality', title: checksTitle(checks), meta: { exit_code: checkExitCode(checks), folder },
    columns: [
      { key: 'area', label: 'Area', kind: 'text' }, { key: 'id', label: 'Check', kind: 'text' },
      { key: 'status', label: 'Status', kind: 'text' },
      { key: 'count', label: 'Count', kind: 'int' }, { key: 'detail', label: 'Detail', kind: 'text' },
      { key: 'examples', label: 'Examples', kind: 'text' },
    ],
    rows: checks.map(
      (c) => ({ area: c.area, id: c.id, status: c.status, count: c.count, detail: c.detail,
        examples: c.examples.slice(0, 3).map((e) => relativeTo(folder, e)).join('; ') })),
    notes: [status.line, ...(folder ? [`File names are relative to ${folder}`] : [])],
  };
  const invoices = rec.rows.map((r) => ({ invoice: String(r.invoice), currency: String(r.currency), total: String(r.invoice_total) }));
  const summaryReport = await summary(ledger, { ...base, report: 'summary' });
  const figures = await ledger.figures(period, base.costBasis);
  const assumptions: Report = {
    name: 'assumptions', title: 'Assumptions and rules', meta: {},
    columns: [{ key: 'topic', label: 'Topic', kind: 'text' }, { key: 'value', label: 'Value', kind: 'text' }],
    rows: [
      { topic: 'Cost basis',
        value: `${base.costBasis} cost for unit economics and allocation; BilledCost for the invoice and reconciliation` },
      { topic: 'Data status', value: status.line },
      { topic: 'Allocation',
        value: 'token charges split by telemetry tokens per day, resource, model and token type (then day+resource, day+model); other ' +
          'charges by resource tags; what nobody can claim is __unallocated__' },
      ...Object.entries(config.units ?? {}).map(
        ([u, d]) => ({ topic: `Unit ${u}`,
          value: `features ${d.features.join(', ')}; success = outcome ${(d.success ?? ['success']).join(' or ')}` })),
      ...(config.units ? [] : [{ topic: 'Units', value: 'no units configured: a unit type costs what the features its events name cost' }]),
      ...(config.sharing ?? []).map((r) => ({ topic: `Sharing rule ${r.name}`, value: describeSharingRule(r) })),
      ...((config.sharing ?? []).length ? []
        : [{ topic: 'Sharing', value: 'no sharing rules: platform and overhead cost without a feature stays __shared__' }]),
      ...(config.cost_classes ?? []).map((r) => ({ topic: `Cost class ${r.class}`, value: `charges where ${describeMatch(r.match)}` })),
      ...(['invoice_total', 'spend', 'allocated', 'shared_spread', 'shared_unspread', 'unallocated', 'other_periods'] as const)
        .map((k) => ({ topic: `Figure: ${FIGURES[k].label}`, value: FIGURES[k].definition })),
      { topic: 'Exactness',
        value: 'sums are exact decimals; every allocation adds up to its billing row, every invoice to allocated + shared + unallocated, ' +
          'to the last digit' },
    ],
  };
  const trend = await summary(ledger, { ...base, report: 'summary', period: parsePeriod({}) });
  const unitTrend = await unitEconomics(ledger,
    { ...base, report: 'unit-economics', unit: null, period: parsePeriod({ to: `${addMonths(o.month, 1)}-01` }) });
  return {
    month: o.month, draft, status: status.line, invoices, figures,
    title: `${draft ? 'DRAFT: ' : ''}AI spend, CFO pack for ${o.month}`,
    sections: [
      { sheet: 'Summary', report: summaryReport },
      { sheet: 'Figures', report: figuresReport(figures) },
      { sheet: 'Unit economics', report: await unitEconomics(ledger, { ...base, report: 'unit-economics', unit: null }) },
      { sheet: 'Allocation', report: await allocation(ledger, { ...base, report: 'allocation', by: 'feature' }) },
      { sheet: 'Chargeback', report: await chargeback(ledger, { ...base, report: 'chargeback', by: 'team' }) },
      { sheet: 'Reconciliation', report: rec },
      { sheet: 'Variance',
        report: await variance(ledger, { ...base, report: 'variance', month: o.month, vs: addMonths(o.month, -1), unit: null }) },
      { sheet: 'Data quality', report: quality },
      { sheet: 'Assumptions and rules', report: assumptions },
    ],
    trend, unitTrend,
  };
}
