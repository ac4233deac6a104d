/** Calendar months as 'YYYY-MM' strings (UTC): the grain of billing periods and unit economics. */

/** The month `n` months after `month` (negative: before). */
export function addMonths(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
}
