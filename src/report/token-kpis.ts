/**
 * `report token-kpis --by feature|model`: the shape of token use per request, from request-level
 * telemetry, with what it costs per 1,000 requests and whether prompts are creeping up week over week.
 */
import { allocationSql } from '../allocate/allocate.js';
import { ensureAllocation } from '../allocate/materialize.js';
import { UsageError } from '../domain/errors.js';
import { loadSql, type Store } from '../store/db.js';
import { baseMeta, costColumn, fillSql, type ReportOptions, periodWhere } from './options.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'token-kpis.sql');

export async function tokenKpis(store: Store, o: ReportOptions): Promise<Report> {
  const by = o.by[0] ?? 'feature';
  if (o.by.length > 1 || !['feature', 'model'].includes(by)) throw new UsageError('report token-kpis takes --by feature or --by model');
  if (by === 'feature') await ensureAllocation(store);
  // cost per key: the token cost allocated to each feature, or the token cost billed per model
  const costByKey = by === 'feature'
    ? `SELECT coalesce(feature, '__unallocated__') AS key, currency, sum(allocated_cost) AS cost FROM (${allocationSql(o)}) WHERE kind = 'token' GROUP BY ALL`
    : `SELECT tl_model AS key, BillingCurrency AS currency, sum(${costColumn(o.costBasis)}) AS cost FROM charges WHERE tl_token_type IS NOT NULL AND ${periodWhere(o.period, 'ChargePeriodStart')} GROUP BY ALL`;
  const rows = await store.query(fillSql(SQL, { KEY: by, TEL_WHERE: periodWhere(o.period, 'ts'), COST_BY_KEY: costByKey }));
  return {
    name: 'token-kpis',
    title: `Token KPIs by ${by} (request-level telemetry, ${o.period.label}; percentiles are nearest-rank)`,
    meta: { ...baseMeta(o), by },
    columns: [
      { key: 'key', label: by, kind: 'text' },
      { key: 'requests', label: 'Requests', kind: 'int' },
      { key: 'prompt_p50', label: 'Prompt p50', kind: 'int' },
      { key: 'prompt_p95', label: 'Prompt p95', kind: 'int' },
      { key: 'prompt_p99', label: 'Prompt p99', kind: 'int' },
      { key: 'output_p50', label: 'Output p50', kind: 'int' },
      { key: 'output_p95', label: 'Output p95', kind: 'int' },
      { key: 'output_per_request', label: 'Output/req', kind: 'quantity' },
      { key: 'cached_share_pct', label: 'Cached', kind: 'percent' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'cost_per_1k_requests', label: 'Cost/1K req', kind: 'rate' },
      { key: 'prompt_p95_wow_pct', label: 'p95 WoW', kind: 'percent' },
      { key: 'prompt_p95_last_week', label: 'p95 last wk', kind: 'int' },
      { key: 'prompt_p95_week_before', label: 'p95 wk before', kind: 'int' },
    ],
    rows,
  };
}
