/**
 * `report token-kpis --by feature|model`: the shape of token use per request, from request-level
 * telemetry, with what it costs per 1,000 requests and whether prompts are creeping up week over week.
 */
import { UNALLOCATED } from '../domain/allocation.js';
import { allocatedCostColumn, costColumn } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'token-kpis.sql');

export async function tokenKpis(ledger: Ledger, o: RequestOf<'token-kpis'>): Promise<Report> {
  const by = o.by;
  // cost per key: the token cost allocated to each feature (from the daily allocation rollup: the same sums as
  // the allocation's rows, over the same days), or the token cost billed per model
  const costByKey = by === 'feature'
    ? sql`SELECT coalesce(feature, ${UNALLOCATED}) AS key, currency, sum(${code(allocatedCostColumn(o.costBasis))}) AS cost
      FROM alloc_daily WHERE kind = 'token' AND ${inPeriod(code('day'), o.period)} GROUP BY ALL`
    : sql`SELECT tl_model AS key, BillingCurrency AS currency, sum(${code(costColumn(o.costBasis))}) AS cost FROM charges_daily
      WHERE tl_token_type IS NOT NULL AND ${inPeriod(code('charge_day'), o.period, 'DATE')} GROUP BY ALL`;
  const rows = await ledger.query(fill(SQL, { KEY: code(by), TEL_WHERE: inPeriod(code('ts'), o.period), COST_BY_KEY: costByKey }));
  return {
    name: 'token-kpis',
    title: `Token KPIs by ${by} (request-level telemetry, ${o.period.label}; percentiles are nearest-rank)`,
    meta: { ...baseMeta(o), by },
    columns: [
      { key: 'key', label: by, kind: 'text' },
      { key: 'requests', label: 'Requests', kind: 'int' },
      { key: 'prompt_p50', label: 'Prompt p50', kind: 'int' },
      { key: 'prompt_p95', label: 'Prompt p95', kind: 'int' },
      { key: 'prompt_p99', label: 'Prompt p99', kind: 'int', secondary: true },
      { key: 'output_p50', label: 'Output p50', kind: 'int' },
      { key: 'output_p95', label: 'Output p95', kind: 'int', secondary: true },
      { key: 'output_per_request', label: 'Output/req', kind: 'quantity' },
      { key: 'cached_share_pct', label: 'Cached', kind: 'percent' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'cost_per_1k_requests', label: 'Cost/1K req', kind: 'rate' },
      { key: 'prompt_p95_wow_pct', label: 'p95 WoW', kind: 'percent' },
      { key: 'prompt_p95_last_week', label: 'p95 last wk', kind: 'int', secondary: true },
      { key: 'prompt_p95_week_before', label: 'p95 wk before', kind: 'int', secondary: true },
    ],
    rows,
  };
}
