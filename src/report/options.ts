/**
 * What every report takes: the period, the cost basis (EffectiveCost by default, BilledCost on request),
 * and the SQL fragments those become. Templates use /*NAME*\/ placeholders filled by `fillSql`.
 */
import { UsageError } from '../domain/errors.js';
import type { EconomicsConfig } from '../config/economics.js';
import { periodWhere, type Period } from './period.js';

export type CostBasis = 'effective' | 'billed';

export interface ReportOptions {
  period: Period;
  costBasis: CostBasis;
  by: string[];
  /** token-drift: flag above this percentage; include ok rows. */
  threshold?: number;
  all?: boolean;
  /** Unit economics: one unit type; sensitivity scenario; variance comparison month. */
  unit?: string;
  vs?: Period;
  scenario?: { responseLength: number; retries: number; model?: string };
  /** reconcile: today's date (YYYY-MM-DD) and whether an open period may be reported as a draft. */
  today?: string;
  allowIncomplete?: boolean;
  /** A billing period closes this many days after its end, or with an invoice id (tokenledger.yaml checks.close_after_days). */
  closeDays?: number;
  /** tokenledger.yaml units, cost classes and sharing rules. */
  economics?: EconomicsConfig;
}

export function parseCostBasis(v: string | undefined): CostBasis {
  if (v === undefined || v === 'effective') return 'effective';
  if (v === 'billed') return 'billed';
  throw new UsageError(`--cost ${v}: expected effective or billed`);
}

export function costColumn(basis: CostBasis): string {
  return basis === 'billed' ? 'BilledCost' : 'EffectiveCost';
}

/** Fill /*NAME*\/ placeholders; those inside a -- comment are left alone (a value may span lines). */
export function fillSql(template: string, vars: Record<string, string>): string {
  return template.split('\n').map((line) => {
    const cut = line.indexOf('--');
    const code = cut < 0 ? line : line.slice(0, cut);
    const filled = code.replace(/\/\*([A-Z_]+)\*\//g, (whole, name: string) => {
      const v = vars[name];
      if (v === undefined) throw new Error(`SQL template placeholder ${whole} has no value`);
      return v;
    });
    return cut < 0 ? filled : filled + line.slice(cut);
  }).join('\n');
}

export function chargeWhere(o: ReportOptions): string {
  return periodWhere(o.period, 'ChargePeriodStart');
}

export function baseMeta(o: ReportOptions) {
  return {
    cost_basis: o.costBasis,
    period: { from: o.period.from, to: o.period.to },
  };
}
