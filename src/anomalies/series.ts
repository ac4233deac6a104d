/**
 * The daily series the detector reads, from the ledger (so the scope applies): cost per dimension value
 * from the stored allocation (billing, exact decimal text per day), tokens and requests per value from
 * telemetry, and the days whose data is missing. A day without rows in the range is a zero.
 */
import { allocatedCostColumn, type CostBasis } from '../domain/cost-basis.js';
import { UNALLOCATED } from '../domain/allocation.js';
import type { Ledger } from '../ledger/ledger.js';
import { MISSING_DAYS } from '../check/status.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, sql, type Sql } from '../store/sql.js';

export const ANOMALY_DIMENSIONS = ['total', 'feature', 'team', 'model', 'resource', 'token-type', 'meter'] as const;
export type AnomalyDimension = (typeof ANOMALY_DIMENSIONS)[number];
export type Measure = 'cost' | 'tokens' | 'requests';

export interface DailySeries {
  measure: Measure;
  dimension: AnomalyDimension;
  value: string;
  /** The currency of a cost series; null for tokens and requests. */
  currency: string | null;
  /** Consecutive days, YYYY-MM-DD, and one exact decimal (or integer) text per day. */
  days: string[];
  amounts: string[];
}

const COST_SQL = loadSql(import.meta.url, 'series-cost.sql');
const TELEMETRY_SQL = loadSql(import.meta.url, 'series-telemetry.sql');
const GAPS_SQL = loadSql(import.meta.url, 'gaps.sql');

/** The dimension's key over alloc_daily a, or alloc_rows a JOIN alloc_charges c where it names c. */
export const COST_KEYS: Record<AnomalyDimension, string> = {
  total: "'total'",
  feature: `coalesce(a.feature, '${UNALLOCATED}')`,
  team: `coalesce(a.team, '${UNALLOCATED}')`,
  model: "coalesce(a.model, '(no model)')",
  resource: "coalesce(c.ResourceName, '(no resource)')",
  'token-type': "coalesce(a.token_type, '(not tokens)')",
  meter: "coalesce(c.x_SkuMeterName, '(no meter)')",
};

/**
 * The dimension's key over the telemetry rollups (store/telemetry-rollup.ts: telemetry_daily, or
 * telemetry_resource_daily for resource); null: telemetry does not have it (meter).
 */
export const TELEMETRY_KEYS: Record<AnomalyDimension, string | null> = {
  total: "'total'",
  feature: `coalesce(feature, '${UNALLOCATED}')`,
  team: `coalesce(team, '${UNALLOCATED}')`,
  model: "coalesce(model, '(no model)')",
  resource: "coalesce(regexp_extract(resource_id, '([^/]+)$', 1), '(no resource)')",
  'token-type': 'token_type',
  meter: null,
};

/** The daily rollup that holds a telemetry dimension (read instead of the records). */
export const telemetryRollupOf = (dimension: AnomalyDimension): string =>
  (dimension === 'resource' ? 'telemetry_resource_daily' : 'telemetry_daily');

/**
 * telemetry_daily in the billing token types, as the view telemetry_tokens has the records (a type only where it
 * has tokens: counts are never negative, so a rollup row has a type's tokens exactly when one of its records has).
 */
const TOKEN_TYPES = `(SELECT d.day, k.token_type,
    CASE k.token_type WHEN 'input' THEN d.input_tokens - d.cached_input_tokens - d.cache_write_tokens
    WHEN 'prompt' THEN d.input_tokens WHEN 'cached_input' THEN d.cached_input_tokens WHEN 'cache_write' THEN d.cache_write_tokens
    ELSE d.output_tokens END AS tokens, d.requests
  FROM telemetry_daily d
  JOIN (VALUES ('input', true), ('cached_input', true), ('cache_write', true), ('output', true), ('prompt', false), ('output', false))
    k(token_type, split) ON k.split = d.cache_split) tt`;

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface Range { from: string | null; to: string | null }

const dayWhere = (column: string, r: Range): Sql => inPeriod(code(column), r, 'DATE');

/** Rows (day, key, amount) into dense series from the first to the last day seen, zeros between. */
function dense(rows: { day: string; key: string; amount: string }[], make: (key: string) => Omit<DailySeries, 'days' | 'amounts'>,
  last: string | null): DailySeries[] {
  const byKey = new Map<string, Map<string, string>>();
  for (const r of rows) byKey.set(r.key, (byKey.get(r.key) ?? new Map<string, string>()).set(r.day, r.amount));
  const all = rows.map((r) => r.day).sort();
  if (!all.length) return [];
  const first = all[0]!;
  const end = last ?? all[all.length - 1]!;
  const n = daysBetween(first, end) + 1;
  return [...byKey.entries()].map(([key, m]) => {
    const days = Array.from({ length: n }, (_, i) => addDays(first, i));
    return { ...make(key), days, amounts: days.map((d) => m.get(d) ?? '0') };
  });
}

/** Cost series of a dimension per value and currency, in a cost basis, over the days of `range`. */
export async function costSeries(ledger: Ledger, dimension: AnomalyDimension, basis: CostBasis, range: Range): Promise<DailySeries[]> {
  const rows = await ledger.query<{ day: string; currency: string; key: string; amount: string }>(fill(COST_SQL, {
    KEY: code(COST_KEYS[dimension]), COST: code(allocatedCostColumn(basis)),
    RELATION: code(/\bc\./.test(COST_KEYS[dimension]) ? 'alloc_rows a JOIN alloc_charges c USING (charge_key)' : 'alloc_daily a'),
    WHERE: dayWhere('a.day', range),
  }));
  const last = rows.reduce((a, r) => (r.day > a ? r.day : a), '');
  const out: DailySeries[] = [];
  for (const currency of [...new Set(rows.map((r) => r.currency))].sort()) {
    out.push(...dense(rows.filter((r) => r.currency === currency),
      (key) => ({ measure: 'cost', dimension, value: key, currency }), last || null));
  }
  return out;
}

/** Tokens and requests series of a dimension per value (none for meter: telemetry has no meters). */
export async function telemetrySeries(ledger: Ledger, dimension: AnomalyDimension, range: Range): Promise<DailySeries[]> {
  const key = TELEMETRY_KEYS[dimension];
  if (!key) return [];
  const tokenType = dimension === 'token-type';
  const rows = await ledger.query<{ day: string; key: string; tokens: string; requests: string }>(fill(TELEMETRY_SQL, {
    KEY: code(key), FROM: code(tokenType ? TOKEN_TYPES : telemetryRollupOf(dimension)),
    TOKENS: code(tokenType ? 'tokens' : 'input_tokens + output_tokens'),
    WHERE: tokenType ? sql`tokens <> 0 AND ${dayWhere('day', range)}` : dayWhere('day', range),
  }));
  const last = rows.reduce((a, r) => (r.day > a ? r.day : a), '') || null;
  const tokens = dense(rows.map((r) => ({ day: r.day, key: r.key, amount: r.tokens })),
    (k) => ({ measure: 'tokens', dimension, value: k, currency: null }), last);
  // requests per token type would count each request once per type: only tokens there
  const requests = tokenType ? [] : dense(rows.map((r) => ({ day: r.day, key: r.key, amount: r.requests })),
    (k) => ({ measure: 'requests', dimension, value: k, currency: null }), last);
  return [...tokens, ...requests];
}

export interface MissingDays { billing: Set<string>; telemetry: Set<string> }

/** Days whose billing rows or (for some resource) telemetry are missing. */
export async function missingDays(ledger: Ledger, range: Range = { from: null, to: null }): Promise<MissingDays> {
  const rows = await ledger.query<{ day: string; source: string }>(fill(GAPS_SQL, {
    MISSING_DAYS: code(MISSING_DAYS), WHERE_CHARGES: inPeriod(code('ChargePeriodStart'), range),
    WHERE_TELEMETRY: inPeriod(code('day'), range, 'DATE'),
  }));
  return {
    billing: new Set(rows.filter((r) => r.source === 'billing').map((r) => r.day)),
    telemetry: new Set(rows.filter((r) => r.source === 'telemetry').map((r) => r.day)),
  };
}
