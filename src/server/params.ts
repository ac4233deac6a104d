/**
 * Query parameters as command-line options: every option of `tokenledger report` (and `explain`) is a
 * parameter of the same name (`allow-incomplete=true` for `--allow-incomplete`, `by=team&by=feature` or
 * `by=team,feature` for `--by`), checked into the same parameter object the CLI builds, so the
 * application layer checks them with the same messages. An unknown parameter is refused the way
 * commander refuses an unknown option. A scope parameter (team, cost_center, ...) is refused apart:
 * what a principal sees comes from tokenledger.yaml, never from the URL.
 */
import type { BaseParams } from '../app/report.js';
import { UsageError } from '../domain/errors.js';
import type { ReportParams } from '../report/registry.js';

/** Raised for a parameter that tries to choose the scope (403). */
export class ScopeParamError extends Error {
  constructor(readonly param: string) {
    super(`${param}: the scope of what you see comes from your access in tokenledger.yaml, not from the URL`);
  }
}

export const SCOPE_PARAMS = ['team', 'teams', 'cost_center', 'cost-center', 'cost_centers', 'environment', 'environments', 'currency',
  'currencies', 'scope', 'principal'];

type Kind = 'text' | 'switch' | 'list' | 'choice';
interface Option { key: string; kind: Kind; flag: string; choices?: string[] }

const COST: Option = { key: 'cost', kind: 'choice', flag: '--cost <basis>', choices: ['effective', 'billed'] };
const FORMAT: Option = { key: 'format', kind: 'choice', flag: '--format <format>', choices: ['json', 'csv', 'table'] };

/** The options of `tokenledger report`, by parameter name. */
export const REPORT_OPTIONS: Record<string, Option> = {
  month: { key: 'month', kind: 'text', flag: '--month <YYYY-MM>' },
  from: { key: 'from', kind: 'text', flag: '--from <date>' },
  to: { key: 'to', kind: 'text', flag: '--to <date>' },
  cost: COST,
  threshold: { key: 'threshold', kind: 'text', flag: '--threshold <pct>' },
  all: { key: 'all', kind: 'switch', flag: '--all' },
  by: { key: 'by', kind: 'list', flag: '--by <dimension>' },
  unit: { key: 'unit', kind: 'text', flag: '--unit <type>' },
  vs: { key: 'vs', kind: 'text', flag: '--vs <YYYY-MM>' },
  'response-length': { key: 'responseLength', kind: 'text', flag: '--response-length <pct>' },
  retries: { key: 'retries', kind: 'text', flag: '--retries <pct>' },
  model: { key: 'model', kind: 'text', flag: '--model <name>' },
  deployment: { key: 'deployment', kind: 'text', flag: '--deployment <name>' },
  dimension: { key: 'dimension', kind: 'text', flag: '--dimension <name>' },
  measure: { key: 'measure', kind: 'text', flag: '--measure <name>' },
  'allow-incomplete': { key: 'allowIncomplete', kind: 'switch', flag: '--allow-incomplete' },
  today: { key: 'today', kind: 'text', flag: '--today <YYYY-MM-DD>' },
  horizon: { key: 'horizon', kind: 'text', flag: '--horizon <3m|90d>' },
  reconcile: { key: 'reconcile', kind: 'switch', flag: '--reconcile' },
  format: FORMAT,
};

/** The options of `tokenledger explain`. */
export const EXPLAIN_OPTIONS: Record<string, Option> = {
  month: REPORT_OPTIONS.month!,
  feature: { key: 'feature', kind: 'text', flag: '--feature <name>' },
  model: REPORT_OPTIONS.model!,
  'token-type': { key: 'tokenType', kind: 'text', flag: '--token-type <type>' },
  unit: REPORT_OPTIONS.unit!,
  cost: COST,
  format: FORMAT,
};

export type QueryOptions = BaseParams & ReportParams & { format?: string; feature?: string; tokenType?: string };

/**
 * The parameter object of a query string, as commander would build it from the same options: the
 * last value of an option wins, --by collects (comma-separated values split like the CLI's byList).
 */
export function queryOptions(query: URLSearchParams, options: Record<string, Option>): QueryOptions {
  const out: Record<string, unknown> = {};
  for (const name of new Set(query.keys())) {
    if (SCOPE_PARAMS.includes(name.toLowerCase())) throw new ScopeParamError(name);
    const o = options[name];
    if (!o) throw new UsageError(`unknown option '--${name}'`);
    const all = query.getAll(name);
    const last = all[all.length - 1]!;
    if (o.kind === 'list') {
      out[o.key] = all.flatMap((b) => b.split(',')).map((b) => b.trim()).filter(Boolean);
    } else if (o.kind === 'switch') {
      if (!['', 'true', 'false'].includes(last)) throw new UsageError(`--${name} ${last}: expected true or false`);
      if (last !== 'false') out[o.key] = true;
    } else if (o.kind === 'choice' && !o.choices!.includes(last)) {
      throw new UsageError(`option '${o.flag}' argument '${last}' is invalid. Allowed choices are ${o.choices!.join(', ')}.`);
    } else {
      out[o.key] = last;
    }
  }
  return out as QueryOptions;
}
