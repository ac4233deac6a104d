/**
 * The daily series budgets and forecasts are computed from: one measure (cost on a cost basis, or
 * tokens) per day, currency and optional key (feature, team, model...), cut to a scope over any
 * allocation dimension, read through the Ledger (so a principal's scope applies on top). Days without a
 * charge are zeros between a series' first charge and the last day asked, so every series is a gap-free
 * list of numbers the forecast module can take, alongside the exact decimal text of each day.
 */
import { allocatedCostColumn, type CostBasis } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, join, list, sql, type Sql } from '../store/sql.js';

const SQL = loadSql(import.meta.url, 'series.sql');
const TOTALS_SQL = loadSql(import.meta.url, 'totals.sql');

/** What a budget or forecast measures. */
export type Measure = 'cost' | 'tokens' | 'tokens.input' | 'tokens.output' | 'tokens.cached_input';
export const MEASURES: Measure[] = ['cost', 'tokens', 'tokens.input', 'tokens.output', 'tokens.cached_input'];

/** A scope's dimensions and the column of alloc_daily / alloc_rows a (or alloc_charges c, charges p) each filters. */
export const SCOPE_DIMENSIONS = {
  feature: 'a.feature', team: 'a.team', environment: 'a.environment', cost_center: 'a.cost_center', model: 'a.model',
  resource: 'lower(c.ResourceId)', provider: 'p.tl_provider',
} as const;
export type ScopeDimension = keyof typeof SCOPE_DIMENSIONS;
export type SeriesScope = Partial<Record<ScopeDimension, string[]>>;

/** The token types each token measure counts (input = every prompt token type: uncached, cached, cache writes). */
const TOKEN_TYPES: Record<Exclude<Measure, 'cost'>, string[] | null> = {
  tokens: null, 'tokens.input': ['input', 'cached_input', 'cache_write'], 'tokens.output': ['output'],
  'tokens.cached_input': ['cached_input'],
};

export interface SeriesRequest {
  measure: Measure;
  costBasis: CostBasis;
  scope: SeriesScope;
  /** Key per series: a column of alloc_rows (feature, team, model), or none (one series per currency). */
  by?: 'feature' | 'team' | 'model' | 'token_type' | undefined;
  from: string;
  /** Exclusive. */
  to: string;
}

export interface DailySeries {
  currency: string;
  key: string | null;
  /** The first day of `values`. */
  start: string;
  /** Exact decimal text per day (cost) or whole tokens. */
  exact: string[];
  values: number[];
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function scopeWhere(scope: SeriesScope): Sql {
  const parts: Sql[] = [];
  for (const [dim, values] of Object.entries(scope) as [ScopeDimension, string[]][]) {
    if (!values?.length) continue;
    const vs = dim === 'resource' ? values.map((v) => v.toLowerCase()) : values;
    parts.push(dim === 'resource'
      ? sql`(${code(SCOPE_DIMENSIONS.resource)} IN (${list(vs)}) OR c.ResourceName IN (${list(values)}))`
      : sql`${code(SCOPE_DIMENSIONS[dim])} IN (${list(vs)})`);
  }
  return parts.length ? join(parts, ' AND ') : code('true');
}

/**
 * What the series are read from: the daily rollup (alloc_daily, migration 017) unless the scope names a
 * resource or a provider, which only the rows' charges know.
 */
function relation(scope: SeriesScope): string {
  if (!scope.resource?.length && !scope.provider?.length) return 'alloc_daily a';
  const provider = scope.provider?.length ? ' LEFT JOIN charges p USING (tl_ingestion_id, tl_source_part, tl_source_row)' : '';
  return `alloc_rows a LEFT JOIN alloc_charges c USING (charge_key)${provider}`;
}

/** What series.sql and totals.sql share: the measure, the relation, the days and the scope of a request. */
function parts(r: Omit<SeriesRequest, 'by'>): Record<'MEASURE' | 'RELATION' | 'FROM' | 'TO' | 'WHERE' | 'COST', Sql> {
  const types = r.measure === 'cost' ? null : TOKEN_TYPES[r.measure];
  const typeWhere = r.measure === 'cost' ? code('true')
    : types ? sql`a.token_type IN (${list(types)})` : code('a.token_type IS NOT NULL');
  return {
    MEASURE: r.measure === 'cost' ? code(`sum(a.${allocatedCostColumn(r.costBasis)})`)
      : code('CAST(round(coalesce(sum(a.allocated_tokens), 0)) AS BIGINT)'),
    RELATION: code(relation(r.scope)),
    FROM: sql`CAST(${r.from} AS DATE)`, TO: sql`CAST(${r.to} AS DATE)`,
    WHERE: join([scopeWhere(r.scope), typeWhere], ' AND '),
    COST: code(allocatedCostColumn(r.costBasis)),
  };
}

export type TotalsDimension = 'feature' | 'model' | 'token_type';
export interface KeyTotal { dimension: TotalsDimension; key: string; currency: string; total: string }

/**
 * The totals over `from` .. `to` of a measure per feature, per model and per token type (and currency), in one
 * statement: each the sum of dailySeries' days for that key.
 */
export async function periodTotals(ledger: Ledger, r: Omit<SeriesRequest, 'by'>): Promise<KeyTotal[]> {
  return ledger.query<KeyTotal & Record<string, string>>(fill(TOTALS_SQL, parts(r)));
}

/** The statement of one daily series request. */
function seriesSql(r: SeriesRequest): Sql {
  return fill(SQL, { KEY: r.by ? code(`coalesce(a.${r.by}, '__unallocated__')`) : code('CAST(NULL AS VARCHAR)'), ...parts(r) });
}

type SeriesRow = { day: string; currency: string; key: string | null; value: string | number };

/** The daily series of a measure per currency and key over days `from` .. `to` (exclusive), zero-filled. */
export async function dailySeries(ledger: Ledger, r: SeriesRequest): Promise<DailySeries[]> {
  return seriesOf(await ledger.query<SeriesRow>(seriesSql(r)), r.to);
}

/**
 * The daily series of several requests (budgets: one per budget) from one statement: each request's rows are
 * those dailySeries reads, told apart by their position; values as text, the exact text of each branch's type.
 */
export async function dailySeriesMany(ledger: Ledger, rs: SeriesRequest[]): Promise<DailySeries[][]> {
  if (!rs.length) return [];
  const branches = rs.map((r, i) => sql`SELECT ${i} AS idx, day, currency, key, CAST(value AS VARCHAR) AS value FROM (${seriesSql(r)})`);
  const rows = await ledger.query<SeriesRow & { idx: number }>(
    sql`SELECT * FROM (${join(branches, '\nUNION ALL\n')}) ORDER BY idx, key, currency, day`);
  const by = rs.map((): SeriesRow[] => []);
  for (const row of rows) by[Number(row.idx)]!.push(row);
  return rs.map((r, i) => seriesOf(by[i]!, r.to));
}

function seriesOf(rows: SeriesRow[], to: string): DailySeries[] {
  const groups = new Map<string, { currency: string; key: string | null; days: Map<string, string> }>();
  for (const row of rows) {
    const id = `${row.currency}\u0000${row.key ?? ''}`;
    const g = groups.get(id) ?? { currency: row.currency, key: row.key, days: new Map<string, string>() };
    g.days.set(row.day, String(row.value));
    groups.set(id, g);
  }
  // each series starts on its own first day with a charge (a feature launched in October has no history
  // of zeros before it) and runs to the day before `to`, zero-filled
  return [...groups.values()].map((g) => {
    const start = [...g.days.keys()].reduce((a, b) => (b < a ? b : a));
    const exact = Array.from({ length: Math.max(0, daysBetween(start, to)) }, (_, i) => g.days.get(addDays(start, i)) ?? '0');
    return { currency: g.currency, key: g.key, start, exact, values: exact.map(Number) };
  });
}
