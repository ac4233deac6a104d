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
import { InputError } from '../../domain/errors.js';
import { literal, type Store } from '../../store/db.js';
import { readCsvHeader } from '../focus/csv-header.js';
import { tableFunction } from '../focus/read-file.js';
import type { Aliases } from './openai-jsonl.js';

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

/** Which column of the source holds each field, by the customMetrics or AppMetrics name (case-insensitive). */
const FIELDS: Record<string, string[]> = {
  ts: ['timestamp', 'timegenerated'],
  name: ['name'],
  sum: ['valuesum', 'sum'],
  count: ['valuecount', 'itemcount'],
  dims: ['customdimensions', 'properties'],
};

function locateFields(file: string, columns: string[]): Record<string, string> {
  const norm = (c: string) => c.toLowerCase().replace(/\s*\[utc\]$/, '').trim();
  const out: Record<string, string> = {};
  for (const [field, names] of Object.entries(FIELDS)) {
    const hit = columns.find((c) => names.includes(norm(c)));
    if (!hit && field !== 'count') {
      throw new InputError({ file, line: 1 }, `missing column ${names.join(' or ')}; expected an App Insights customMetrics or workspace AppMetrics export`, {
        hint: 'Export the query with the metric rows as they are (timestamp, name, valueSum, valueCount, customDimensions).',
      });
    }
    if (hit) out[field] = hit;
  }
  return out;
}

/**
 * The relation (ts_text, name, value_sum, value_count, dims) from a CSV export or a query-API JSON file.
 * JSON rows are positional: the column positions come from the file's own `columns` list.
 */
async function longRelation(store: Store, file: string, format: 'csv' | 'json'): Promise<string> {
  if (format === 'csv') {
    const header = await readCsvHeader(file);
    const f = locateFields(file, header);
    const q = (c: string | undefined) => (c ? `"${c.replace(/"/g, '""')}"` : 'NULL');
    return `SELECT ${q(f.ts)} AS ts_text, ${q(f.name)} AS name, ${q(f.sum)} AS value_sum, ${q(f.count)} AS value_count, ${q(f.dims)} AS dims
            FROM ${tableFunction(file, 'csv', header)}`;
  }
  const [{ cols }] = (await store.query<{ cols: string[] | null }>(
    `SELECT list_transform(CAST(d->'tables'->0->'columns' AS JSON[]), lambda c: c->>'name') AS cols FROM read_json_objects(${literal(file)}, format = 'auto') t(d)`)) as [{ cols: string[] | null }];
  if (!cols?.length) throw new InputError({ file }, 'no tables[0].columns; expected a query result {"tables": [{"columns": [...], "rows": [...]}]}');
  const f = locateFields(file, cols);
  const at = (c: string | undefined) => (c === undefined ? 'NULL' : `r->>${cols.indexOf(c)}`);
  const dims = f.dims === undefined ? 'NULL' : `CASE WHEN json_type(r->${cols.indexOf(f.dims)}) = 'OBJECT' THEN CAST(r->${cols.indexOf(f.dims)} AS VARCHAR) ELSE r->>${cols.indexOf(f.dims)} END`;
  return `SELECT ${at(f.ts)} AS ts_text, ${at(f.name)} AS name, ${at(f.sum)} AS value_sum, ${at(f.count)} AS value_count, ${dims} AS dims
          FROM (SELECT unnest(CAST(d->'tables'->0->'rows' AS JSON[])) AS r FROM read_json_objects(${literal(file)}, format = 'auto') t(d))`;
}

export async function apimMetricsSelect(store: Store, file: string, format: 'csv' | 'json', ingestionId: string, ingestedAt: string, extra: Aliases = {}): Promise<string> {
  const long = await longRelation(store, file, format);
  const dim = (name: string) => `nullif(trim(coalesce(${[...(extra[name] ?? []), ...DIMS[name]!].map((k) => `d->>${literal(k)}`).join(', ')})), '')`;
  return `
WITH long AS (${long}),
typed AS (
  SELECT
    CAST(timezone('UTC', TRY_CAST(ts_text AS TIMESTAMPTZ)) AS TIMESTAMP) AS ts, ts_text,
    lower(trim(name)) AS metric, TRY_CAST(value_sum AS DOUBLE) AS value_sum, value_sum AS value_sum_text,
    TRY_CAST(value_count AS BIGINT) AS value_count,
    CASE WHEN dims IS NULL OR trim(dims) = '' THEN '{}' ELSE dims END AS dims_text
  FROM long
  WHERE lower(trim(name)) IN ('prompt tokens', 'completion tokens', 'total tokens')
),
g AS (
  SELECT ts, dims_text, min(ts_text) AS ts_text,
    sum(value_sum) FILTER (WHERE metric = 'prompt tokens') AS prompt,
    sum(value_sum) FILTER (WHERE metric = 'completion tokens') AS completion,
    sum(value_sum) FILTER (WHERE metric = 'total tokens') AS total,
    coalesce(max(value_count) FILTER (WHERE metric = 'prompt tokens'), max(value_count) FILTER (WHERE metric = 'total tokens'), 0) AS requests,
    bool_or(value_sum IS NULL AND value_sum_text IS NOT NULL) AS bad_number,
    bool_or(ts IS NULL) AS bad_ts
  FROM typed
  GROUP BY ts, dims_text
),
x AS (SELECT *, TRY_CAST(dims_text AS JSON) AS d FROM g)
SELECT
  ${literal(ingestionId)} AS tl_ingestion_id, ${literal(file)} AS tl_source_file, CAST(0 AS BIGINT) AS tl_source_row,
  TIMESTAMP ${literal(ingestedAt)} AS tl_ingested_at, 'apim-metrics' AS format, coalesce(ts, TIMESTAMP '1970-01-01') AS ts, 'aggregate' AS grain,
  lower(${dim('resource_id')}) AS resource_id, ${dim('deployment')} AS deployment,
  regexp_replace(lower(coalesce(${dim('model')}, ${dim('deployment')})), '-(\\d{4})-(\\d{2})-(\\d{2})$', '') AS model, NULL AS model_version,
  ${dim('feature')} AS feature, ${dim('team')} AS team, ${dim('environment')} AS environment, ${dim('cost_center')} AS cost_center,
  ${dim('user_id')} AS user_id,
  CAST(requests AS BIGINT) AS requests,
  CAST(round(coalesce(prompt, total - completion, 0)) AS BIGINT) AS input_tokens, CAST(0 AS BIGINT) AS cached_input_tokens,
  CAST(0 AS BIGINT) AS cache_write_tokens, CAST(round(coalesce(completion, total - prompt, 0)) AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens, NULL AS status,
  d AS attributes, false AS cache_split,
  CASE
    WHEN bad_ts THEN 'a timestamp is not a date-time: ' || ts_text
    WHEN d IS NULL THEN 'customDimensions / Properties is not a JSON object'
    WHEN bad_number THEN 'a valueSum / Sum is not a number'
    WHEN coalesce(prompt, completion, total) IS NULL THEN 'no Prompt Tokens, Completion Tokens or Total Tokens values'
    WHEN least(coalesce(prompt, 0), coalesce(completion, 0), coalesce(total, 0)) < 0 THEN 'a token metric is negative'
  END AS tl_problem
FROM x`;
}
