/**
 * A scope: which part of the ledger a principal may see (teams, features, cost centers, environments,
 * currencies). It is applied in one place, the Ledger, to every relation a report reads, by shadowing
 * each relation's name with a filtered copy in the statement's WITH clause. A report's SQL never
 * mentions the scope, so it cannot forget it. With no scope nothing is shadowed.
 *
 * What each relation shows under a scope:
 * 1. alloc_rows, alloc_month, alloc_daily: the shares whose feature / team / environment / cost center / currency are
 *    in scope (a share with no team is not in a team scope: unallocated cost belongs to nobody).
 * 2. billing_rows, charges: the billing rows that have shares in scope, with BilledCost, EffectiveCost and
 *    tokens replaced by the in-scope shares' sums (ListCost and ContractedCost hidden): a team sees its
 *    part of each invoice line, never the whole line. charges_daily: the rollup of those rows, summed
 *    by the same SELECT that keeps the stored one (store/rollup.ts), so it is the same arithmetic.
 * 3. telemetry, telemetry_rows, telemetry_tokens: the records whose dimensions are in scope.
 *    telemetry_daily (keyed by those dimensions): its rows in scope; telemetry_resource_daily and
 *    telemetry_minute, which are not: their SELECT over the scope's telemetry (store/telemetry-rollup.ts).
 * 4. event_rows: the events of features the scope sees.
 * 5. The economics ledger is computed from the whole ledger (shared pools need every feature's basis)
 *    and only its result is filtered (economicsScopeSql), so a team's shared cost is the same number
 *    with or without the scope.
 */
import { rollupSelect } from '../store/rollup.js';
import { telemetryRollupSelect } from '../store/telemetry-rollup.js';
import { code, join, list, Sql, sql } from '../store/sql.js';

export interface Scope {
  teams?: string[] | undefined;
  features?: string[] | undefined;
  costCenters?: string[] | undefined;
  environments?: string[] | undefined;
  currencies?: string[] | undefined;
}

const DIMENSIONS: [keyof Scope, string][] = [
  ['features', 'feature'],
  ['teams', 'team'],
  ['environments', 'environment'],
  ['costCenters', 'cost_center'],
];

/** True when the scope restricts anything. */
export function isScoped(s: Scope): boolean {
  return [...DIMENSIONS.map(([k]) => k), 'currencies' as const].some((k) => s[k] !== undefined);
}

/** The condition on a relation with feature / team / environment / cost_center columns (and currency, if it has one). */
export function scopeCondition(s: Scope, opts: { currency?: string } = {}): Sql {
  const parts: Sql[] = [];
  for (const [key, column] of DIMENSIONS) {
    const values = s[key];
    if (values !== undefined) parts.push(sql`${code(column)} IN (${list(values)})`);
  }
  if (s.currencies !== undefined && opts.currency) parts.push(sql`${code(opts.currency)} IN (${list(s.currencies)})`);
  return parts.length ? join(parts, ' AND ') : code('true');
}

const LINEAGE = 'tl_ingestion_id, tl_source_part, tl_source_row';

/** A billing relation (billing_rows or charges) cut down to the in-scope shares of each row. */
function billingShadow(name: 'billing_rows' | 'charges'): Sql {
  const tokens = name === 'charges' ? ', s.tokens AS tl_tokens' : '';
  return code(`${name} AS (
  SELECT b.* REPLACE (s.billed_cost AS BilledCost, s.effective_cost AS EffectiveCost,
    CAST(NULL AS DECIMAL(38,18)) AS ListCost, CAST(NULL AS DECIMAL(38,18)) AS ContractedCost${tokens})
  FROM main.${name} b JOIN tl_scope_rows s USING (${LINEAGE})
)`);
}

/** The WITH entries that shadow every scoped relation; none without a scope. */
export function scopeShadows(s: Scope): Sql | null {
  if (!isScoped(s)) return null;
  const alloc = scopeCondition(s, { currency: 'currency' });
  const telemetry = scopeCondition({ ...s, currencies: undefined });
  const entries: Sql[] = [
    sql`alloc_rows AS (SELECT * FROM main.alloc_rows WHERE ${alloc})`,
    sql`alloc_month AS (SELECT * FROM main.alloc_month WHERE ${alloc})`,
    sql`alloc_daily AS (SELECT * FROM main.alloc_daily WHERE ${alloc})`,
    code(`tl_scope_rows AS (
  SELECT ${LINEAGE}, sum(billed_cost) AS billed_cost, sum(effective_cost) AS effective_cost,
    CAST(sum(allocated_tokens) AS DECIMAL(38,6)) AS tokens
  FROM alloc_rows GROUP BY ALL
)`),
    billingShadow('billing_rows'),
    billingShadow('charges'),
    sql`charges_daily AS (${rollupSelect()})`,
    sql`telemetry AS (SELECT * FROM main.telemetry WHERE ${telemetry})`,
    sql`telemetry_rows AS (SELECT * FROM main.telemetry_rows WHERE ${telemetry})`,
    sql`telemetry_tokens AS (SELECT * FROM main.telemetry_tokens WHERE ${telemetry})`,
    sql`telemetry_daily AS (SELECT * FROM main.telemetry_daily WHERE ${telemetry})`,
    sql`telemetry_resource_daily AS (${telemetryRollupSelect('telemetry_resource_daily')})`,
    sql`telemetry_minute AS (${telemetryRollupSelect('telemetry_minute')})`,
    code('event_rows AS (SELECT * FROM main.event_rows WHERE feature IN (SELECT DISTINCT feature FROM alloc_daily WHERE feature IS NOT ' +
      'NULL))'),
  ];
  return join(entries, ',\n');
}

/** The filter on the economics ledger's result relations (econ, unit_costs); `true` without a scope. */
export function economicsScopeSql(s: Scope): Sql {
  return scopeCondition(s, { currency: 'currency' });
}

/**
 * Put shadows in front of a statement: merged into its own WITH clause when it has one (leading
 * comments skipped), else as a new WITH clause.
 */
export function withShadows(statement: Sql, shadows: Sql | null): Sql {
  if (!shadows) return statement;
  const text = statement.text;
  const lead = /^(?:\s+|--[^\n]*\n)*/.exec(text)?.[0] ?? '';
  const rest = text.slice(lead.length);
  const m = /^WITH\s+/i.exec(rest);
  const body = m ? `${lead}WITH ${shadows.text},\n${rest.slice(m[0].length)}` : `${lead}WITH ${shadows.text}\n${rest}`;
  return new Sql(body, { ...shadows.params, ...statement.params });
}
