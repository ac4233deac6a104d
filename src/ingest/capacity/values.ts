/**
 * What every capacity reader needs to turn a record into a row: exact decimal text from a JSON number or
 * a numeric string (the az CLI writes "12"), the matching key of a family or SKU name, the subscription and
 * region an ARM id or request URL names, and one way to say what a record lacks (file, line, expected).
 */
import { InputError } from '../../domain/errors.js';
import { isObject, JsonNum, lineOf, type Json, type JsonObject } from './json-located.js';

/**
 * Plain decimal text of a number written as 12, "12", 1.5e3 or " 0.25 " (scientific notation expanded
 * exactly, by moving the point); null when it is not a number.
 */
export function decimalText(v: Json | undefined): string | null {
  const raw = v instanceof JsonNum ? v.text : typeof v === 'string' ? v.trim() : null;
  if (raw === null) return null;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const sign = m[1] === '-' ? '-' : '';
  let int = m[2] ?? '';
  let frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  if (Math.abs(exp) > 40) return null;
  if (exp > 0) {
    frac = frac.padEnd(exp, '0');
    int += frac.slice(0, exp);
    frac = frac.slice(exp);
  } else if (exp < 0) {
    int = int.padStart(-exp + 1, '0');
    frac = int.slice(int.length + exp) + frac;
    int = int.slice(0, int.length + exp);
  }
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return text === '0' ? '0' : sign + text;
}

/** How family, SKU and quota names are matched: case, spaces, underscores and hyphens do not count. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** A VM size as a key that a capacity reservation's SKU and a billing meter name share: Standard_NC24ads_A100_v4 = NC24ads A100 v4. */
export function vmSizeKey(name: string): string {
  return nameKey(name.trim().replace(/^standard[_\s]/i, ''));
}

/** Subscription and region named by an ARM id or URL (`/subscriptions/{id}/.../locations/{region}/`). */
export function armScope(text: string | undefined | null): { subscription?: string; region?: string } {
  if (!text) return {};
  const sub = /\/subscriptions\/([0-9a-fA-F-]{36})/.exec(text)?.[1];
  const region = /\/locations\/([A-Za-z0-9]+)/.exec(text)?.[1];
  return { ...(sub ? { subscription: sub.toLowerCase() } : {}), ...(region ? { region: region.toLowerCase() } : {}) };
}

/** Reads fields of one record and names the record (file, its line) when one is missing or wrong. */
export class RecordReader {
  readonly line: number;
  constructor(readonly file: string, readonly rec: JsonObject, readonly what: string) {
    this.line = lineOf(rec);
  }

  fail(problem: string): never {
    throw new InputError({ file: this.file, line: this.line }, `${this.what}: ${problem}`);
  }

  /** The value at a dotted path (`name.value`), undefined when any step is missing. */
  get(path: string): Json | undefined {
    let v: Json | undefined = this.rec;
    for (const k of path.split('.')) v = isObject(v) ? v[k] : undefined;
    return v;
  }

  text(path: string): string | null {
    const v = this.get(path);
    if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
    if (v instanceof JsonNum) return v.text;
    return null;
  }

  needText(path: string, expected: string): string {
    const t = this.text(path);
    if (t === null) this.fail(`no ${path}; expected ${expected}`);
    return t;
  }

  /** A number (JSON number or numeric string); `min` 0 refuses negatives; null when absent and optional. */
  number(path: string, o: { optional?: boolean; whole?: boolean } = {}): string | null {
    const v = this.get(path);
    if ((v === undefined || v === null || v === '') && o.optional) return null;
    const d = decimalText(v);
    const shown = v instanceof JsonNum ? v.text : JSON.stringify(v ?? null);
    if (d === null) this.fail(`${path} is ${v === undefined ? 'missing' : shown}; expected a number`);
    if (d.startsWith('-')) this.fail(`${path} is ${shown}; expected a number of at least 0`);
    if (o.whole && d.includes('.')) this.fail(`${path} is ${shown}; expected a whole number`);
    return d;
  }
}

/** Multiply exact decimal text by 1,000 (Azure OpenAI quota is in thousands of tokens per minute). */
export function times1000(d: string): string {
  const [int, frac = ''] = d.split('.');
  const f = frac.padEnd(3, '0');
  const whole = (int! + f.slice(0, 3)).replace(/^0+(?=\d)/, '');
  const rest = f.slice(3).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}
