/**
 * `report forecast [--horizon 3m|90d] [--by feature|team|model]`: the statistical cost forecast per series
 * (total per currency, or per feature / team / model), per calendar month of the horizon, with 80 % and
 * 95 % intervals, and in its JSON the rolling-origin backtest accuracy of every method tried (WAPE, MAPE,
 * interval coverage per 30-day block). History: up to 365 days through the last complete day of data.
 *
 * 1. Data through: the data status' complete-through day (the earliest account's latest usage day).
 * 2. Series: src/budgets/series.ts (alloc_rows, so a principal's scope applies), zero-filled.
 * 3. Per series: src/forecast/ picks the method by backtest and forecasts the horizon in days.
 * 4. Per month of the horizon: the month's actual so far (exact), the forecast of its remaining days and
 *    their sum, each interval from the backtest errors of that same window after the origin.
 */
import { basename } from 'node:path';
import { driverForecast } from '../budgets/driver.js';
import type { Plan } from '../config/budgets.js';
import { loadPlan } from '../config/plan-file.js';
import { reconcileRows, RECONCILE_COLUMNS, RECONCILE_NOTES } from './forecast-reconcile.js';
import { dailySeries, addDays, daysBetween } from '../budgets/series.js';
import { estimateText, exactPlus } from '../budgets/estimate.js';
import { sumDecimals } from '../domain/decimal.js';
import { addMonths } from '../domain/month.js';
import { forecastSeries, windowTotal, type SeriesForecast } from '../forecast/index.js';
import type { Ledger } from '../ledger/ledger.js';
import type { JsonValue, Row } from '../store/db.js';
import type { Report } from './render.js';
import { baseMeta, type RequestOf } from './request.js';

const HISTORY_DAYS = 365;

import type { Horizon } from './horizon.js';
export { parseHorizon, type Horizon } from './horizon.js';

/** The last day (exclusive) the horizon reaches after `through`: Nm = N calendar months from the month of the next day. */
export function horizonEnd(h: Horizon, through: string): string {
  const next = addDays(through, 1);
  return h.unit === 'd' ? addDays(through, h.amount + 1) : `${addMonths(next.slice(0, 7), h.amount)}-01`;
}

const round4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
const pct = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 100);

function accuracyJson(f: SeriesForecast): JsonValue {
  return {
    method: f.method,
    origins: f.accuracy.origins,
    blocks: f.accuracy.blocks.map((b) => ({ days: `${(b.block - 1) * 30 + 1}-${b.block * 30}`, origins: b.origins, wape: round4(b.wape),
      mape: round4(b.mape), coverage80: round4(b.coverage80), coverage95: round4(b.coverage95) })),
    candidates: f.backtests.map((b) => ({ method: b.method, wape_1_30: round4(b.blocks[0]?.wape ?? null) })),
  };
}

export async function forecastReport(ledger: Ledger, o: RequestOf<'forecast'>): Promise<Report> {
  const status = await ledger.status({ from: null, to: null, label: 'all periods' }, o.today);
  const through = status.complete_through;
  if (o.reconcile) return reconcileReport(ledger, o, through);
  const rows: Row[] = [];
  const accuracy: JsonValue[] = [];
  if (through) {
    const end = horizonEnd(o.horizon, through);
    const days = daysBetween(through, end) - 1;
    const series = await dailySeries(ledger, { measure: 'cost', costBasis: o.costBasis, scope: {}, by: o.by ?? undefined,
      from: addDays(through, 1 - HISTORY_DAYS), to: addDays(through, 1) });
    for (const s of series) {
      const f = forecastSeries(s.values, days);
      accuracy.push({ currency: s.currency, key: s.key, ...(accuracyJson(f) as Record<string, JsonValue>) });
      // per calendar month touched by the horizon: actual so far (exact) + forecast of the days left
      for (let month = addDays(through, 1).slice(0, 7); `${month}-01` < end; month = addMonths(month, 1)) {
        const mStart = `${month}-01`;
        const mEnd = `${addMonths(month, 1)}-01` < end ? `${addMonths(month, 1)}-01` : end;
        const from = Math.max(0, daysBetween(addDays(through, 1), mStart));
        const to = daysBetween(addDays(through, 1), mEnd);
        const actualDays = s.exact.filter((_, i) => addDays(s.start, i) >= mStart);
        const actual = sumDecimals(['0', ...actualDays]);
        const w = windowTotal(f, from, to);
        const t = (x: number | null) => (x === null ? null : exactPlus(actual, x));
        rows.push({ currency: s.currency, key: s.key ?? 'total', month, method: f.method, actual_to_date: actual,
          forecast_days: to - from, forecast_rest: estimateText(w.point), projected: t(w.point),
          lo80: t(w.lo80), hi80: t(w.hi80), lo95: t(w.lo95), hi95: t(w.hi95),
          wape_1_30_pct: pct(f.accuracy.blocks[0]?.wape ?? null) });
      }
    }
  }
  const plan = o.by ? null : loadPlan(ledger.config.plan);
  if (through && plan) rows.push(...await driverRows(ledger, plan, o, through, [...new Set(rows.map((r) => String(r.month)))]));
  return {
    name: 'forecast',
    title: `Cost forecast${o.by ? ` by ${o.by}` : ''}, ${o.horizon.label} after ${through ?? '(no data)'} (${o.costBasis} cost; ` +
      'method per series by rolling-origin backtest)',
    meta: { ...baseMeta(o), horizon: o.horizon.label, by: o.by, data_through: through, accuracy },
    columns: [
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'key', label: o.by ?? 'series', kind: 'text' },
      { key: 'month', label: 'Month', kind: 'text' },
      { key: 'method', label: 'Method', kind: 'text', secondary: true },
      { key: 'actual_to_date', label: 'Actual', kind: 'money' },
      { key: 'forecast_days', label: 'Days fc', kind: 'int', secondary: true },
      { key: 'forecast_rest', label: 'Forecast rest', kind: 'money', secondary: true },
      { key: 'projected', label: 'Projected', kind: 'money' },
      { key: 'lo80', label: '80% low', kind: 'money' },
      { key: 'hi80', label: '80% high', kind: 'money' },
      { key: 'lo95', label: '95% low', kind: 'money', secondary: true },
      { key: 'hi95', label: '95% high', kind: 'money', secondary: true },
      { key: 'wape_1_30_pct', label: 'WAPE 1-30d', kind: 'percent', secondary: true },
    ],
    rows,
    notes: [
      `History: up to ${HISTORY_DAYS} days through ${through ?? '(no data)'}; methods tried: seasonal naive (weekly), damped-trend ` +
        'exponential smoothing and linear trend (both on weekday-adjusted series), chosen per series by WAPE of 30-day totals.',
      'Intervals: projected -/+ 1.28 (80 %) and 1.96 (95 %) x the RMS backtest error of the same window; accuracy in the JSON (accuracy).',
      'Forecasts are estimates, rounded to cents; the actual to date is exact.',
      ...(plan ? [`Driver rows (method driver, tokenledger.yaml plan:${plan.file ? ` and ${basename(plan.file)}` : ''}): planned ` +
        'units x tokens per unit (its trend over the last 3 whole months) x cost per token + other cost per unit, and capacity; ' +
        'cost outside unit types is not in them.'] : []),
    ],
  };
}

/** The driver-based forecast beside the statistical one: a row per unit type, capacity and total per month. */
async function driverRows(ledger: Ledger, plan: Plan, o: RequestOf<'forecast'>, through: string, months: string[]): Promise<Row[]> {
  // the last whole month the data covers: the month of `through` when it is that month's last day
  const lastWhole = addDays(through, 1).endsWith('-01') ? through.slice(0, 7) : addMonths(through.slice(0, 7), -1);
  const driver = await driverForecast(ledger, plan, o.costBasis, lastWhole, months);
  const currencies = [...new Set(driver.map((d) => d.currency).filter((c): c is string => c !== null))];
  const rows: Row[] = [];
  for (const month of months) {
    const here = driver.filter((d) => d.month === month);
    for (const d of here) {
      rows.push({ currency: d.currency ?? currencies[0] ?? null, key: `driver: ${d.unit}`, month, method: 'driver', actual_to_date: null,
        forecast_days: null, forecast_rest: estimateText(d.cost), projected: estimateText(d.cost), lo80: null, hi80: null, lo95: null,
        hi95: null, wape_1_30_pct: null });
    }
    if (here.length) {
      rows.push({ currency: currencies[0] ?? null, key: 'driver: total', month, method: 'driver', actual_to_date: null, forecast_days: null,
        forecast_rest: estimateText(here.reduce((a, d) => a + d.cost, 0)), projected: estimateText(here.reduce((a, d) => a + d.cost, 0)),
        lo80: null, hi80: null, lo95: null, hi95: null, wape_1_30_pct: null });
    }
  }
  return rows;
}

/** `--reconcile`: forecast vs actual of each closed month (forecast-reconcile.ts). */
async function reconcileReport(ledger: Ledger, o: RequestOf<'forecast'>, through: string | null): Promise<Report> {
  return {
    name: 'forecast',
    title: `Forecast vs actual per closed month through ${through ?? '(no data)'} (${o.costBasis} cost): the miss split into ` +
      'volume, intensity, rate',
    meta: { ...baseMeta(o), reconcile: true, data_through: through },
    columns: RECONCILE_COLUMNS,
    rows: through ? await reconcileRows(ledger, o, through, HISTORY_DAYS) : [],
    notes: RECONCILE_NOTES,
  };
}
