/**
 * The arithmetic of provisioned throughput (Microsoft's sizing guide, PRIMER section 6), pure and on
 * numbers of tokens (never money), so scenario tests can check it by hand:
 *
 * 1. Normalized tokens of a minute = uncached input + output ratio x output (cached tokens do not count).
 * 2. PTUs for a rate = the rate / input TPM per PTU, rounded up, then up to the minimum and the increment.
 * The per-minute profile, its percentiles (nearest rank over every minute of the window, idle minutes as 0)
 * and the spillover above a capacity are computed in SQL (report/ptu-plan.sql), over every request.
 */

export interface MinuteTokens {
  input: number;
  cached: number;
  output: number;
}

/** Step 1. `input` includes `cached` (as telemetry records it). */
export function normalizedTokens(m: MinuteTokens, outputRatio: number): number {
  return m.input - m.cached + outputRatio * m.output;
}

/** Step 2. */
export function ptusFor(tpm: number, inputTpmPerPtu: number, [minimum, increment]: [number, number]): number {
  const raw = Math.ceil(tpm / inputTpmPerPtu - 1e-9);
  if (raw <= minimum) return minimum;
  return minimum + Math.ceil((raw - minimum) / increment) * increment;
}

/** Minutes in a PTU-month (730 hours), the month the prices are quoted for. */
export const MINUTES_PER_MONTH = 43_800;
