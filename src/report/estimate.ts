/**
 * `report estimate`: what the days the invoice has not reached yet cost. Billing exports lag telemetry by
 * one to three days; for each day with telemetry and no token charges of that model, tokens x the resolved
 * price (prices.ts: the invoice's own price where billed, else price sheet, else catalog) is an estimated
 * cost per feature and model, marked `estimated`. When the invoice arrives those days are billed and leave
 * the report. The same pricing on the days already billed, per model, against what was billed for them, is
 * the estimate's accuracy (`accuracy` rows: error = estimate - billed, in % of billed).
 */
import { costColumn } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, join, sql } from '../store/sql.js';
import { deploymentTypesSql, priceBook, priceValuesSql } from './prices.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'estimate.sql');

export async function estimate(ledger: Ledger, o: RequestOf<'estimate'>): Promise<Report> {
  const book = await priceBook(ledger, o);
  // the billed token cost per day and model, read apart (joined to telemetry, DuckDB would scan all of it)
  const billed = await ledger.query(sql`SELECT CAST(CAST(ChargePeriodStart AS DATE) AS VARCHAR) AS day, tl_model AS model,
      BillingCurrency AS currency, CAST(sum(${code(costColumn(o.costBasis))}) AS VARCHAR) AS cost
    FROM charges WHERE tl_token_type IS NOT NULL AND tl_model IS NOT NULL AND ${inPeriod(code('ChargePeriodStart'), o.period)}
    GROUP BY ALL ORDER BY ALL`);
  const billedSql = billed.length
    ? sql`(SELECT CAST(day AS DATE) AS day, model, currency, CAST(cost AS DECIMAL(38,18)) AS cost FROM (VALUES ${join(
        billed.map((b) => sql`(${String(b.day)}, ${String(b.model)}, ${String(b.currency)}, ${String(b.cost)})`),
        ', ',
      )}) AS v(day, model, currency, cost))`
    : code('(SELECT NULL::DATE AS day, NULL::VARCHAR AS model, NULL::VARCHAR AS currency, NULL::DECIMAL(38,18) AS cost WHERE false)');
  // the days with telemetry of a model that has no token charges that day (from the daily rollup): only their
  // records are read, per feature; a day list as constants, so that DuckDB reads only their row groups
  const billedPairs = new Set(billed.map((b) => `${String(b.day)} ${String(b.model)}`));
  const seen = await ledger.query<{ day: string; model: string }>(sql`SELECT DISTINCT CAST(day AS VARCHAR) AS day, model
    FROM telemetry_resource_daily WHERE model IS NOT NULL AND ${inPeriod(code('day'), o.period, 'DATE')}`);
  const unbilled = [...new Set(seen.filter((s) => !billedPairs.has(`${s.day} ${s.model}`)).map((s) => s.day))].sort();
  const estWhere = unbilled.length
    ? sql`t.ts >= CAST(${unbilled[0]!} AS TIMESTAMP) AND t.ts < CAST(${unbilled[unbilled.length - 1]!} AS TIMESTAMP) + INTERVAL 1 DAY
        AND CAST(t.ts AS DATE) IN (${join(unbilled.map((d) => sql`CAST(${d} AS DATE)`), ', ')})`
    : code('false');
  const rows = await ledger.query(
    fill(SQL, {
      EST_WHERE: estWhere,
      TEL_WHERE: inPeriod(code('r.day'), o.period, 'DATE'),
      BILLED: billedSql,
      DEPLOYMENT_TYPES: await deploymentTypesSql(ledger),
      PRICES: priceValuesSql(book.prices),
    }),
  );
  // the per-day rows leave the table for the meta: one figure per day and currency, summing the estimated rows
  const perDay = rows.filter((r) => r.status === 'day');
  const table = rows.filter((r) => r.status !== 'day');
  const estimated = table.filter((r) => r.status === 'estimated');
  const unpriced = table.filter((r) => r.unpriced === true).map((r) => String(r.model));
  return {
    name: 'estimate',
    title: `Estimated cost of days with telemetry and no billing yet (${o.period.label}, ${o.costBasis} prices as of ${book.asOf})`,
    meta: {
      ...baseMeta(o),
      as_of: book.asOf,
      estimated_days: perDay
        .map((r) => ({ day: String(r.first_day), currency: r.currency === null ? null : String(r.currency), tokens: Number(r.tokens),
          estimated_cost: r.estimated_cost === null ? null : String(r.estimated_cost) }))
        .sort((a, b) => a.day.localeCompare(b.day) || String(a.currency).localeCompare(String(b.currency))),
    },
    columns: [
      { key: 'status', label: 'Status', kind: 'text' },
      { key: 'feature', label: 'Feature', kind: 'text' },
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'deployment', label: 'Deployment', kind: 'text', secondary: true },
      { key: 'first_day', label: 'From', kind: 'text' },
      { key: 'last_day', label: 'To', kind: 'text' },
      { key: 'days', label: 'Days', kind: 'int' },
      { key: 'tokens', label: 'Tokens', kind: 'int' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'estimated_cost', label: 'Estimated', kind: 'money' },
      { key: 'billed_cost', label: 'Billed', kind: 'money' },
      { key: 'error_pct', label: 'Error', kind: 'percent' },
      { key: 'price_from', label: 'Price from', kind: 'text', secondary: true },
    ],
    rows: table,
    notes: [
      estimated.length
        ? `${estimated.length} estimated row(s): these days have telemetry but no token charges yet; the invoice replaces them.`
        : 'No day has telemetry without billing: nothing to estimate.',
      'accuracy: the same pricing on days already billed, per model, against the billed cost of those days (error in % of billed).',
      'Prompt tokens without a cache split and cache writes are priced as uncached input.',
      ...(unpriced.length
        ? [`No price for ${[...new Set(unpriced)].join(', ')}: add it to your price sheet (tokenledger.yaml prices.sheet).`]
        : []),
    ],
  };
}
