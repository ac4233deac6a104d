/**
 * The economics ledger (economics.sql) with the parts tokenledger.yaml decides filled in: cost classes,
 * sharing rules and their bases, unit definitions and what counts as success. Reports of unit economics,
 * chargeback, sensitivity and variance all start from it, so they agree to the cent.
 */
import type { EconomicsConfig, SharingRule } from '../config/economics.js';
import { UsageError } from '../domain/errors.js';
import { costColumn, fillSql, type CostBasis } from '../report/options.js';
import type { Period } from '../domain/period.js';
import { literal, loadSql } from '../store/db.js';
import { costClassSql, shareRuleSql } from './classes.js';
import { exactSplitSql } from './exact-split.js';

const SQL = loadSql(import.meta.url, 'economics.sql');

const list = (xs: string[]) => xs.map(literal).join(', ');
const NO_WEIGHTS = 'SELECT CAST(NULL AS VARCHAR) AS rule, CAST(NULL AS VARCHAR) AS part, CAST(NULL AS DATE) AS month, CAST(NULL AS VARCHAR) AS feature, CAST(NULL AS DOUBLE) AS weight WHERE false';

/** Economics works on whole months: --month, or --from/--to on the first of a month, or everything. */
export function checkMonthPeriod(p: Period): void {
  for (const [flag, v] of [['--from', p.from], ['--to', p.to]] as const) {
    if (v && !v.endsWith('-01')) throw new UsageError(`${flag} ${v}: unit economics works on whole months; use --month YYYY-MM or dates on the 1st of a month`);
  }
}

function unitsOf(r: SharingRule): string {
  return r.units ? ` AND unit IN (${list(r.units.map((u) => u.toLowerCase()))})` : '';
}
function featuresOf(r: SharingRule): string {
  return r.features ? ` AND feature IN (${list(r.features)})` : '';
}

/** The basis of each sharing rule per month and feature (rule, part, month, feature, weight). */
function weightsSql(rules: SharingRule[]): string {
  const parts: string[] = [];
  for (const r of rules) {
    const name = literal(r.name);
    const byUnits = (part: string) => `SELECT ${name} AS rule, '${part}' AS part, month, feature, CAST(sum(units) AS DOUBLE) AS weight FROM evf WHERE true${unitsOf(r)}${featuresOf(r)} GROUP BY ALL`;
    switch (r.basis) {
      case 'tokens':
        parts.push(`SELECT ${name} AS rule, 'all' AS part, month, feature, CAST(sum(tokens) AS DOUBLE) AS weight FROM am WHERE feature IS NOT NULL AND kind = 'token'${featuresOf(r)} GROUP BY ALL`);
        break;
      case 'units':
        parts.push(byUnits('all'));
        break;
      case 'percent':
        parts.push(`SELECT ${name} AS rule, 'all' AS part, m.month, p.feature, p.weight FROM months m CROSS JOIN (VALUES ${Object.entries(r.percent!).map(([f, w]) => `(${literal(f)}, CAST(${w} AS DOUBLE))`).join(', ')}) p(feature, weight)`);
        break;
      case 'fixed_plus_units':
        parts.push(r.features
          ? `SELECT ${name} AS rule, 'fixed' AS part, m.month, f.feature, 1.0 AS weight FROM months m CROSS JOIN (VALUES ${r.features.map((f) => `(${literal(f)})`).join(', ')}) f(feature)`
          : `SELECT ${name} AS rule, 'fixed' AS part, month, feature, 1.0 AS weight FROM evf WHERE true${unitsOf(r)} GROUP BY month, feature HAVING sum(units) > 0`);
        parts.push(byUnits('variable'));
        break;
      default: {
        const never: never = r.basis;
        throw new Error(`unknown basis ${String(never)}`);
      }
    }
  }
  return parts.length ? parts.map((p) => `SELECT rule, part, month, feature, weight FROM (${p})`).join('\nUNION ALL\n') : NO_WEIGHTS;
}

/** Pools per rule and part: fixed_plus_units pools give their fixed amount first, the rest by units. */
function poolsSql(rules: SharingRule[]): string {
  const fixed = rules.filter((r) => r.basis === 'fixed_plus_units');
  const out = [`SELECT month, currency, rule, cost_class, 'all' AS part, cost FROM pool0${fixed.length ? ` WHERE rule NOT IN (${list(fixed.map((r) => r.name))})` : ''}`];
  if (fixed.length) {
    const f = `(VALUES ${fixed.map((r) => `(${literal(r.name)}, CAST(${r.fixed} AS DECIMAL(38,18)))`).join(', ')}) f(rule, fixed)`;
    out.push(`SELECT p.month, p.currency, p.rule, p.cost_class, 'fixed' AS part, CASE WHEN p.cost >= f.fixed THEN f.fixed ELSE p.cost END AS cost FROM pool0 p JOIN ${f} USING (rule)`);
    out.push(`SELECT p.month, p.currency, p.rule, p.cost_class, 'variable' AS part, p.cost - f.fixed AS cost FROM pool0 p JOIN ${f} USING (rule) WHERE p.cost > f.fixed`);
  }
  return out.join('\nUNION ALL\n');
}

/** What each shared row says about its basis ("tokens 1200 of 5000"). */
function basisTextSql(rules: SharingRule[]): string {
  if (!rules.length) return 'CAST(NULL AS VARCHAR)';
  const n = (x: string) => `CAST(round(${x}) AS BIGINT)`;
  const whens = rules.map((r) => {
    const name = literal(r.name);
    switch (r.basis) {
      case 'tokens': return `WHEN rule = ${name} THEN format('{}: tokens, {} of {}', rule, ${n('tl_w')}, ${n('tl_wt')})`;
      case 'units': return `WHEN rule = ${name} THEN format('{}: units, {} of {}', rule, ${n('tl_w')}, ${n('tl_wt')})`;
      case 'percent': return `WHEN rule = ${name} THEN format('{}: {}% of the pool', rule, tl_w)`;
      case 'fixed_plus_units': return `WHEN rule = ${name} AND part = 'fixed' THEN format('{}: fixed {} per month, equal share 1 of {}', rule, ${literal(r.fixed!)}, ${n('tl_wt')})`
        + ` WHEN rule = ${name} THEN format('{}: variable part by units, {} of {}', rule, ${n('tl_w')}, ${n('tl_wt')})`;
      default: return '';
    }
  });
  return `CASE ${whens.join(' ')} END`;
}

function successSql(cfg: EconomicsConfig | undefined): string {
  const units = Object.entries(cfg?.units ?? {}).filter(([, u]) => u.success);
  const whens = units.map(([name, u]) => `WHEN ${literal(name.toLowerCase())} THEN outcome IN (${list(u.success!.map((s) => s.toLowerCase()))})`);
  return whens.length ? `CASE unit ${whens.join(' ')} ELSE outcome = 'success' END` : "outcome = 'success'";
}

function cfgUnitsSql(cfg: EconomicsConfig | undefined): string {
  const pairs = Object.entries(cfg?.units ?? {}).flatMap(([u, d]) => d.features.map((f) => `(${literal(u.toLowerCase())}, ${literal(f)})`));
  return pairs.length ? `VALUES ${pairs.join(', ')}` : 'SELECT CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR) WHERE false';
}

function monthsWhere(p: Period, column: string, cast: 'DATE' | 'TIMESTAMP'): string {
  const parts: string[] = [];
  if (p.from) parts.push(`${column} >= ${cast} '${p.from}'`);
  if (p.to) parts.push(`${column} < ${cast} '${p.to}'`);
  return parts.length ? parts.join(' AND ') : 'true';
}

export interface EconomicsScope { period: Period; costBasis: CostBasis; economics?: EconomicsConfig | undefined }

/** The WITH clause of the economics ledger; append a SELECT over econ, unit_costs, ev, shared, am. */
export function economicsSql(s: EconomicsScope): string {
  checkMonthPeriod(s.period);
  const rules = s.economics?.sharing ?? [];
  return fillSql(SQL, {
    RULE: shareRuleSql(s.economics),
    CLASS: costClassSql(s.economics),
    COST: costColumn(s.costBasis) === 'BilledCost' ? 'billed_cost' : 'effective_cost',
    MONTHS: monthsWhere(s.period, 'a.month', 'DATE'),
    EV_WHERE: monthsWhere(s.period, 'ts', 'TIMESTAMP'),
    SUCCESS: successSql(s.economics),
    CFG_UNITS: cfgUnitsSql(s.economics),
    POOLS: poolsSql(rules),
    WEIGHTS: weightsSql(rules),
    SHARED_SPLIT: exactSplitSql({ pools: 'SELECT * FROM pools', weights: 'SELECT * FROM weights', by: ['rule', 'part', 'month'], targets: ['feature'], amounts: ['cost'] }),
    BASIS_TEXT: basisTextSql(rules),
    UNIT_SPLIT: exactSplitSql({
      pools: 'SELECT month, currency, feature, cost_class, source, kind, model, token_type, sum(cost) AS cost, sum(tokens) AS tokens FROM econ WHERE feature IS NOT NULL GROUP BY ALL',
      weights: 'SELECT month, feature, unit, weight FROM ufw', by: ['month', 'feature'], targets: ['unit'], amounts: ['cost'], scaled: ['tokens'],
    }),
  });
}
