/**
 * `tokenledger explain`: from a figure back to its sources, for an auditor.
 *   explain allocation --feature F --month M      every share of F: billing row (file:line), method, basis
 *                                                  tokens, and the telemetry records behind it (count, first)
 *   explain cost-per-token --model X --token-type T --month M   the billing rows, tokens and rate of each
 *   explain unit-cost --unit U --month M           the unit's events (files, records), each feature's direct
 *                                                  and shared cost with rule and basis, then the shares
 * --format csv gives the auditor a file.
 */
import { UNALLOCATED } from '../domain/allocation.js';
import { allocatedCostColumn, costColumn } from '../domain/cost-basis.js';
import { UsageError } from '../domain/errors.js';
import { groupThousands } from '../domain/decimal.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, join, sql } from '../store/sql.js';
import { methodLabelSql } from '../allocate/allocate.js';
import { baseMeta, type RequestBase } from './request.js';
import type { Column, Report } from './render.js';

const SQL = loadSql(import.meta.url, 'explain.sql');

/** What `tokenledger explain <what>` is asked: one typed request per figure. */
export type ExplainRequest =
  | (RequestBase & { explain: 'allocation'; feature: string })
  | (RequestBase & { explain: 'cost-per-token'; model: string; tokenType: string })
  | (RequestBase & { explain: 'unit-cost'; unit: string });
export type ExplainName = ExplainRequest['explain'];
type ExplainOf<N extends ExplainName> = Extract<ExplainRequest, { explain: N }>;

const SHARE_COLUMNS: Column[] = [
  { key: 'day', label: 'Day', kind: 'text' },
  { key: 'billing_row', label: 'Billing row (file:line)', kind: 'text' },
  { key: 'meter', label: 'Meter', kind: 'text' },
  { key: 'token_type', label: 'Token type', kind: 'text' },
  { key: 'row_cost', label: 'Row cost', kind: 'money' },
  { key: 'amount', label: 'Allocated', kind: 'money' },
  { key: 'method', label: 'Method', kind: 'text' },
  { key: 'job', label: 'Job', kind: 'text' },
  { key: 'basis_tokens', label: 'Basis', kind: 'int' },
  { key: 'basis_total', label: 'of', kind: 'int' },
  { key: 'telemetry_records', label: 'Records', kind: 'int' },
  { key: 'first_telemetry_record', label: 'First record (file:line)', kind: 'text' },
];

async function shares(ledger: Ledger, o: RequestBase, feature: string): Promise<Record<string, unknown>[]> {
  const key = feature === UNALLOCATED ? code('a.feature IS NULL') : sql`a.feature = ${feature}`;
  const shareRows = fill(SQL, {
    COST: code(allocatedCostColumn(o.costBasis)), ROWCOST: code(costColumn(o.costBasis)), KEY: key,
    PERIOD: inPeriod(code('a.day'), o.period),
  });
  return ledger.query(sql`SELECT *, ${methodLabelSql('method_code')} AS method FROM (${shareRows})`);
}

export async function explainAllocation(ledger: Ledger, o: ExplainOf<'allocation'>): Promise<Report> {
  await ledger.requireKnown('feature', o.feature, '--feature');
  const rows = await shares(ledger, o, o.feature);
  return {
    name: 'explain-allocation',
    title: `Allocation of ${o.feature} (${o.costBasis} cost, ${o.period.label}): ${rows.length} share(s), ` +
      `down to billing rows and telemetry records`,
    meta: { ...baseMeta(o), feature: o.feature },
    columns: SHARE_COLUMNS,
    rows: rows as Report['rows'],
    notes: ['Method: in the words of report allocation (telemetry by day+resource+model+token type, then day+resource, then day+model; ' +
      'tags: by resource tag; GPU VM rows with GPU samples: by GPU-seconds per job, GPU idle for what no job held). ' +
      'Allocated = row cost x basis / of, the basis in tokens or GPU-seconds (the largest share takes the rounding remainder).'],
  };
}

export async function explainCostPerToken(ledger: Ledger, o: ExplainOf<'cost-per-token'>): Promise<Report> {
  const cost = code(costColumn(o.costBasis));
  const rows = await ledger.query(sql`
    SELECT strftime(CAST(ChargePeriodStart AS DATE), '%Y-%m-%d') AS day, c.tl_source_file || ':' || (c.tl_source_row + CASE
      WHEN c.tl_source_file ILIKE '%.parquet' THEN 0 ELSE 1 END) AS billing_row,
      x_SkuMeterName AS meter, tl_tier AS tier, tl_scope AS scope, BillingCurrency AS currency, tl_tokens AS tokens, ${cost} AS cost,
      CAST(${cost} AS DOUBLE) * 1e6 / nullif(CAST(tl_tokens AS DOUBLE), 0) AS cost_per_1m, tl_quantity_convention AS quantity_convention
    FROM charges c WHERE tl_model = ${o.model.toLowerCase()} AND tl_token_type = ${o.tokenType}
      AND ${inPeriod(code('ChargePeriodStart'), o.period)}
    ORDER BY ChargePeriodStart, billing_row`);
  return {
    name: 'explain-cost-per-token',
    title: `Cost per token of ${o.model} ${o.tokenType} (${o.costBasis} cost, ${o.period.label}): ${rows.length} billing row(s)`,
    meta: { ...baseMeta(o), model: o.model, token_type: o.tokenType },
    columns: [
      { key: 'day', label: 'Day', kind: 'text' }, { key: 'billing_row', label: 'Billing row (file:line)', kind: 'text' },
      { key: 'meter', label: 'Meter', kind: 'text' }, { key: 'tier', label: 'Tier', kind: 'text' },
      { key: 'scope', label: 'Scope', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' }, { key: 'tokens', label: 'Tokens', kind: 'int' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'cost_per_1m', label: 'Per 1M', kind: 'rate' }, { key: 'quantity_convention', label: 'Quantity convention', kind: 'text' },
    ],
    rows,
    notes: ['Tokens come from the quantity convention consistent with the row\'s prices (FOCUS: ConsumedQuantity; see ' +
      'docs/architecture.md).'],
  };
}

export async function explainUnitCost(ledger: Ledger, o: ExplainOf<'unit-cost'>): Promise<Report> {
  await ledger.requireKnown('unit', o.unit, '--unit');
  const unit = o.unit.toLowerCase();
  const econ = ledger.economics(o.period, o.costBasis);
  const chain = await ledger.query(join([econ, sql`
    SELECT 'cost' AS step, feature, cost_class, source, sum(cost) AS amount, tl_w AS unit_weight, tl_wt AS unit_weight_total
    FROM unit_costs WHERE unit = ${unit} AND tl_split GROUP BY ALL ORDER BY feature, source, cost_class`], '\n'));
  const shared = await ledger.query(join([econ, sql`
    SELECT feature, rule, cost_class, basis, sum(cost) AS amount FROM econ WHERE source = 'shared'
    AND feature IN (SELECT DISTINCT feature FROM unit_costs WHERE unit = ${unit} AND tl_split) GROUP BY ALL ORDER BY feature, rule, basis`],
    '\n'));
  const events = await ledger.query(sql`
    SELECT f.path || ':' || min(e.tl_source_row) || '-' || max(e.tl_source_row) AS records, count(*) AS n, sum(e.count) AS units
    FROM event_rows e JOIN event_files f ON f.ingestion_id = e.tl_ingestion_id
    WHERE e.unit = ${unit} AND ${inPeriod(code('e.ts'), o.period)} GROUP BY f.path ORDER BY f.path`);
  const rows: Report['rows'] = [
    ...events.map((e) => ({ step: 'events', item: String(e.records), amount: null,
      detail: `${groupThousands(String(e.n))} record(s), ${groupThousands(String(e.units))} unit(s)` })),
    ...chain.map((c) => ({
      step: 'cost', item: `${c.feature} ${c.source} ${c.cost_class}`, amount: c.amount ?? null,
      detail: Number(c.unit_weight_total) && Number(c.unit_weight) !== Number(c.unit_weight_total)
        ? `share of the feature: ${c.unit_weight} of ${c.unit_weight_total}` : 'whole feature',
    })),
    ...shared.map(
      (s) => ({ step: 'shared basis', item: `${s.feature} ${s.rule} ${s.cost_class}`, amount: s.amount ?? null, detail: s.basis ?? null })),
  ];
  const features = [...new Set(chain.map((c) => String(c.feature)))];
  for (const f of features) {
    for (const s of await shares(ledger, o, f)) {
      rows.push({ step: 'billing', item: String(s.billing_row), amount: s.amount as string,
        detail: `${f}: ${s.method}, ${s.meter ?? ''}${Number(s.telemetry_records ?? 0) > 0 && s.first_telemetry_record
          ? `, ${groupThousands(String(s.telemetry_records))} telemetry record(s) from ${s.first_telemetry_record}` : ''}` });
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

/** The flags each explain report needs (checked when its request is built). */
const NEEDS = {
  allocation: '--feature NAME (or --feature __unallocated__)',
  'cost-per-token': '--model and --token-type (input, output, cached_input, cache_write)',
  'unit-cost': '--unit TYPE (ticket, document, ...)',
} as const satisfies Record<ExplainName, string>;
export const EXPLAIN_NAMES = Object.keys(NEEDS) as ExplainName[];

/** An explain request from command-line / API parameters. */
export function explainRequest(
  what: string, base: RequestBase,
  p: { feature?: string | undefined; model?: string | undefined; tokenType?: string | undefined; unit?: string | undefined },
): ExplainRequest {
  switch (what) {
    case 'allocation':
      if (!p.feature) throw new UsageError(`explain allocation needs ${NEEDS.allocation}`);
      return { ...base, explain: 'allocation', feature: p.feature };
    case 'cost-per-token':
      if (!p.model || !p.tokenType) throw new UsageError(`explain cost-per-token needs ${NEEDS['cost-per-token']}`);
      return { ...base, explain: 'cost-per-token', model: p.model, tokenType: p.tokenType };
    case 'unit-cost':
      if (!p.unit) throw new UsageError(`explain unit-cost needs ${NEEDS['unit-cost']}`);
      return { ...base, explain: 'unit-cost', unit: p.unit };
    default:
      throw new UsageError(`explain ${what}: expected one of ${EXPLAIN_NAMES.join(', ')}`);
  }
}

/** Run an explain request. */
export function runExplainRequest(ledger: Ledger, r: ExplainRequest): Promise<Report> {
  switch (r.explain) {
    case 'allocation': return explainAllocation(ledger, r);
    case 'cost-per-token': return explainCostPerToken(ledger, r);
    case 'unit-cost': return explainUnitCost(ledger, r);
    default: {
      const never: never = r;
      throw new Error(`unknown explain ${String(never)}`);
    }
  }
}
