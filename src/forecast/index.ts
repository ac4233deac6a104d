/**
 * Forecasting, domain-free: daily series of numbers in, point forecasts with 80 % / 95 % intervals and
 * rolling-origin backtest accuracy out. The ledger side (which series, money as decimal text) lives in
 * src/budgets/ and src/report/forecast.ts.
 */
export { backtest, BLOCK, MIN_TRAIN, type Backtest, type BlockAccuracy } from './backtest.js';
export { forecast, METHODS, type MethodName } from './methods.js';
export { forecastSeries, windowRmse, windowTotal, type Interval, type SeriesForecast } from './select.js';
