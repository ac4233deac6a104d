/** Exact comparisons of decimal strings (spent against a share of the amount), without floats. */
import { negateDecimal, sumDecimals } from '../domain/decimal.js';

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const d = sumDecimals([a, negateDecimal(b)]);
  return d === '0' ? 0 : d.startsWith('-') ? -1 : 1;
}
