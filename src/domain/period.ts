/**
 * The period a report covers: --month YYYY-MM, or --from/--to dates (to exclusive), or everything; and
 * the date a report is judged against (--today). Parsed and validated once here, so every command that
 * takes them refuses the same bad input with the same message. Charges are placed by ChargePeriodStart
 * (when the usage happened), billing periods by their start.
 */
import { UsageError } from './errors.js';

export interface Period {
  from: string | null; // inclusive, YYYY-MM-DD
  to: string | null; // exclusive, YYYY-MM-DD
  label: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

/** The month a YYYY-MM string names, as a period; undefined when it is not one. */
export function monthPeriod(month: string): Period | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const next = mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
  return { from: `${month}-01`, to: next, label: month };
}

/** Why a --month value is refused: the month number when the shape is right, else the shape. */
function monthError(flag: string, v: string): UsageError {
  return /^\d{4}-\d{2}$/.test(v)
    ? new UsageError(`${flag} ${v}: the month is ${v.slice(5)}, expected 01 to 12`)
    : new UsageError(`${flag} ${v}: expected YYYY-MM, e.g. 2026-10`);
}

export function parsePeriod(opts: { month?: string | undefined; from?: string | undefined; to?: string | undefined }): Period {
  if (opts.month) {
    if (opts.from || opts.to) throw new UsageError('use either --month or --from/--to, not both');
    const p = monthPeriod(opts.month);
    if (!p) throw monthError('--month', opts.month);
    return p;
  }
  for (const [flag, v] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (v !== undefined && !isDate(v)) throw new UsageError(`${flag} ${v}: expected a date YYYY-MM-DD`);
  }
  if (opts.from && opts.to && opts.from >= opts.to)
    throw new UsageError(`--from ${opts.from} must be before --to ${opts.to} (--to is exclusive)`);
  const from = opts.from ?? null;
  const to = opts.to ?? null;
  return { from, to, label: from || to ? `${from ?? '...'} to ${to ?? '...'} (exclusive)` : 'all periods' };
}

/** A --month flag alone (e.g. --vs), validated like --month. */
export function parseMonth(flag: string, v: string): Period {
  const p = monthPeriod(v);
  if (!p) throw monthError(flag, v);
  return p;
}

/** True when the period is exactly one calendar month (what --month gives). */
export function isWholeMonth(p: Period): boolean {
  return /^\d{4}-\d{2}$/.test(p.label) && p.from !== null && p.to !== null;
}

/** True when the period starts and ends on the first of a month (or is open-ended): whole months. */
export function wholeMonths(p: Period): boolean {
  return (!p.from || p.from.endsWith('-01')) && (!p.to || p.to.endsWith('-01'));
}

/**
 * The date a report is judged against: --today, else TOKENLEDGER_TODAY, else the clock's date (UTC).
 * Whichever gives it, it must be a real date.
 */
export function parseToday(flagValue: string | undefined, envValue: string | undefined, now: Date): string {
  const [flag, v] = flagValue !== undefined ? ['--today', flagValue]
    : envValue !== undefined ? ['TOKENLEDGER_TODAY', envValue] : [null, null];
  if (flag === null || v === null) return now.toISOString().slice(0, 10);
  if (!isDate(v)) throw new UsageError(`${flag} ${v}: expected a date YYYY-MM-DD`);
  return v;
}
