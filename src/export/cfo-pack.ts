/**
 * The CFO pack's content, once, for both writers (cfo-xlsx.ts, cfo-html.ts): the month's summary with the
 * invoice totals, unit economics, allocation and chargeback, reconciliation, variance, data quality, and
 * the assumptions and rules behind every figure. An open period is refused unless allowIncomplete, and
 * the pack then says DRAFT.
 */
import { checkExitCode, runChecks } from '../check/checks.js';
import { dataStatus, statusOptions } from '../check/status.js';
import type { Config } from '../config/config.js';
import { addMonths } from '../domain/month.js';
import { allocation } from '../report/allocation.js';
import { chargeback } from '../report/chargeback.js';
import type { ReportOptions } from '../report/options.js';
import { parsePeriod } from '../domain/period.js';
import { reconcile } from '../report/reconcile.js';
import type { Report } from '../report/render.js';
import { summary } from '../report/summary.js';
import { unitEconomics } from '../report/unit-economics.js';
import { variance } from '../report/variance.js';
import type { Store } from '../store/db.js';

export interface PackSection { sheet: string; report: Report }
export interface CfoPack {
  month: string;
  draft: boolean;
  title: string;
  status: string;
  invoices: { invoice: string; currency: string; total: string }[];
  sections: PackSection[];
  /** Monthly totals and cost per unit over every month in the store, for the trend charts. */
  trend: Report;
  unitTrend: Report;
}

export async function buildCfoPack(store: Store, config: Config, o: { month: string; today: string; allowIncomplete: boolean }): Promise<CfoPack> {
  const period = parsePeriod({ month: o.month });
  const economics = { units: config.units, events: config.events, cost_classes: config.cost_classes, sharing: config.sharing };
  const base: ReportOptions = { period, costBasis: config.reports?.cost ?? 'effective', by: [], economics, today: o.today, allowIncomplete: o.allowIncomplete, closeDays: statusOptions(config, o.today).closeDays };
  const rec = await reconcile(store, { ...base, costBasis: 'billed' });
  const draft = Boolean(rec.meta.draft);
  const status = await dataStatus(store, period, statusOptions(config, o.today));
  const checks = await runChecks(store, statusOptions(config, o.today));
  const quality: Report = {
    name: 'data-quality', title: `Data quality (exit code ${checkExitCode(checks)})`, meta: {},
    columns: [
      { key: 'area', label: 'Area', kind: 'text' }, { key: 'id', label: 'Check', kind: 'text' }, { key: 'status', label: 'Status', kind: 'text' },
      { key: 'count', label: 'Count', kind: 'int' }, { key: 'detail', label: 'Detail', kind: 'text' }, { key: 'examples', label: 'Examples', kind: 'text' },
    ],
    rows: checks.map((c) => ({ area: c.area, id: c.id, status: c.status, count: c.count, detail: c.detail, examples: c.examples.slice(0, 3).join('; ') })),
    notes: [status.line],
  };
  const invoices = rec.rows.map((r) => ({ invoice: String(r.invoice), currency: String(r.currency), total: String(r.invoice_total) }));
  const summaryReport = await summary(store, { ...base, period });
  const assumptions: Report = {
    name: 'assumptions', title: 'Assumptions and rules', meta: {},
    columns: [{ key: 'topic', label: 'Topic', kind: 'text' }, { key: 'value', label: 'Value', kind: 'text' }],
    rows: [
      { topic: 'Cost basis', value: `${base.costBasis} cost for unit economics and allocation; BilledCost for the invoice and reconciliation` },
      { topic: 'Data status', value: status.line },
      { topic: 'Allocation', value: 'token charges split by telemetry tokens per day, resource, model and token type (then day+resource, day+model); other charges by resource tags; what nobody can claim is __unallocated__' },
      ...Object.entries(config.units ?? {}).map(([u, d]) => ({ topic: `Unit ${u}`, value: `features ${d.features.join(', ')}; success = outcome ${(d.success ?? ['success']).join(' or ')}` })),
      ...(config.units ? [] : [{ topic: 'Units', value: 'no units configured: a unit type costs what the features its events name cost' }]),
      ...(config.sharing ?? []).map((r) => ({ topic: `Sharing rule ${r.name}`, value: `${r.basis}${r.match ? ` for ${JSON.stringify(r.match)}` : ''}${r.percent ? ` ${JSON.stringify(r.percent)}` : ''}${r.fixed ? ` fixed ${r.fixed} per month` : ''}` })),
      ...((config.sharing ?? []).length ? [] : [{ topic: 'Sharing', value: 'no sharing rules: platform and overhead cost without a feature stays __shared__' }]),
      ...(config.cost_classes ?? []).map((r) => ({ topic: `Cost class ${r.class}`, value: JSON.stringify(r.match) })),
      { topic: 'Exactness', value: 'sums are exact decimals; every allocation adds up to its billing row, every invoice to allocated + shared + unallocated, to the last digit' },
    ],
  };
  const trend = await summary(store, { ...base, period: parsePeriod({}) });
  const unitTrend = await unitEconomics(store, { ...base, period: parsePeriod({ to: `${addMonths(o.month, 1)}-01` }) });
  return {
    month: o.month, draft, status: status.line, invoices,
    title: `${draft ? 'DRAFT: ' : ''}AI spend, CFO pack for ${o.month}`,
    sections: [
      { sheet: 'Summary', report: summaryReport },
      { sheet: 'Unit economics', report: await unitEconomics(store, base) },
      { sheet: 'Allocation', report: await allocation(store, { ...base, by: ['feature'] }) },
      { sheet: 'Chargeback', report: await chargeback(store, { ...base, by: ['team'] }) },
      { sheet: 'Reconciliation', report: rec },
      { sheet: 'Variance', report: await variance(store, base) },
      { sheet: 'Data quality', report: quality },
      { sheet: 'Assumptions and rules', report: assumptions },
    ],
    trend, unitTrend,
  };
}
