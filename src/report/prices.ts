/**
 * Which price a token gets, and why: the one resolution every cost figure of estimate, savings and
 * ptu-plan goes through, and `report prices`, which shows it.
 *
 * 1. The invoice wins: for a model, deployment type and token type the company was billed for in the
 *    period, the effective cost per token measured from its own FOCUS rows (cost / tokens, exact to 12
 *    significant digits), discounts included.
 * 2. Otherwise the company's price sheet (tokenledger.yaml `prices.sheet`), the entry in force on the date.
 * 3. Otherwise the shipped catalog (rules/prices/), the entry in force on the date, named with its id.
 * The date is the last day of the period (or the report's today when the period is open).
 */
import { costColumn } from '../domain/cost-basis.js';
import { divideDecimals, multiplyDecimals, trimDecimal } from '../domain/decimal.js';
import type { Period } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadRules } from '../normalize/rules.js';
import { entryAt, loadCatalog, type Catalog, type PriceEntry } from '../prices/catalog.js';
import { readPriceSheet } from '../prices/sheet.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, join, sql, type Sql } from '../store/sql.js';
import { baseMeta, type RequestBase, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'prices.sql');

export type PriceOrigin = 'invoice' | 'price-sheet' | 'catalog';

export interface ResolvedPrice {
  model: string;
  deployment: string;
  tokenType: string;
  currency: string;
  perMillion: string;
  origin: PriceOrigin;
  /** The catalog or sheet entry id; for the invoice, the measured window. */
  entry: string;
  effectiveFrom: string | null;
  source: string;
}

export interface PriceBook {
  asOf: string;
  prices: ResolvedPrice[];
  catalog: Catalog;
  /** Price sheet items that were not token prices (Azure Retail Prices exports list every meter). */
  sheetSkipped: number;
  get(model: string, deployment: string, tokenType: string): ResolvedPrice | undefined;
}

/** The date prices are taken at: the last day of the period, else today. */
export function asOfDate(period: Period, today: string): string {
  if (!period.to) return today;
  const last = new Date(Date.parse(`${period.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return last < today ? last : today;
}

const key = (model: string, deployment: string, tokenType: string) => `${model}|${deployment}|${tokenType}`;

/** Resolve the price of every model x deployment type x token type known to the invoice, the sheet or the catalog. */
export async function priceBook(ledger: Ledger, o: RequestBase, measure: Period = o.period): Promise<PriceBook> {
  const asOf = asOfDate(o.period, o.today);
  const catalog = loadCatalog();
  const sheetPath = ledger.config.prices?.sheet;
  const sheet = sheetPath ? readPriceSheet(sheetPath, loadRules(ledger.config.rules)) : { entries: [], skipped: 0 };
  const byKey = new Map<string, ResolvedPrice>();
  // 3, then 2 over it: entries in force on the date
  for (const [origin, entries] of [
    ['catalog', catalog.entries],
    ['price-sheet', sheet.entries],
  ] as [PriceOrigin, PriceEntry[]][]) {
    const keys = new Set(entries.map((e) => key(e.model, e.deployment, e.tokenType)));
    for (const k of keys) {
      const e = entryAt(entries, asOf, (x) => key(x.model, x.deployment, x.tokenType) === k);
      if (!e) continue;
      byKey.set(k, {
        model: e.model,
        deployment: e.deployment,
        tokenType: e.tokenType,
        currency: e.currency,
        perMillion: e.perMillion,
        origin,
        entry: e.id,
        effectiveFrom: e.effectiveFrom,
        source: e.source,
      });
    }
  }
  // 1: the invoice wins
  const measured = await ledger.query(
    fill(SQL, { COST: code(costColumn(o.costBasis)), WHERE: inPeriod(code('charge_day'), measure, 'DATE') }),
  );
  for (const m of measured) {
    const perMillion = divideDecimals(multiplyDecimals(String(m.cost), '1000000'), String(m.tokens), 12);
    if (perMillion === null) continue;
    const window = `${String(m.first_day)}..${String(m.last_day)}`;
    byKey.set(key(String(m.model), String(m.deployment), String(m.token_type)), {
      model: String(m.model),
      deployment: String(m.deployment),
      tokenType: String(m.token_type),
      currency: String(m.currency),
      perMillion,
      origin: 'invoice',
      entry: `invoice ${window}`,
      effectiveFrom: null,
      source: `measured: ${o.costBasis} cost ${trimDecimal(String(m.cost))} / ${trimDecimal(String(m.tokens))} tokens billed ${window}`,
    });
  }
  const prices = [...byKey.values()].sort(
    (a, b) => a.model.localeCompare(b.model) || a.deployment.localeCompare(b.deployment) || a.tokenType.localeCompare(b.tokenType),
  );
  return { asOf, prices, catalog, sheetSkipped: sheet.skipped, get: (m, d, t) => byKey.get(key(m, d, t)) };
}

/**
 * The resolved prices as a relation for SQL: p(model, deployment, token_type, currency, per_million DECIMAL(38,18),
 * origin, entry). Cost of n tokens = CAST(n * per_million * 0.000001 AS DECIMAL(38,18)).
 */
export function priceValuesSql(prices: ResolvedPrice[]): Sql {
  if (!prices.length) {
    return code(`(SELECT NULL::VARCHAR AS model, NULL::VARCHAR AS deployment, NULL::VARCHAR AS token_type, NULL::VARCHAR AS currency,
      NULL::DECIMAL(38,18) AS per_million, NULL::VARCHAR AS origin, NULL::VARCHAR AS entry WHERE false)`);
  }
  const rows = prices.map(
    (p) => sql`(${p.model}, ${p.deployment}, ${p.tokenType}, ${p.currency}, CAST(${p.perMillion} AS DECIMAL(38,18)),
    ${p.origin}, ${p.entry})`,
  );
  return sql`(SELECT * FROM (VALUES ${join(rows, ', ')}) AS v(model, deployment, token_type, currency, per_million, origin, entry))`;
}

/**
 * The deployment type (`<scope>-<tier>`) each resource and model is billed on: the one with the most cost,
 * provisioned and unknown scopes left out; as a relation dt(rid, model, deployment_type) for SQL. Read in a
 * statement of its own: joined to the telemetry in one statement, DuckDB no longer pushes the period into it.
 */
export async function deploymentTypesSql(ledger: Ledger): Promise<Sql> {
  // weighted by list cost, not tokens: tl_tokens is derived per row, too slow to compute over the whole ledger.
  // Summed per resource id as billed first: its key in lower case, and the type's name, from those sums, not per row.
  const rows = await ledger.query(sql`SELECT rid, model, arg_max(deployment_type, weight) AS deployment_type FROM (
      SELECT lower(ResourceId) AS rid, model, tl_scope || '-' || tl_tier AS deployment_type, sum(weight) AS weight FROM (
        SELECT ResourceId, tl_model AS model, tl_scope, tl_tier, sum(abs(coalesce(ListCost, BilledCost))) AS weight
        FROM charges
        WHERE tl_token_type IS NOT NULL AND tl_tier IN ('standard', 'batch') AND tl_scope IS NOT NULL
        GROUP BY ALL)
      GROUP BY ALL)
    GROUP BY ALL ORDER BY ALL`);
  if (!rows.length) return code('(SELECT NULL::VARCHAR AS rid, NULL::VARCHAR AS model, NULL::VARCHAR AS deployment_type WHERE false)');
  const values = rows.map((r) => sql`(${String(r.rid)}, ${String(r.model)}, ${String(r.deployment_type)})`);
  return sql`(SELECT * FROM (VALUES ${join(values, ', ')}) AS v(rid, model, deployment_type))`;
}

/** The models the ledger knows (billed or in telemetry) in the period. */
async function modelsSeen(ledger: Ledger, period: Period): Promise<Set<string>> {
  const rows = await ledger.query(sql`SELECT DISTINCT tl_model AS m FROM charges_daily WHERE tl_model IS NOT NULL
      AND ${inPeriod(code('charge_day'), period, 'DATE')}
    UNION SELECT DISTINCT model FROM telemetry WHERE model IS NOT NULL AND ${inPeriod(code('ts'), period)}`);
  return new Set(rows.map((r) => String(r.m)));
}

export async function prices(ledger: Ledger, o: RequestOf<'prices'>): Promise<Report> {
  const book = await priceBook(ledger, o);
  const seen = await modelsSeen(ledger, o.period);
  const rows = book.prices
    .filter((p) => o.all || seen.has(p.model))
    .map((p) => ({
      model: p.model,
      deployment: p.deployment,
      token_type: p.tokenType,
      currency: p.currency,
      price_per_1m: p.perMillion,
      origin: p.origin,
      entry: p.entry,
      effective_from: p.effectiveFrom,
      source: p.source,
    }));
  return {
    name: 'prices',
    title: `Prices per 1M tokens as of ${book.asOf}: the invoice's own where it has the charge, else your price sheet, else the catalog`,
    meta: { ...baseMeta(o), as_of: book.asOf, all: o.all },
    columns: [
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'deployment', label: 'Deployment', kind: 'text' },
      { key: 'token_type', label: 'Token type', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'price_per_1m', label: 'Per 1M', kind: 'rate' },
      { key: 'origin', label: 'From', kind: 'text' },
      { key: 'entry', label: 'Entry', kind: 'text' },
      { key: 'effective_from', label: 'Effective', kind: 'text', secondary: true },
      { key: 'source', label: 'Source', kind: 'text', secondary: true },
    ],
    rows,
    notes: [
      "invoice: effective (or billed, with --cost billed) cost / tokens of the period's charges; " +
        'catalog prices are list prices to re-check.',
      ...(o.all ? [] : ['Only models billed or seen in telemetry in the period; --all lists the whole catalog.']),
      ...Object.entries(book.catalog.sources)
        .filter(([k]) => rows.some((r) => String(r.source).includes(`${k}:`)))
        .map(([k, v]) => `${k}: ${v}`),
      ...(book.sheetSkipped ? [`${book.sheetSkipped} price sheet item(s) were not token prices and were skipped.`] : []),
    ],
  };
}
