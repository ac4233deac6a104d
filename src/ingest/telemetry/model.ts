/**
 * SQL every telemetry reader shares: the lineage columns, model names normalized like billing models
 * ("gpt-4o-2024-11-20" and "gpt-4o-1120" are model gpt-4o, version 1120, the MMDD that Azure meters carry), and the
 * token-count checks. The expression builders take and give program-written SQL text (column names and
 * expressions of the readers, never values); `lineage` carries the values, as parameters.
 */
import { code, join, sql, type Sql } from '../../store/sql.js';

/**
 * The lineage columns every reader's SELECT starts with: ingestion, file, record (0 until numbered after
 * the commit, see common/heal.ts) and ingestion time, the values as parameters.
 */
export function lineage(ingestionId: string, file: string, ingestedAt: string): Sql {
  return sql`CAST(${ingestionId} AS VARCHAR) AS tl_ingestion_id, CAST(${file} AS VARCHAR) AS tl_source_file,
    CAST(0 AS BIGINT) AS tl_source_row,
  CAST(${ingestedAt} AS TIMESTAMP) AS tl_ingested_at`;
}

/**
 * The release-date suffixes a model name may end in, as GLOBs (a regular expression per row cost a sixth
 * of the JSONL read), each with how many characters it takes off the name:
 * "-YYYY-MM-DD" (gpt-4o-2024-11-20), "-YYYYMMDD" (claude-3-5-sonnet-20241022) and "-MMDD"
 * (gpt-3.5-turbo-0125, gpt-4-0613). The version is always MMDD, the date Azure meters carry, and a month
 * must be 01-12 (as the meter rule's modelVersion requires), so "mistral-large-2407" (YYMM) stays whole.
 */
const SUFFIXES: [string[], number][] = [
  [['*-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'], 11],
  [['*-[12][0-9][0-9][0-9]0[1-9][0-3][0-9]', '*-[12][0-9][0-9][0-9]1[0-2][0-3][0-9]'], 9],
  [['*-0[1-9][0-3][0-9]', '*-1[0-2][0-3][0-9]'], 5],
];

/**
 * SQL of the length of the release-date suffix of a lowercased raw model name, its dash included: 11, 9 or
 * 5 (see SUFFIXES), 0 when it has none.
 */
export function datedSql(raw: string | Sql): Sql {
  const r = expr(raw);
  const whens = SUFFIXES.map(([globs, n]) => sql`WHEN ${join(globs.map((g) => sql`${r} GLOB ${code(`'${g}'`)}`), ' OR ')} THEN ${code(
    String(n))}`);
  return sql`(CASE ${join(whens, ' ')} ELSE 0 END)`;
}

/** Program-written expression text, or a fragment (which may carry parameters). */
const expr = (e: string | Sql): Sql => (typeof e === 'string' ? code(e) : e);

/** SQL of the model without its suffix; `cut` is datedSql of the name (or a column holding it). */
export function modelSql(raw: string | Sql, cut: string | Sql): Sql {
  const r = expr(raw);
  const d = expr(cut);
  return sql`CASE WHEN ${d} > 0 THEN ${r}[:-(${d} + 1)] ELSE ${r} END`;
}

/** SQL of the MMDD version of a name with a suffix (NULL without): the suffix's last four digits, dashes left out. */
export function versionSql(raw: string | Sql, cut: string | Sql): Sql {
  const r = expr(raw);
  const d = expr(cut);
  return sql`CASE WHEN ${d} = 11 THEN ${r}[-5:-4] || ${r}[-2:] WHEN ${d} > 0 THEN ${r}[-4:] END`;
}

/**
 * SQL for `model` and `model_version` columns from a lowercased raw model expression: a name with a
 * release-date suffix is the model before it, with version MMDD. `dated` names a column already holding
 * datedSql(raw), so that the test runs once per row.
 */
export function modelColumns(raw: string | Sql, dated: string | Sql = datedSql(raw)): Sql {
  return sql`${modelSql(raw, dated)} AS model, ${versionSql(raw, dated)} AS model_version`;
}

/**
 * SQL of a token count from its JSON text: a whole number (12, 12.0, 1e3, "12") as BIGINT, anything else
 * (12.5, true, "ten", NaN) NULL, which the token checks report. (TRY_CAST to BIGINT alone rounds 12.5 to 13.)
 */
export function wholeNumberSql(text: string | Sql): Sql {
  const v = sql`TRY_CAST(${expr(text)} AS DOUBLE)`;
  return sql`CASE WHEN isfinite(${v}) AND ${v} = trunc(${v}) AND abs(${v}) < 9e15 THEN CAST(${v} AS BIGINT) END`;
}

/**
 * WHEN branches of a tl_problem CASE checking per-request token counts (expressions that are NULL when the
 * source value was not a whole number): whole, non-negative, cached within prompt, reasoning within output.
 */
export function tokenChecks(t: { input: string; output: string; cached: string; write: string; reasoning: string }): Sql {
  const all = [t.input, t.output, t.cached, t.write, t.reasoning];
  return join([
    `WHEN ${all.map((x) => `${x} IS NULL`).join(' OR ')} THEN 'a token count is not a whole number'`,
    `WHEN least(${all.join(', ')}) < 0 THEN 'a token count is negative'`,
    `WHEN ${t.cached} + ${t.write} > ${t.input} THEN 'cached tokens exceed prompt tokens (cached tokens are part of prompt tokens, ` +
      `not added to them)'`,
    `WHEN ${t.reasoning} > ${t.output} THEN 'reasoning tokens exceed completion tokens (reasoning tokens are part of completion tokens)'`,
  ].map(code), '\n    ');
}
