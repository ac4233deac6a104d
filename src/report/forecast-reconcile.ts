/**
 * `report forecast --reconcile`: each closed month, the forecast that would have been made before it
 * against what happened, and the miss explained with the variance engine (variance.ts), so a CFO sees
 * not only "we were 8 % over" but "because tokens per ticket rose, not because of more tickets".
 *
 * 1. Closed months: whole months through the last complete day of data, in the last HISTORY_DAYS, with at
 *    least MIN_TRAIN days of the currency's series before them.
 * 2. Forecast: as of the prior month end, the same selection as `report forecast` (every method
 *    backtested on up to HISTORY_DAYS days before the origin, the best by WAPE), the month's days summed,
 *    rounded to cents, with its 80 % interval.
 * 3. Actual: the economics ledger's total of the month (the variance engine's "after"), exact.
 * 4. The miss (actual - forecast, in cents) is split with the variance engine's TOTAL row prior month ->
 *    month: a statistical forecast of the total carries the prior month's tokens per unit and cost per
 *    token forward, so the whole change of intensity and rate is miss; its predicted change
 *    (forecast - prior month) is set against the volume part. Shared and outside-units changes are
 *    "other". In DECIMAL: miss = volume + intensity + rate + other exactly; volume takes the cent of
 *    rounding between round(after - before) and round(after) - round(before).
 */
import { dailySeries, addDays, daysBetween } from '../budgets/series.js';
import { estimateText } from '../budgets/estimate.js';
import { negateDecimal, roundDecimal, sumDecimals } from '../domain/decimal.js';
import { addMonths } from '../domain/month.js';
import { forecastSeries, MIN_TRAIN, windowTotal } from '../forecast/index.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Row } from '../store/db.js';
import type { Column } from './render.js';
import type { RequestOf } from './request.js';
import { varianceRows } from './variance.js';

const s = (v: unknown) => (v === null || v === undefined ? '0' : String(v));
const minus = (a: string, b: string) => sumDecimals([a, negateDecimal(b)]);
const cents = (v: string) => roundDecimal(v, 2);

/** One row per currency and closed month: forecast, actual, miss and its split. */
export async function reconcileRows(ledger: Ledger, o: RequestOf<'forecast'>, through: string, historyDays: number): Promise<Row[]> {
  // 1. closed months, newest first candidates: the month of `through` counts when `through` is its last day
  const lastClosed = addDays(through, 1).endsWith('-01') ? through.slice(0, 7) : addMonths(through.slice(0, 7), -1);
  const firstCandidate = addDays(through, 1 - historyDays).slice(0, 7);
  const series = await dailySeries(ledger, { measure: 'cost', costBasis: o.costBasis, scope: {},
    from: addDays(through, 1 - 2 * historyDays), to: addDays(through, 1) });
  const rows: Row[] = [];
  for (let month = firstCandidate; month <= lastClosed; month = addMonths(month, 1)) {
    const start = `${month}-01`;
    if (start <= addDays(through, -historyDays)) continue;
    const days = daysBetween(start, `${addMonths(month, 1)}-01`);
    const here = series.filter((x) => daysBetween(x.start, start) >= MIN_TRAIN);
    if (!here.length) continue;
    // 3. the variance engine, prior month -> month, TOTAL per currency
    const total = new Map((await varianceRows(ledger, addMonths(month, -1), month, o.costBasis, null))
      .filter((r) => r.unit === 'TOTAL').map((r) => [String(r.currency), r]));
    for (const x of here) {
      // 2. the forecast as of the prior month end, on the history it would have had
      const origin = daysBetween(x.start, start);
      const f = forecastSeries(x.values.slice(Math.max(0, origin - historyDays), origin), days);
      const w = windowTotal(f, 0, days);
      const forecast = estimateText(w.point);
      const v = total.get(x.currency);
      const before = roundDecimal(s(v?.before), 2);
      const actual = roundDecimal(s(v?.after), 2);
      // 4. the miss and its split (parts of the variance engine are DECIMAL cents)
      const miss = minus(actual, forecast);
      const intensity = s(v?.intensity);
      const rate = s(v?.rate);
      const other = sumDecimals([s(v?.shared), s(v?.outside)]);
      const volume = minus(miss, sumDecimals([intensity, rate, other]));
      const inside = w.lo80 !== null && w.hi80 !== null && Number(actual) >= w.lo80 && Number(actual) <= w.hi80;
      rows.push({ currency: x.currency, month, method: f.method, forecast, lo80: w.lo80 === null ? null : estimateText(w.lo80),
        hi80: w.hi80 === null ? null : estimateText(w.hi80), actual, miss: cents(miss),
        miss_pct: Number(forecast) !== 0 ? Math.round((Number(miss) / Number(forecast)) * 10_000) / 100 : null,
        in_80: w.lo80 === null ? null : inside ? 'yes' : 'no', prior_month: before,
        forecast_change: cents(minus(forecast, before)), volume: cents(volume), intensity: cents(intensity), rate: cents(rate),
        other: cents(other) });
    }
  }
  return rows.sort((a, b) => String(a.currency).localeCompare(String(b.currency)) || String(a.month).localeCompare(String(b.month)));
}

export const RECONCILE_COLUMNS: Column[] = [
  { key: 'currency', label: 'Cur', kind: 'text' },
  { key: 'month', label: 'Month', kind: 'text' },
  { key: 'method', label: 'Method', kind: 'text', secondary: true },
  { key: 'prior_month', label: 'Prior month', kind: 'money', secondary: true },
  { key: 'forecast', label: 'Forecast', kind: 'money' },
  { key: 'lo80', label: '80% low', kind: 'money', secondary: true, group: 'i80' },
  { key: 'hi80', label: '80% high', kind: 'money', secondary: true, group: 'i80' },
  { key: 'actual', label: 'Actual', kind: 'money' },
  { key: 'miss', label: 'Miss', kind: 'money' },
  { key: 'miss_pct', label: 'Miss %', kind: 'percent' },
  { key: 'in_80', label: 'In 80%', kind: 'text', secondary: true },
  { key: 'forecast_change', label: 'Fc change', kind: 'money', secondary: true },
  { key: 'volume', label: 'Volume', kind: 'money' },
  { key: 'intensity', label: 'Intensity', kind: 'money' },
  { key: 'rate', label: 'Rate', kind: 'money' },
  { key: 'other', label: 'Other', kind: 'money' },
];

export const RECONCILE_NOTES = [
  'Each closed month: the forecast made at the prior month end (same method selection as the forecast, on the history it had) ' +
    'against the actual (economics ledger, exact); miss = actual - forecast = volume + intensity + rate + other, to the cent.',
  'The split is the variance engine\'s (report variance, prior month -> month): the forecast of the total carries tokens per unit ' +
    'and cost per token forward, so intensity and rate changes are all miss; volume is the volume change less the forecast change ' +
    '(and the cent of rounding); other is shared cost and cost outside unit types.',
];
