/** Calendar months as 'YYYY-MM' strings (UTC): the grain of billing periods and unit economics. */

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
}

/** The day before a YYYY-MM-DD date (an exclusive period end's last day). */
export function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
