/**
 * `report cost-per-token`: what a million tokens of each model, token type, tier and scope really cost,
 * from the invoice. Optional --by resource, subscription, region, day.
 */
import { costColumn } from '../domain/cost-basis.js';
import { UsageError } from '../domain/errors.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, sql } from '../store/sql.js';
import { baseMeta, type CostPerTokenBy, type RequestOf } from './request.js';
import { wrapNote } from './bridge.js';
import type { Column, Report } from './render.js';

const SQL = loadSql(import.meta.url, 'cost-per-token.sql');

/**
 * `daily`: the expression over the daily rollup (charges_daily), when it holds the dimension; `expr` is over
 * the billing rows (charges), which the report reads when a dimension is not in the rollup.
 */
export const BY_DIMENSIONS: Record<CostPerTokenBy, { expr: string; label: string; daily?: string }> = {
  resource: { expr: 'lower(ResourceId)', label: 'Resource' },
  subscription: { expr: 'SubAccountId', label: 'Subscription', daily: 'SubAccountId' },
  region: { expr: 'coalesce(RegionId, RegionName)', label: 'Region', daily: 'coalesce(RegionId, RegionName)' },
  day: { expr: "strftime(ChargePeriodStart, '%Y-%m-%d')", label: 'Day', daily: "strftime(charge_day, '%Y-%m-%d')" },
};

/** --by values checked against what a report takes (the message lists them). */
export function validateBy<K extends string>(by: string[], allowed: Record<K, unknown>): K[] {
  for (const b of by) {
    if (!(b in allowed)) throw new UsageError(`--by ${b}: expected one of ${Object.keys(allowed).join(', ')}`);
  }
  return by as K[];
}

export async function costPerToken(ledger: Ledger, o: RequestOf<'cost-per-token'>): Promise<Report> {
  // the daily rollup answers unless a dimension needs the rows; both give the same sums
  const daily = o.by.every((b) => BY_DIMENSIONS[b].daily !== undefined);
  const rows = await ledger.query(fill(SQL, {
    BY_SELECT: code(o.by.map((b) => `${(daily ? BY_DIMENSIONS[b].daily : undefined) ?? BY_DIMENSIONS[b].expr} AS ${b},`).join(' ')),
    BY_ORDER: code(o.by.map((b) => `${b},`).join(' ')),
    COST: code(costColumn(o.costBasis)),
    SOURCE: code(daily ? 'charges_daily' : 'charges'),
    ROWS: code(daily ? 'sum(tl_rows)' : 'count(*)'),
    WHERE: daily ? inPeriod(code('charge_day'), o.period, 'DATE') : inPeriod(code('ChargePeriodStart'), o.period),
  }));
  const columns: Column[] = [
    ...o.by.map((b) => ({ key: b, label: BY_DIMENSIONS[b].label, kind: 'text' as const })),
    { key: 'provider', label: 'Provider', kind: 'text', secondary: true },
    { key: 'model', label: 'Model', kind: 'text' },
    { key: 'model_version', label: 'Version', kind: 'text', secondary: true },
    { key: 'token_type', label: 'Token type', kind: 'text' },
    { key: 'tier', label: 'Tier', kind: 'text' },
    { key: 'scope', label: 'Scope', kind: 'text' },
    { key: 'currency', label: 'Cur', kind: 'text' },
    { key: 'tokens', label: 'Tokens', kind: 'int' },
    { key: 'cost', label: 'Cost', kind: 'money' },
    { key: 'cost_per_1m_tokens', label: 'Cost / 1M tokens', kind: 'rate' },
  ];
  return {
    name: 'cost-per-token',
    title: `Cost per token (${o.costBasis} cost, ${o.period.label})`,
    meta: { ...baseMeta(o), by: o.by },
    columns,
    rows,
    notes: rows.length ? [] : await noTokenCharges(ledger, o),
  };
}

/** Why the table is empty: no billing at all, or billing without any AI token meter the rules read. */
async function noTokenCharges(ledger: Ledger, o: RequestOf<'cost-per-token'>): Promise<string[]> {
  const [c] = await ledger.query<{ n: string; ai: string }>(sql`SELECT coalesce(sum(tl_rows), 0) AS n,
    coalesce(sum(tl_rows) FILTER (WHERE tl_is_ai OR tl_unclassified), 0) AS ai FROM charges_daily
    WHERE ${inPeriod(code('charge_day'), o.period, 'DATE')}`);
  if (!Number(c?.n)) return ['No billing rows in this period.'];
  return wrapNote(`${c!.n} billing row(s) in this period, none of them an AI token charge the meter rules recognize`
    + `${Number(c!.ai) ? ` (${c!.ai} look like AI)` : ''}: \`tokenledger report unclassified\` lists AI-looking meters no rule`
    + ' read; add rules (tokenledger.yaml rules:) and run `tokenledger reclassify`.');
}
