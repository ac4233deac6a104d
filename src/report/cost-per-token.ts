/**
 * `report cost-per-token`: what a million tokens of each model, token type, tier and scope really cost,
 * from the invoice. Optional --by resource, subscription, region, day.
 */
import { UsageError } from '../domain/errors.js';
import { loadSql, type Store } from '../store/db.js';
import { baseMeta, chargeWhere, costColumn, fillSql, type ReportOptions } from './options.js';
import type { Column, Report } from './render.js';

const SQL = loadSql(import.meta.url, 'cost-per-token.sql');

export const BY_DIMENSIONS: Record<string, { expr: string; label: string }> = {
  resource: { expr: 'lower(ResourceId)', label: 'Resource' },
  subscription: { expr: 'SubAccountId', label: 'Subscription' },
  region: { expr: 'coalesce(RegionId, RegionName)', label: 'Region' },
  day: { expr: "strftime(ChargePeriodStart, '%Y-%m-%d')", label: 'Day' },
};

export function validateBy(by: string[], allowed: Record<string, unknown>): void {
  for (const b of by) {
    if (!(b in allowed)) throw new UsageError(`--by ${b}: expected one of ${Object.keys(allowed).join(', ')}`);
  }
}

export async function costPerToken(store: Store, o: ReportOptions): Promise<Report> {
  validateBy(o.by, BY_DIMENSIONS);
  const sql = fillSql(SQL, {
    BY_SELECT: o.by.map((b) => `${BY_DIMENSIONS[b]!.expr} AS ${b},`).join(' '),
    BY_ORDER: o.by.map((b) => `${b},`).join(' '),
    COST: costColumn(o.costBasis),
    WHERE: chargeWhere(o),
  });
  const rows = await store.query(sql);
  const columns: Column[] = [
    ...o.by.map((b) => ({ key: b, label: BY_DIMENSIONS[b]!.label, kind: 'text' as const })),
    { key: 'provider', label: 'Provider', kind: 'text' },
    { key: 'model', label: 'Model', kind: 'text' },
    { key: 'model_version', label: 'Version', kind: 'text' },
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
  };
}
