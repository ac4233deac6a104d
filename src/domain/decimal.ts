/**
 * Exact decimal strings. Money leaves DuckDB as DECIMAL text ("42.000000000000000000"); these helpers
 * trim, round and compare it without ever passing through a float.
 */

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

export function isDecimalString(s: string): boolean {
  return DECIMAL_RE.test(s);
}

/** "42.500000" -> "42.5", "-0.000" -> "0". Throws on non-decimal text. */
export function trimDecimal(s: string): string {
  const m = DECIMAL_RE.exec(s.trim());
  if (!m) throw new Error(`not a decimal: ${s}`);
  const int = m[2]!.replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return m[1] && out !== '0' ? `-${out}` : out;
}

/** Round half away from zero to `places` decimals, exactly: roundDecimal("2.345", 2) = "2.35". */
export function roundDecimal(s: string, places: number): string {
  const m = DECIMAL_RE.exec(s.trim());
  if (!m) throw new Error(`not a decimal: ${s}`);
  const neg = m[1] === '-';
  const frac = (m[3] ?? '').padEnd(places + 1, '0');
  let scaled = BigInt(m[2]! + frac.slice(0, places));
  if (Number(frac[places]) >= 5) scaled += 1n;
  const str = scaled.toString().padStart(places + 1, '0');
  const body = places ? `${str.slice(0, -places)}.${str.slice(-places)}` : str;
  return neg && /[1-9]/.test(body) ? `-${body}` : body;
}

/** Exact sum of decimal strings (for tests and checks that must hold to the cent). */
export function sumDecimals(values: string[]): string {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, (DECIMAL_RE.exec(v)?.[3] ?? '').length);
  let total = 0n;
  for (const v of values) {
    const m = DECIMAL_RE.exec(v);
    if (!m) throw new Error(`not a decimal: ${v}`);
    const n = BigInt(m[2]! + (m[3] ?? '').padEnd(scale, '0'));
    total += m[1] === '-' ? -n : n;
  }
  const neg = total < 0n;
  const str = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const body = scale ? `${str.slice(0, -scale)}.${str.slice(-scale)}` : str;
  return trimDecimal((neg ? '-' : '') + body);
}

/** Group digits in thousands for display: "1234567.5" -> "1,234,567.5". */
export function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const neg = int!.startsWith('-');
  const digits = neg ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac !== undefined ? `.${frac}` : '');
}

/** Exact product of two decimal strings: multiplyDecimals("2.5", "1.234567") = "3.0864175". */
export function multiplyDecimals(a: string, b: string): string {
  const pa = DECIMAL_RE.exec(a.trim());
  const pb = DECIMAL_RE.exec(b.trim());
  if (!pa || !pb) throw new Error(`not a decimal: ${pa ? b : a}`);
  const fa = pa[3] ?? '';
  const fb = pb[3] ?? '';
  const scale = fa.length + fb.length;
  const prod = BigInt(pa[2]! + fa) * BigInt(pb[2]! + fb);
  const neg = (pa[1] === '-') !== (pb[1] === '-') && prod !== 0n;
  const str = prod.toString().padStart(scale + 1, '0');
  return trimDecimal((neg ? '-' : '') + (scale ? `${str.slice(0, -scale)}.${str.slice(-scale)}` : str));
}

/** Exact quotient of an integer by a power of ten: shiftDecimal("1234567", 6) = "1.234567". */
export function divideByPowerOfTen(integer: bigint, digits: number): string {
  const neg = integer < 0n;
  const str = (neg ? -integer : integer).toString().padStart(digits + 1, '0');
  return trimDecimal((neg ? '-' : '') + (digits ? `${str.slice(0, -digits)}.${str.slice(-digits)}` : str));
}

/** The negation of an exact decimal string ("12.5" -> "-12.5", "-3" -> "3", "0" -> "0"). */
export function negateDecimal(s: string): string {
  if (s.startsWith('-')) return s.slice(1);
  return /^[+]?0*\.?0*$/.test(s) ? s.replace(/^\+/, '') : `-${s.replace(/^\+/, '')}`;
}

/**
 * Exact quotient of two decimal strings to `significant` significant digits (rounded half away from zero):
 * divideDecimals("6.9", "3", 12) = "2.3", where the same division in doubles gives 2.3000000000000003.
 * Null when the divisor is zero.
 */
export function divideDecimals(a: string, b: string, significant = 12): string | null {
  const pa = DECIMAL_RE.exec(a.trim());
  const pb = DECIMAL_RE.exec(b.trim());
  if (!pa || !pb) throw new Error(`not a decimal: ${pa ? b : a}`);
  const na = BigInt(pa[2]! + (pa[3] ?? ''));
  const nb = BigInt(pb[2]! + (pb[3] ?? ''));
  if (nb === 0n) return null;
  if (na === 0n) return '0';
  const neg = (pa[1] === '-') !== (pb[1] === '-');
  // a / b = (na / 10^fa) / (nb / 10^fb); scale the numerator so the integer quotient has `significant`+1 digits
  const shiftBase = (pb[3] ?? '').length - (pa[3] ?? '').length;
  const digits = (n: bigint) => n.toString().length;
  let extra = significant + 1 - (digits(na) - digits(nb));
  if (extra < 0) extra = 0;
  let q = (na * 10n ** BigInt(extra)) / nb;
  // keep exactly `significant` digits of q, rounding on the next one
  const drop = Math.max(0, digits(q) - significant);
  if (drop > 0) {
    const p = 10n ** BigInt(drop);
    const rest = q % p;
    q = q / p + (rest * 2n >= p ? 1n : 0n);
  }
  const scale = extra - drop - shiftBase;
  const body = scale >= 0 ? divideByPowerOfTen(q, scale) : trimDecimal((q * 10n ** BigInt(-scale)).toString());
  return neg && body !== '0' ? negateDecimal(body) : body;
}
