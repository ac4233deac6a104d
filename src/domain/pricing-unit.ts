/**
 * Pricing block sizes. Azure prices token meters per block of 1K or 1M tokens and writes the block in
 * strings such as "1K", "1M", "1000000 Tokens", "10000 /Month" (see finops-toolkit PricingUnits.csv).
 * A tool that ignores the block size is off by 1000x, so every unit string must parse to its block.
 */

const SUFFIX: Record<string, bigint> = { K: 1_000n, M: 1_000_000n, B: 1_000_000_000n };

/**
 * Parse the pricing block size out of a unit string.
 *
 * 1. Trim (keys in the wild carry trailing spaces and non-breaking spaces).
 * 2. A leading integer, optionally followed by K / M / B, is the block, but only when the number stands
 *    alone: followed by whitespace, "/", or the end. ("10000s" means "in 10,000s" and is a unit, not a
 *    block: the toolkit lists it as 1; "1/10 Days" is 1 per 10 days.)
 * 3. Anything else ("Units", "Hours", "Unassigned", "Per Call") is a block of 1.
 * Returns null only for an empty or missing string, so callers can fall back to another column.
 */
export function parsePricingBlockSize(unit: string | null | undefined): bigint | null {
  if (unit === null || unit === undefined) return null;
  const s = unit.replace(/[\s\u00a0]+/g, ' ').trim();
  if (s === '') return null;
  const m = /^(\d+)\s*([KMB])?(?=$|[\s/])/i.exec(s);
  if (!m) return 1n;
  const n = BigInt(m[1]!);
  const suffix = m[2] ? SUFFIX[m[2].toUpperCase()]! : 1n;
  return n * suffix;
}
