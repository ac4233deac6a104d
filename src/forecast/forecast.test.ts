/**
 * The forecasting methods and their backtests on series whose future is known by construction:
 *
 * | series                              | expected                                                   |
 * |-------------------------------------|------------------------------------------------------------|
 * | 100 + 2 t, t = 0..119               | linear-trend chosen, WAPE 0, day 121 = 100 + 2*120 = 340   |
 * | constant 50                         | every method 50, interval width 0                          |
 * | weekly pattern 10,10,10,10,10,40,40 | seasonal-naive repeats it exactly                          |
 * | noise around 100 (seeded)           | 95 % coverage of 30-day totals near nominal                |
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtest } from './backtest.js';
import { dampedTrend, forecast, linearTrend, METHODS, weeklyIndices } from './methods.js';
import { forecastSeries, windowTotal } from './select.js';

const linear = Array.from({ length: 120 }, (_, t) => 100 + 2 * t);

describe('forecast methods', () => {
  it('linear trend extends a known line exactly', () => {
    const f = linearTrend(linear, 3);
    expect(f.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([340, 342, 344]);
  });

  it('a series with a known linear trend: linear-trend wins the backtest with zero error', () => {
    const f = forecastSeries(linear, 90);
    expect(f.method).toBe('linear-trend');
    expect(f.accuracy.blocks[0]!.wape).toBeCloseTo(0, 9);
    expect(f.points[0]).toBeCloseTo(340, 6);
    expect(f.points[89]).toBeCloseTo(100 + 2 * 209, 6);
    // the next 30 days: sum of 100 + 2t for t = 120..149 = 30*100 + 2*(120+149)*30/2 = 11,070
    const w = windowTotal(f, 0, 30);
    expect(w.point).toBeCloseTo(11070, 4);
    expect(w.hi95! - w.lo95!).toBeCloseTo(0, 4);
    // damped trend on the same line forecasts less (the trend is damped), so it cannot be the choice
    expect(dampedTrend(linear, 30)[29]!).toBeLessThan(100 + 2 * 149);
  });

  it('a constant series: every method forecasts it, intervals have zero width', () => {
    const y = new Array<number>(60).fill(50);
    for (const m of METHODS) expect(forecast(m, y, 10).map((v) => Math.round(v * 1e6) / 1e6)).toEqual(new Array(10).fill(50));
    const w = windowTotal(forecastSeries(y, 30), 0, 30);
    expect(w.point).toBeCloseTo(1500, 6);
    expect(w.lo80).toBeCloseTo(1500, 6);
    expect(w.hi95).toBeCloseTo(1500, 6);
  });

  it('seasonal naive repeats the last week', () => {
    const week = [10, 10, 10, 10, 10, 40, 40];
    const y = Array.from({ length: 35 }, (_, t) => week[t % 7]!);
    expect(forecast('seasonal-naive', y, 9)).toEqual([...week, 10, 10]);
    const idx = weeklyIndices(y);
    // the last day of the series (a 40) has index 40 / (130/7) (the week sums to 130)
    expect(idx[0]).toBeCloseTo(40 / (130 / 7), 9);
    expect(forecastSeries(y, 30).accuracy.blocks[0]!.wape).toBeCloseTo(0, 9);
  });

  it('forecasts of non-negative series are never negative', () => {
    fc.assert(fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 80 }), fc.constantFrom(...METHODS), (y, m) =>
      forecast(m, y, 20).every((v) => v >= 0 && Number.isFinite(v))));
  });

  it('interval coverage on seeded noise is near nominal (honest: intervals from earlier origins only)', () => {
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    const y = Array.from({ length: 400 }, () => 100 + 10 * gauss());
    const b = backtest('damped-trend', y, 30);
    expect(b.blocks[0]!.origins).toBeGreaterThan(40);
    expect(b.blocks[0]!.coverage95!).toBeGreaterThan(0.8);
    expect(b.blocks[0]!.coverage80!).toBeGreaterThan(0.6);
    expect(b.blocks[0]!.wape!).toBeLessThan(0.05);
  });
});
