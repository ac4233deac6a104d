/**
 * Estimates as text: forecasts are statistics (floats), but what a report prints is a decimal string
 * rounded to cents (money) or to whole tokens, never float noise such as 1234.5600000001. An estimate
 * added to an exact figure (spent so far + forecast rest) keeps the exact part exact until the rounding.
 */
import { roundDecimal, sumDecimals } from '../domain/decimal.js';

/** A float estimate as decimal text with `places` decimals ("-0.00" is "0.00"). */
export function estimateText(x: number, places = 2): string {
  const t = x.toFixed(places);
  return /^-0(?:\.0+)?$/.test(t) ? t.slice(1) : t;
}

/** exact + estimate, rounded to `places` decimals. */
export function exactPlus(exact: string, estimate: number, places = 2): string {
  return roundDecimal(sumDecimals([exact, estimateText(estimate, places + 4)]), places);
}

/** Places for a measure: cents for cost, whole tokens. */
export const placesOf = (measure: string) => (measure === 'cost' ? 2 : 0);
