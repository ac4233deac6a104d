/**
 * SQL every telemetry reader shares: model names normalized like billing models ("gpt-4o-2024-11-20" is
 * model gpt-4o, version 1120, the MMDD that Azure meters carry), and the token-count checks.
 */

const DATED = "'-\\d{4}-\\d{2}-\\d{2}'";

/**
 * SQL for `model` and `model_version` columns from a lowercased raw model expression. A dated name ends in
 * "-YYYY-MM-DD": only those 11 characters are matched (a regular expression over the whole name made the
 * 10M-record JSONL ingest 25% slower); the model is what precedes them, the version MMDD.
 */
export function modelColumns(raw: string): string {
  const dated = `regexp_full_match(right(${raw}, 11), ${DATED})`;
  return `CASE WHEN ${dated} THEN left(${raw}, length(${raw}) - 11) ELSE ${raw} END AS model, `
    + `CASE WHEN ${dated} THEN substr(${raw}, length(${raw}) - 4, 2) || right(${raw}, 2) END AS model_version`;
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
