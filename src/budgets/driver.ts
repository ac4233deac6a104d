/**
 * The driver-based forecast (cost = planned units x tokens per unit x cost per token + other cost per
 * unit + fixed capacity), from tokenledger.yaml `plan:` and what the ledger measured:
 *
 * 1. Per unit type and currency, the last (up to) three whole months through the data: units, tokens per
 *    unit (I), cost per token (R = token cost / tokens), other direct and shared cost per unit (D, S).
 * 2. Tokens per unit follow their trend: the least squares slope of I over those months, per month ahead
 *    (context-window creep goes on); R, D and S are the last month's (no price changes are configured yet).
 * 3. Month m: plan units x (I_m x R + D + S); capacity: each `plan.capacity` amount in its months.
 * Cost outside unit types (features without units, unallocated) is not a driver: the statistical forecast
 * covers it; the two are shown side by side, not added.
 */
import type { Plan } from '../config/budgets.js';
import type { CostBasis } from '../domain/cost-basis.js';
import { addMonths } from '../domain/month.js';
import { parsePeriod } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, join } from '../store/sql.js';

const SQL = loadSql(import.meta.url, 'driver.sql');
const MEASURED_MONTHS = 3;

export interface DriverRow { month: string; currency: string | null; unit: string; units: number | null; tokens_per_unit: number | null;
  cost_per_1m_tokens: number | null; other_per_unit: number | null; cost: number }

/** Driver forecast rows per unit type (and capacity) for each month of `months` the plan names. */
export async function driverForecast(ledger: Ledger, plan: Plan, costBasis: CostBasis, lastWholeMonth: string,
  months: string[]): Promise<DriverRow[]> {
  const first = addMonths(lastWholeMonth, 1 - MEASURED_MONTHS);
  const period = parsePeriod({ from: `${first}-01`, to: `${addMonths(lastWholeMonth, 1)}-01` });
  const measured = await ledger.query<{ month: string; currency: string; unit: string; units: number; t: number; k: number; d: number;
    s: number }>(join([ledger.economics(period, costBasis), code(SQL)], '\n'));
  const rows: DriverRow[] = [];
  for (const [unit, byMonth] of Object.entries(plan.units)) {
    const history = measured.filter((m) => m.unit === unit.toLowerCase() && m.units > 0);
    for (const currency of [...new Set(history.map((h) => h.currency))]) {
      const h = history.filter((x) => x.currency === currency);
      const last = h.at(-1)!;
      const intensity = h.map((x) => x.k / x.units);
      const slope = trendSlope(h.map((x) => monthIndex(x.month)), intensity);
      const rate = last.k > 0 ? last.t / last.k : 0;
      const other = (last.d + last.s) / last.units;
      for (const month of months) {
        const units = byMonth[month];
        if (units === undefined) continue;
        const i = Math.max(0, intensity.at(-1)! + slope * (monthIndex(month) - monthIndex(last.month)));
        rows.push({ month, currency, unit, units, tokens_per_unit: i, cost_per_1m_tokens: rate * 1e6, other_per_unit: other,
          cost: units * (i * rate + other) });
      }
    }
  }
  for (const c of plan.capacity) {
    for (const month of months) {
      if ((c.from && month < c.from) || (c.to && month > c.to)) continue;
      rows.push({ month, currency: null, unit: `capacity: ${c.name}`, units: null, tokens_per_unit: null, cost_per_1m_tokens: null,
        other_per_unit: null, cost: Number(c.amount) });
    }
  }
  return rows;
}

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));

/** Least squares slope of y over x (0 with fewer than two points). */
export function trendSlope(x: number[], y: number[]): number {
  if (x.length < 2) return 0;
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  x.forEach((v, i) => { sxy += (v - mx) * (y[i]! - my); sxx += (v - mx) ** 2; });
  return sxx > 0 ? sxy / sxx : 0;
}
