/**
 * SQL every telemetry reader shares: model names normalized like billing models ("gpt-4o-2024-11-20" is
 * model gpt-4o, version 1120, the MMDD that Azure meters carry), and the token-count checks.
 */

/** A dated name ends in "-YYYY-MM-DD" (a GLOB: a regular expression per row cost a sixth of the JSONL read). */
const DATED_GLOB = "'*-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'";

/** SQL true when a lowercased raw model name ends in "-YYYY-MM-DD". */
export function datedSql(raw: string): string {
  return `(${raw} GLOB ${DATED_GLOB})`;
}

/**
 * SQL for `model` and `model_version` columns from a lowercased raw model expression: a dated name is the
 * model before its last 11 characters, with version MMDD (the date Azure meters carry). `dated` names a
 * column already holding datedSql(raw), so that the test runs once per row.
 */
export function modelColumns(raw: string, dated = datedSql(raw)): string {
  return `CASE WHEN ${dated} THEN ${raw}[:-12] ELSE ${raw} END AS model, `
    + `CASE WHEN ${dated} THEN ${raw}[-5:-4] || ${raw}[-2:] END AS model_version`;
}

/**
 * SQL of a token count from its JSON text: a whole number (12, 12.0, 1e3, "12") as BIGINT, anything else
 * (12.5, true, "ten", NaN) NULL, which the token checks report. (TRY_CAST to BIGINT alone rounds 12.5 to 13.)
 */
export function wholeNumberSql(text: string): string {
  const v = `TRY_CAST(${text} AS DOUBLE)`;
  return `CASE WHEN isfinite(${v}) AND ${v} = trunc(${v}) AND abs(${v}) < 9e15 THEN CAST(${v} AS BIGINT) END`;
}

/**
 * WHEN branches of a tl_problem CASE checking per-request token counts (expressions that are NULL when the
 * source value was not a whole number): whole, non-negative, cached within prompt, reasoning within output.
 */
export function tokenChecks(t: { input: string; output: string; cached: string; write: string; reasoning: string }): string {
  const all = [t.input, t.output, t.cached, t.write, t.reasoning];
  return [
    `WHEN ${all.map((x) => `${x} IS NULL`).join(' OR ')} THEN 'a token count is not a whole number'`,
    `WHEN least(${all.join(', ')}) < 0 THEN 'a token count is negative'`,
    `WHEN ${t.cached} + ${t.write} > ${t.input} THEN 'cached tokens exceed prompt tokens (cached tokens are part of prompt tokens, not added to them)'`,
    `WHEN ${t.reasoning} > ${t.output} THEN 'reasoning tokens exceed completion tokens (reasoning tokens are part of completion tokens)'`,
  ].join('\n    ');
}
