/**
 * The economics ledger (economics.sql) with the parts tokenledger.yaml decides filled in: cost classes,
 * sharing rules and their bases, unit definitions and what counts as success. Reports of unit economics,
 * chargeback, sensitivity and variance all start from it, so they agree to the cent.
 */
import type { EconomicsConfig, SharingRule } from '../config/economics.js';
import { UsageError } from '../domain/errors.js';
import { allocatedCostColumn, type CostBasis } from '../domain/cost-basis.js';
import { wholeMonths, type Period } from '../domain/period.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, join, list, sql, type Sql } from '../store/sql.js';
import { costClassSql, shareRuleSql } from './classes.js';
import { exactSplitSql } from './exact-split.js';

const SQL = loadSql(import.meta.url, 'economics.sql');

/**
 * Shared cost landed on a feature, split over the feature's teams, environments and cost centers in
 * proportion to the feature's direct cost (chargeback shows shared cost per team the same way).
 */
export const TEAM_SPLIT = exactSplitSql({
  pools: "SELECT month, currency, feature, cost_class, source, rule, basis, kind, sum(cost) AS cost, sum(tokens) AS tokens FROM econ_all " +
    "WHERE source = 'shared' GROUP BY ALL",
  weights: "SELECT month, currency, feature, team, environment, cost_center, CAST(sum(cost) AS DOUBLE) AS weight FROM econ_all WHERE " +
    "source = 'direct' GROUP BY ALL",
  by: ['month', 'currency', 'feature'], targets: ['team', 'environment', 'cost_center'], amounts: ['cost'], scaled: ['tokens'],
});
const SCOPED_ECON = `econ AS (
  SELECT * FROM (
    SELECT * FROM econ_all WHERE source <> 'shared'
    UNION ALL BY NAME
    SELECT * EXCLUDE (tl_pool, tl_w, tl_wt, tl_split) FROM /*TEAM_SPLIT*/
  ) WHERE /*SCOPE*/
)`;

const NO_WEIGHTS = code(
  'SELECT CAST(NULL AS VARCHAR) AS rule, CAST(NULL AS VARCHAR) AS part, CAST(NULL AS DATE) AS month, CAST(NULL AS VARCHAR) AS feature, ' +
    'CAST(NULL AS DOUBLE) AS weight WHERE false');
const NONE = code('');

/** Economics works on whole months: --month, or --from/--to on the first of a month, or everything. */
export function checkMonthPeriod(p: Period): void {
  if (wholeMonths(p)) return;
  const [flag, v] = p.from && !p.from.endsWith('-01') ? ['--from', p.from] : ['--to', p.to];
  throw new UsageError(`${flag} ${v}: unit economics works on whole months; use --month YYYY-MM or dates on the 1st of a month`);
}

function unitsOf(r: SharingRule): Sql {
  return r.units ? sql` AND unit IN (${list(r.units.map((u) => u.toLowerCase()))})` : NONE;
}
function featuresOf(r: SharingRule): Sql {
  return r.features ? sql` AND feature IN (${list(r.features)})` : NONE;
}

/** The basis of each sharing rule per month and feature (rule, part, month, feature, weight). */
function weightsSql(rules: SharingRule[]): Sql {
  const parts: Sql[] = [];
  for (const r of rules) {
    const name = r.name;
    const byUnits = (
      part: string) => sql`SELECT ${name} AS rule, ${part} AS part, month, feature, CAST(sum(units) AS DOUBLE) AS weight FROM evf
        WHERE true${unitsOf(r)}${featuresOf(r)} GROUP BY ALL`;
    switch (r.basis) {
      case 'tokens':
        parts.push(sql`SELECT ${name} AS rule, 'all' AS part, month, feature, CAST(sum(tokens) AS DOUBLE) AS weight FROM am
          WHERE feature IS NOT NULL AND kind = 'token'${featuresOf(r)} GROUP BY ALL`);
        break;
      case 'units':
        parts.push(byUnits('all'));
        break;
      case 'percent': {
        const rows = Object.entries(r.percent!).map(([f, w]) => sql`(${f}, CAST(${w} AS DOUBLE))`);
        parts.push(sql`SELECT ${name} AS rule, 'all' AS part, m.month, p.feature, p.weight FROM months m
          CROSS JOIN (VALUES ${join(rows, ', ')}) p(feature, weight)`);
        break;
      }
      case 'fixed_plus_units':
        parts.push(r.features
          ? sql`SELECT ${name} AS rule, 'fixed' AS part, m.month, f.feature, 1.0 AS weight FROM months m
            CROSS JOIN (VALUES ${join(r.features.map((f) => sql`(${f})`), ', ')}) f(feature)`
          : sql`SELECT ${name} AS rule, 'fixed' AS part, month, feature, 1.0 AS weight FROM evf WHERE true${unitsOf(r)}
            GROUP BY month, feature HAVING sum(units) > 0`);
        parts.push(byUnits('variable'));
        break;
      default: {
        const never: never = r.basis;
        throw new Error(`unknown basis ${String(never)}`);
      }
    }
  }
  return parts.length ? join(parts.map((p) => sql`SELECT rule, part, month, feature, weight FROM (${p})`), '\nUNION ALL\n') : NO_WEIGHTS;
}

/** Pools per rule and part: fixed_plus_units pools give their fixed amount first, the rest by units. */
function poolsSql(rules: SharingRule[]): Sql {
  const fixed = rules.filter((r) => r.basis === 'fixed_plus_units');
  const out = [
    sql`SELECT month, currency, rule, cost_class, 'all' AS part, cost
      FROM pool0${fixed.length ? sql` WHERE rule NOT IN (${list(fixed.map((r) => r.name))})` : NONE}`];
  if (fixed.length) {
    const f = sql`(VALUES ${join(fixed.map((r) => sql`(${r.name}, CAST(${r.fixed!} AS DECIMAL(38,18)))`), ', ')}) f(rule, fixed)`;
    out.push(sql`SELECT p.month, p.currency, p.rule, p.cost_class, 'fixed' AS part, CASE WHEN p.cost >= f.fixed THEN f.fixed
      ELSE p.cost END AS cost FROM pool0 p JOIN ${f} USING (rule)`);
    out.push(sql`SELECT p.month, p.currency, p.rule, p.cost_class, 'variable' AS part, p.cost - f.fixed AS cost FROM pool0 p JOIN ${f}
      USING (rule) WHERE p.cost > f.fixed`);
  }
  return join(out, '\nUNION ALL\n');
}

/** What each shared row says about its basis ("tokens 1200 of 5000"). */
function basisTextSql(rules: SharingRule[]): Sql {
  if (!rules.length) return code('CAST(NULL AS VARCHAR)');
  const n = (x: string) => code(`CAST(round(${x}) AS BIGINT)`);
  const whens = rules.map((r) => {
    const name = r.name;
    switch (r.basis) {
      case 'tokens': return sql`WHEN rule = ${name} THEN format('{}: tokens, {} of {}', rule, ${n('tl_w')}, ${n('tl_wt')})`;
      case 'units': return sql`WHEN rule = ${name} THEN format('{}: units, {} of {}', rule, ${n('tl_w')}, ${n('tl_wt')})`;
      case 'percent': return sql`WHEN rule = ${name} THEN format('{}: {}% of the pool', rule, tl_w)`;
      case 'fixed_plus_units':
        return sql`WHEN rule = ${name} AND part = 'fixed'
          THEN format('{}: fixed {} per month, equal share 1 of {}', rule, ${r.fixed!}, ${n('tl_wt')})
          WHEN rule = ${name} THEN format('{}: variable part by units, {} of {}', rule, ${n('tl_w')}, ${n('tl_wt')})`;
      default: return NONE;
    }
  });
  return sql`CASE ${join(whens, ' ')} END`;
}

function successSql(cfg: EconomicsConfig | undefined): Sql {
  const units = Object.entries(cfg?.units ?? {}).filter(([, u]) => u.success);
  const whens = units.map(([name, u]) => sql`WHEN ${name.toLowerCase()} THEN outcome IN (${list(u.success!.map((s) => s.toLowerCase()))})`);
  return whens.length ? sql`CASE unit ${join(whens, ' ')} ELSE outcome = 'success' END` : code("outcome = 'success'");
}

function cfgUnitsSql(cfg: EconomicsConfig | undefined): Sql {
  const pairs = Object.entries(cfg?.units ?? {}).flatMap(([u, d]) => d.features.map((f) => sql`(${u.toLowerCase()}, ${f})`));
  return pairs.length ? sql`VALUES ${join(pairs, ', ')}` : code('SELECT CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR) WHERE false');
}

export interface EconomicsRequest {
  period: Period;
  costBasis: CostBasis;
  economics?: EconomicsConfig | undefined;
  /** A condition on econ / unit_costs rows (the Ledger's scope); everything when absent. */
  scope?: Sql | undefined;
}

/** The WITH clause of the economics ledger; append a SELECT over econ, unit_costs, ev, shared, am. */
export function economicsSql(s: EconomicsRequest): Sql {
  checkMonthPeriod(s.period);
  const rules = s.economics?.sharing ?? [];
  return fill(SQL, {
    RULE: shareRuleSql(s.economics),
    CLASS: costClassSql(s.economics),
    COST: code(allocatedCostColumn(s.costBasis)),
    MONTHS: inPeriod(code('a.month'), s.period, 'DATE'),
    EV_WHERE: inPeriod(code('ts'), s.period),
    ECON: s.scope ? fill(SCOPED_ECON, { SCOPE: s.scope, TEAM_SPLIT: code(TEAM_SPLIT) }) : code('econ AS (SELECT * FROM econ_all)'),
    SUCCESS: successSql(s.economics),
    CFG_UNITS: cfgUnitsSql(s.economics),
    POOLS: poolsSql(rules),
    WEIGHTS: weightsSql(rules),
    SHARED_SPLIT: code(
      exactSplitSql({ pools: 'SELECT * FROM pools', weights: 'SELECT * FROM weights', by: ['rule', 'part', 'month'], targets: ['feature'],
        amounts: ['cost'] })),
    BASIS_TEXT: basisTextSql(rules),
    UNIT_SPLIT: code(exactSplitSql({
      pools: 'SELECT month, currency, feature, cost_class, source, kind, model, token_type, sum(cost) AS cost, sum(tokens) AS tokens ' +
        'FROM econ WHERE feature IS NOT NULL GROUP BY ALL',
      weights: 'SELECT month, feature, unit, weight FROM ufw', by: ['month', 'feature'], targets: ['unit'], amounts: ['cost'],
      scaled: ['tokens'],
    })),
  });
}
