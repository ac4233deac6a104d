/**
 * The arithmetic of provisioned throughput (Microsoft's sizing guide, PRIMER section 6), pure and on
 * numbers of tokens (never money), so scenario tests can check it by hand:
 *
 * 1. Normalized tokens of a minute = uncached input + output ratio x output (cached tokens do not count).
 * 2. Percentiles of the per-minute profile are nearest-rank over every minute of the window, the minutes
 *    without traffic counting as 0 (a profile is not its busy minutes only).
 * 3. PTUs for a rate = the rate / input TPM per PTU, rounded up, then up to the minimum and the increment.
 * 4. Spillover at a capacity: the minutes above it and the normalized tokens above it.
 */

export interface MinuteTokens { input: number; cached: number; output: number }

/** Step 1. `input` includes `cached` (as telemetry records it). */
export function normalizedTokens(m: MinuteTokens, outputRatio: number): number {
  return m.input - m.cached + outputRatio * m.output;
}

/** Step 2: nearest-rank percentile p (0 < p <= 1) of `busy` plus `windowMinutes - busy.length` zero minutes. */
export function percentile(busy: number[], windowMinutes: number, p: number): number {
  const n = Math.max(windowMinutes, busy.length);
  if (n === 0) return 0;
  const sorted = [...busy].sort((a, b) => a - b);
  const zeros = n - sorted.length;
  const rank = Math.max(1, Math.ceil(p * n));
  return rank <= zeros ? 0 : sorted[rank - zeros - 1]!;
}

/** Step 3. */
export function ptusFor(tpm: number, inputTpmPerPtu: number, [minimum, increment]: [number, number]): number {
  const raw = Math.ceil(tpm / inputTpmPerPtu - 1e-9);
  if (raw <= minimum) return minimum;
  return minimum + Math.ceil((raw - minimum) / increment) * increment;
}

/** Step 4. */
export function spillover(busy: number[], capacityPerMinute: number): { minutes: number; tokens: number } {
  let minutes = 0;
  let tokens = 0;
  for (const v of busy) {
    if (v > capacityPerMinute) {
      minutes++;
      tokens += v - capacityPerMinute;
    }
  }
  return { minutes, tokens };
}

/** Minutes in a PTU-month (730 hours), the month the prices are quoted for. */
export const MINUTES_PER_MONTH = 43_800;
