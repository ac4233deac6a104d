/**
 * Exact arithmetic the capacity reports need beyond SQL's DECIMAL: DuckDB turns DECIMAL / INTEGER into a
 * DOUBLE, so slot-seconds x hourly price / 3,600 is divided here, on decimal text with BigInt, rounded half
 * up at a fixed number of places.
 */
const parse = (d: string): { n: bigint; scale: number } => {
  const neg = d.startsWith('-');
  const [int, frac = ''] = (neg ? d.slice(1) : d).split('.');
  const n = BigInt((int || '0') + frac);
  return { n: neg ? -n : n, scale: frac.length };
};

/** `d / divisor`, rounded half up (away from zero) at `places` decimals, as plain decimal text. */
export function divideExact(d: string, divisor: bigint, places: number): string {
  if (divisor <= 0n) throw new Error('divideExact: the divisor must be positive');
  const { n, scale } = parse(d);
  // n / 10^scale / divisor at `places`: n * 10^places / (10^scale * divisor)
  const num = (n < 0n ? -n : n) * 10n ** BigInt(places);
  const den = 10n ** BigInt(scale) * divisor;
  let q = num / den;
  if ((num % den) * 2n >= den) q += 1n;
  const s = q.toString().padStart(places + 1, '0');
  const text = places ? `${s.slice(0, -places)}.${s.slice(-places)}` : s;
  return (n < 0n && q !== 0n ? '-' : '') + text;
}
