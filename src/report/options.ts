/**
 * What every report takes: the period, the cost basis (EffectiveCost by default, BilledCost on request),
 * and the SQL fragments those become. Templates use /*NAME*\/ placeholders filled by `fillSql`.
 */
import { costColumn, parseCostBasis, type CostBasis } from '../domain/cost-basis.js';
import type { EconomicsConfig } from '../config/economics.js';
import type { Period } from '../domain/period.js';

/** @deprecated transition only: import from domain/cost-basis.ts. */
export { costColumn, parseCostBasis, type CostBasis };


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

/** @deprecated transition only: a period condition as text (use inPeriod from store/sql.ts). */
export function periodWhere(p: Period, column: string): string {
  const parts: string[] = [];
  if (p.from) parts.push(`${column} >= TIMESTAMP '${p.from}'`);
  if (p.to) parts.push(`${column} < TIMESTAMP '${p.to}'`);
  return parts.length ? parts.join(' AND ') : 'true';
}
