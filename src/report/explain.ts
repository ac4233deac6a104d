/**
 * `tokenledger explain`: from a figure back to its sources, for an auditor.
 *   explain allocation --feature F --month M      every share of F: billing row (file:line), method, basis
 *                                                  tokens, and the telemetry records behind it (count, first)
 *   explain cost-per-token --model X --token-type T --month M   the billing rows, tokens and rate of each
 *   explain unit-cost --unit U --month M           the unit's events (files, records), each feature's direct
 *                                                  and shared cost with rule and basis, then the shares
 * --format csv gives the auditor a file.
 */
import { economicsSql } from '../allocate/economics.js';
import { ensureAllocation } from '../allocate/materialize.js';
import { UsageError } from '../domain/errors.js';
import { literal, loadSql, type Store } from '../store/db.js';
import { baseMeta, costColumn, fillSql, type ReportOptions, periodWhere } from './options.js';
import type { Column, Report } from './render.js';

const SQL = loadSql(import.meta.url, 'explain.sql');

export interface ExplainOptions extends ReportOptions { feature?: string; model?: string; tokenType?: string }

const SHARE_COLUMNS: Column[] = [
  { key: 'day', label: 'Day', kind: 'text' },
  { key: 'billing_row', label: 'Billing row (file:line)', kind: 'text' },
  { key: 'meter', label: 'Meter', kind: 'text' },
  { key: 'token_type', label: 'Token type', kind: 'text' },
  { key: 'row_cost', label: 'Row cost', kind: 'money' },
  { key: 'amount', label: 'Allocated', kind: 'money' },
  { key: 'method', label: 'Method', kind: 'text' },
  { key: 'basis_tokens', label: 'Basis tokens', kind: 'int' },
  { key: 'basis_total', label: 'of', kind: 'int' },
  { key: 'telemetry_records', label: 'Records', kind: 'int' },
  { key: 'first_telemetry_record', label: 'First record (file:line)', kind: 'text' },
];

const METHOD_TEXT = "CASE method_code WHEN 0 THEN 'none' WHEN 9 THEN 'tags' ELSE 'telemetry L' || (1 + (method_code - 1) % 3) || CASE WHEN method_code > 3 THEN ' (prompt)' ELSE '' END END";

async function shares(store: Store, o: ReportOptions, feature: string): Promise<Record<string, unknown>[]> {
  const cost = costColumn(o.costBasis);
  const key = feature === '__unallocated__' ? 'a.feature IS NULL' : `a.feature = ${literal(feature)}`;
  const rows = await store.query(`SELECT *, ${METHOD_TEXT} AS method FROM (${fillSql(SQL, {
    COST: cost === 'BilledCost' ? 'billed_cost' : 'effective_cost', ROWCOST: cost, KEY: key, PERIOD: periodWhere(o.period, 'a.day'),
  })})`);
  return rows;
}

export async function explainAllocation(store: Store, o: ExplainOptions): Promise<Report> {
  if (!o.feature) throw new UsageError('explain allocation needs --feature NAME (or --feature __unallocated__)');
  await ensureAllocation(store);
  const rows = await shares(store, o, o.feature);
  return {
    name: 'explain-allocation',
    title: `Allocation of ${o.feature} (${o.costBasis} cost, ${o.period.label}): ${rows.length} share(s), down to billing rows and telemetry records`,
    meta: { ...baseMeta(o), feature: o.feature },
    columns: SHARE_COLUMNS,
    rows: rows as Report['rows'],
    notes: ['Method: telemetry L1 day+resource+model+token type, L2 day+resource, L3 day+model; tags: by resource tag. Allocated = row cost x basis tokens / of (the largest share takes the rounding remainder).'],
  };
}

export async function explainCostPerToken(store: Store, o: ExplainOptions): Promise<Report> {
  if (!o.model || !o.tokenType) throw new UsageError('explain cost-per-token needs --model and --token-type (input, output, cached_input, cache_write)');
  const cost = costColumn(o.costBasis);
  const rows = await store.query(`
    SELECT strftime(CAST(ChargePeriodStart AS DATE), '%Y-%m-%d') AS day, c.tl_source_file || ':' || (c.tl_source_row + CASE WHEN c.tl_source_file ILIKE '%.parquet' THEN 0 ELSE 1 END) AS billing_row,
      x_SkuMeterName AS meter, tl_tier AS tier, tl_scope AS scope, BillingCurrency AS currency, tl_tokens AS tokens, ${cost} AS cost,
      CAST(${cost} AS DOUBLE) * 1e6 / nullif(CAST(tl_tokens AS DOUBLE), 0) AS cost_per_1m, tl_quantity_convention AS quantity_convention
    FROM charges c WHERE tl_model = ${literal(o.model.toLowerCase())} AND tl_token_type = ${literal(o.tokenType)} AND ${periodWhere(o.period, 'ChargePeriodStart')}
    ORDER BY ChargePeriodStart, billing_row`);
  return {
    name: 'explain-cost-per-token',
    title: `Cost per token of ${o.model} ${o.tokenType} (${o.costBasis} cost, ${o.period.label}): ${rows.length} billing row(s)`,
    meta: { ...baseMeta(o), model: o.model, token_type: o.tokenType },
    columns: [
      { key: 'day', label: 'Day', kind: 'text' }, { key: 'billing_row', label: 'Billing row (file:line)', kind: 'text' },
      { key: 'meter', label: 'Meter', kind: 'text' }, { key: 'tier', label: 'Tier', kind: 'text' }, { key: 'scope', label: 'Scope', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' }, { key: 'tokens', label: 'Tokens', kind: 'int' }, { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'cost_per_1m', label: 'Per 1M', kind: 'rate' }, { key: 'quantity_convention', label: 'Quantity convention', kind: 'text' },
    ],
    rows,
    notes: ['Tokens come from the quantity convention consistent with the row\'s prices (FOCUS: ConsumedQuantity; see docs/architecture.md).'],
  };
}

export async function explainUnitCost(store: Store, o: ExplainOptions): Promise<Report> {
  if (!o.unit) throw new UsageError('explain unit-cost needs --unit TYPE (ticket, document, ...)');
  await ensureAllocation(store);
  const unit = o.unit.toLowerCase();
  const chain = await store.query(economicsSql(o) + `
    SELECT 'cost' AS step, feature, cost_class, source, sum(cost) AS amount, tl_w AS unit_weight, tl_wt AS unit_weight_total
    FROM unit_costs WHERE unit = ${literal(unit)} AND tl_split GROUP BY ALL ORDER BY feature, source, cost_class`);
  const shared = await store.query(economicsSql(o) + `
    SELECT feature, rule, cost_class, basis, sum(cost) AS amount FROM econ WHERE source = 'shared'
    AND feature IN (SELECT DISTINCT feature FROM unit_costs WHERE unit = ${literal(unit)} AND tl_split) GROUP BY ALL ORDER BY feature, rule, basis`);
  const events = await store.query(`
    SELECT f.path || ':' || min(e.tl_source_row) || '-' || max(e.tl_source_row) AS records, count(*) AS n, sum(e.count) AS units
    FROM event_rows e JOIN event_files f ON f.ingestion_id = e.tl_ingestion_id
    WHERE e.unit = ${literal(unit)} AND ${periodWhere(o.period, 'e.ts')} GROUP BY f.path ORDER BY f.path`);
  const rows: Report['rows'] = [
    ...events.map((e) => ({ step: 'events', item: String(e.records), amount: null, detail: `${e.n} record(s), ${e.units} unit(s)` })),
    ...chain.map((c) => ({
      step: 'cost', item: `${c.feature} ${c.source} ${c.cost_class}`, amount: c.amount ?? null,
      detail: Number(c.unit_weight_total) && Number(c.unit_weight) !== Number(c.unit_weight_total) ? `share of the feature: ${c.unit_weight} of ${c.unit_weight_total}` : 'whole feature',
    })),
    ...shared.map((s) => ({ step: 'shared basis', item: `${s.feature} ${s.rule} ${s.cost_class}`, amount: s.amount ?? null, detail: s.basis ?? null })),
  ];
  const features = [...new Set(chain.map((c) => String(c.feature)))];
  for (const f of features) {
    for (const s of await shares(store, o, f)) {
      rows.push({ step: 'billing', item: String(s.billing_row), amount: s.amount as string, detail: `${f}: ${s.method}, ${s.meter ?? ''}${s.telemetry_records ? `, ${s.telemetry_records} telemetry record(s) from ${s.first_telemetry_record}` : ''}` });
    }
  }
  return {
    name: 'explain-unit-cost',
    title: `Cost of ${o.unit} (${o.costBasis} cost, ${o.period.label}): events, cost by feature and rule, shared bases, billing rows`,
    meta: { ...baseMeta(o), unit: o.unit },
    columns: [
      { key: 'step', label: 'Step', kind: 'text' }, { key: 'item', label: 'Item', kind: 'text' },
      { key: 'amount', label: 'Amount', kind: 'money' }, { key: 'detail', label: 'Detail', kind: 'text' },
    ],
    rows,
    notes: ['Billing rows are the feature\'s whole shares; a feature shared by unit types is split by the share shown in its cost lines.'],
  };
}

export const EXPLAIN: Record<string, (store: Store, o: ExplainOptions) => Promise<Report>> = {
  allocation: explainAllocation,
  'cost-per-token': explainCostPerToken,
  'unit-cost': explainUnitCost,
};
