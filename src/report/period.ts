/**
 * The period a report covers: --month YYYY-MM, or --from/--to dates (to exclusive), or everything.
 * Charges are placed by ChargePeriodStart (when the usage happened), billing periods by their start.
 */
import { UsageError } from '../domain/errors.js';

export interface Period {
  from: string | null; // inclusive, YYYY-MM-DD
  to: string | null; // exclusive, YYYY-MM-DD
  label: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

export function parsePeriod(opts: { month?: string; from?: string; to?: string }): Period {
  if (opts.month) {
    if (opts.from || opts.to) throw new UsageError('use either --month or --from/--to, not both');
    const m = /^(\d{4})-(\d{2})$/.exec(opts.month);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new UsageError(`--month ${opts.month}: expected YYYY-MM, e.g. 2026-10`);
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const next = mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
    return { from: `${opts.month}-01`, to: next, label: opts.month };
  }
  for (const [flag, v] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (v !== undefined && !validDate(v)) throw new UsageError(`${flag} ${v}: expected a date YYYY-MM-DD`);
  }
  if (opts.from && opts.to && opts.from >= opts.to) throw new UsageError(`--from ${opts.from} must be before --to ${opts.to} (--to is exclusive)`);
  const from = opts.from ?? null;
  const to = opts.to ?? null;
  return { from, to, label: from || to ? `${from ?? '...'} to ${to ?? '...'} (exclusive)` : 'all periods' };
}

/** SQL condition placing a timestamp column in the period (safe: dates are validated above). */
export function periodWhere(p: Period, column: string): string {
  const parts: string[] = [];
  if (p.from) parts.push(`${column} >= TIMESTAMP '${p.from}'`);
  if (p.to) parts.push(`${column} < TIMESTAMP '${p.to}'`);
  return parts.length ? parts.join(' AND ') : 'true';
}
