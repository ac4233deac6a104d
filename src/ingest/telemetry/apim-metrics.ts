/**
 * Azure API Management token metrics (azure-openai-emit-token-metric / llm-emit-token-metric), as they
 * land in Application Insights `customMetrics` (timestamp, name, valueSum, valueCount, customDimensions)
 * or workspace `AppMetrics` (TimeGenerated, Name, Sum, ItemCount, Properties), exported as the portal's
 * CSV or as the query API's JSON ({tables: [{columns, rows}]}). The metrics are pre-aggregated: one row
 * per metric, interval and dimension set; "Prompt Tokens", "Completion Tokens" and "Total Tokens" rows of
 * the same interval and dimensions become one aggregate telemetry row. valueSum / Sum are summed, never
 * `value`. Dimension keys contain spaces ("API ID", "Subscription ID") and custom ones (feature, team).
 * The metrics carry no cached-token split: their prompt tokens stand for every input token type.
 */
import type { Store } from '../../store/db.js';
import { code, ident, join, sql, type Sql } from '../../store/sql.js';
import type { Aliases } from './openai-jsonl.js';
import { columnFor, requireColumn, tabularSource } from './tabular.js';
import { lineage, modelColumns } from './model.js';
import { COUNT_MAX, inCountRange, wholeNumber } from '../common/numbers.js';
import { parsedTimestamp, timestampProblem, type DateOrder } from '../common/timestamps.js';

/** A summed token count as BIGINT, or 0 when out of range (tl_problem then says so; the cast cannot fail). */
const count = (n: Sql) => sql`CAST(CASE WHEN ${inCountRange(n)} THEN ${n} ELSE 0 END AS BIGINT)`;

const DIMS: Record<string, string[]> = {
  feature: ['feature', 'Feature'],
  team: ['team', 'Team'],
  environment: ['environment', 'env', 'Environment'],
  cost_center: ['cost_center', 'CostCenter', 'Cost Center'],
  resource_id: ['resource_id', 'Resource ID', 'resourceId'],
  deployment: ['Deployment', 'deployment', 'Deployment ID', 'Deployment Name', 'deployment-id'],
  model: ['Model', 'model', 'Model Name'],
  user_id: ['User ID', 'user', 'user_id'],
};

const EXPECTED = 'an App Insights customMetrics or workspace AppMetrics export (timestamp, name, valueSum, valueCount, customDimensions)';

/** The relation (ts_text, name, value_sum, value_count, dims) of a customMetrics / AppMetrics export. */
async function longRelation(store: Store, file: string): Promise<Sql> {
  const t = await tabularSource(store, file);
  const ts = requireColumn(file, t, ['timestamp', 'timegenerated'], EXPECTED);
  const name = requireColumn(file, t, ['name'], EXPECTED);
  const sum = requireColumn(file, t, ['valuesum', 'sum'], EXPECTED);
  const count = columnFor(t, ['valuecount', 'itemcount']);
  const dims = requireColumn(file, t, ['customdimensions', 'properties'], EXPECTED);
  return sql`SELECT ${ident(ts)} AS ts_text, ${ident(name)} AS name, ${ident(sum)} AS value_sum, ${count ? ident(count) : code('NULL')} AS
    value_count, ${ident(dims)} AS dims
          FROM (${t.sql})`;
}

export async function apimMetricsSelect(store: Store, file: string, ingestionId: string, ingestedAt: string,
  extra: Aliases = {}, order?: DateOrder): Promise<Sql> {
  const long = await longRelation(store, file);
  // dimension keys (built in, or aliases from tokenledger.yaml) are values: parameters
  const dim = (name: string) =>
    sql`nullif(trim(coalesce(${join([...(extra[name] ?? []), ...DIMS[name]!].map((k) => sql`d->>${k}`), ', ')})), '')`;
  return sql`
WITH long AS (${long}),
typed AS (
  SELECT
    ${parsedTimestamp(code('trim(CAST(ts_text AS VARCHAR))'), order)} AS ts, trim(CAST(ts_text AS VARCHAR)) AS ts_text,
    lower(trim(name)) AS metric, ${wholeNumber(code('trim(CAST(value_sum AS VARCHAR))'))} AS value_sum,
    CAST(value_sum AS VARCHAR) AS value_sum_text, TRY_CAST(value_sum AS DOUBLE) AS value_sum_number,
    ${wholeNumber(code('trim(CAST(value_count AS VARCHAR))'))} AS value_count,
    nullif(trim(CAST(value_count AS VARCHAR)), '') AS value_count_text,
    CASE WHEN dims IS NULL OR trim(dims) = '' THEN '{}' ELSE dims END AS dims_text
  FROM long
  WHERE lower(trim(name)) IN ('prompt tokens', 'completion tokens', 'total tokens')
),
g AS (
  SELECT ts, dims_text, min(ts_text) AS ts_text,
    sum(CASE WHEN ${inCountRange(code('value_sum'))} THEN value_sum END) FILTER (WHERE metric = 'prompt tokens') AS prompt,
    sum(CASE WHEN ${inCountRange(code('value_sum'))} THEN value_sum END) FILTER (WHERE metric = 'completion tokens') AS completion,
    sum(CASE WHEN ${inCountRange(code('value_sum'))} THEN value_sum END) FILTER (WHERE metric = 'total tokens') AS total,
    coalesce(max(value_count) FILTER (WHERE metric = 'prompt tokens'), max(value_count) FILTER (WHERE metric = 'total tokens'),
      0) AS requests,
    bool_or(value_sum_number IS NULL AND value_sum_text IS NOT NULL) AS bad_number,
    bool_or(value_sum IS NULL AND value_sum_number IS NOT NULL) AS fractional,
    bool_or(NOT ${inCountRange(code('value_sum'))}) AS out_of_range,
    bool_or(value_count_text IS NOT NULL AND NOT coalesce(${inCountRange(code('value_count'))}, false)) AS bad_count,
    bool_or(ts IS NULL) AS bad_ts
  FROM typed
  GROUP BY ts, dims_text
),
x AS (SELECT *, TRY_CAST(dims_text AS JSON) AS d FROM g)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'apim-metrics' AS format, coalesce(ts, TIMESTAMP '1970-01-01') AS ts, 'aggregate' AS grain,
  lower(${dim('resource_id')}) AS resource_id, ${dim('deployment')} AS deployment,
  ${modelColumns(sql`lower(coalesce(${dim('model')}, ${dim('deployment')}))`)},
  ${dim('feature')} AS feature, ${dim('team')} AS team, ${dim('environment')} AS environment, ${dim('cost_center')} AS cost_center,
  ${dim('user_id')} AS user_id,
  ${count(code('requests'))} AS requests,
  ${count(code('coalesce(prompt, total - completion, 0)'))} AS input_tokens, CAST(0 AS BIGINT) AS cached_input_tokens,
  CAST(0 AS BIGINT) AS cache_write_tokens, ${count(code('coalesce(completion, total - prompt, 0)'))} AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens, CAST(NULL AS VARCHAR) AS status,
  d AS attributes, false AS cache_split, CAST(NULL AS VARCHAR) AS request_id,
  CASE
    WHEN bad_ts THEN 'a timestamp is not a date-time: ' || coalesce(ts_text, 'empty') || '; expected '
      || ${timestampProblem(code("coalesce(ts_text, '')"), order)}
    WHEN d IS NULL THEN 'customDimensions / Properties is not a JSON object'
    WHEN bad_number THEN 'a valueSum / Sum is not a number'
    WHEN fractional THEN 'a valueSum / Sum of token counts is not a whole number'
    WHEN bad_count THEN 'a valueCount / ItemCount (requests) is not a whole number of at least 0'
    WHEN out_of_range THEN ${`a valueSum / Sum beyond the 64-bit range (at most ${COUNT_MAX})`}
    WHEN coalesce(prompt, completion, total) IS NULL THEN 'no Prompt Tokens, Completion Tokens or Total Tokens values'
    WHEN least(coalesce(prompt, 0), coalesce(completion, 0), coalesce(total, 0)) < 0 THEN 'a token metric is negative'
    WHEN NOT ${inCountRange(code('coalesce(prompt, total - completion, 0)'))}
      OR NOT ${inCountRange(code('coalesce(completion, total - prompt, 0)'))}
      THEN ${`a token count beyond the 64-bit range (at most ${COUNT_MAX})`}
  END AS tl_problem
FROM x`;
}

/**
 * The first record (1-based, in file order) whose own values make its group unusable: a timestamp, a
 * valueSum / Sum or customDimensions that cannot be read, a fractional or negative sum. Aggregate rows sum
 * several records; this names the record behind a refusal. Null when the problem is the group's.
 */
export async function apimMetricsBadRecord(store: Store, file: string, order?: DateOrder): Promise<number | null> {
  const [row] = await store.query<{ rn: string }>(sql`
    SELECT rn FROM (SELECT row_number() OVER () AS rn, ts_text, name, value_sum, dims, TRY_CAST(value_sum AS DOUBLE) AS v
      FROM (${await longRelation(store, file)}))
    WHERE lower(trim(name)) IN ('prompt tokens', 'completion tokens', 'total tokens')
      AND (${parsedTimestamp(code('trim(CAST(ts_text AS VARCHAR))'), order)} IS NULL
        OR (v IS NULL AND value_sum IS NOT NULL) OR v <> trunc(v) OR v < 0
        OR (trim(coalesce(dims, '')) <> '' AND TRY_CAST(dims AS JSON) IS NULL))
    ORDER BY rn LIMIT 1`);
  return row ? Number(row.rn) : null;
}
