/**
 * Azure Monitor platform metrics of an Azure OpenAI / Foundry account, as the metrics REST API (or
 * `az monitor metrics list -o json`) returns them: {value: [{name: {value}, id, timeseries: [{metadatavalues:
 * [{name: {value: "ModelDeploymentName"}, value}], data: [{timeStamp, total}]}]}]}. ProcessedPromptTokens,
 * GeneratedTokens, TokenTransaction and AzureOpenAIRequests of one time grain and deployment become one
 * aggregate row; the resource comes from the metric id. No cached-token split is published.
 */
import { code, sql, type Sql } from '../../store/sql.js';
import { lineage, modelColumns } from './model.js';
import { parsedTimestamp, timestampProblem, type DateOrder } from '../common/timestamps.js';

export function azureMonitorSelect(file: string, ingestionId: string, ingestedAt: string, order?: DateOrder): Sql {
  return sql`
WITH docs AS (SELECT json AS d FROM read_json_objects(${file}, format = 'auto')),
m AS (SELECT unnest(CAST(coalesce(d->'value', '[]') AS JSON[])) AS m FROM docs),
ts AS (SELECT m, unnest(CAST(coalesce(m->'timeseries', '[]') AS JSON[])) AS s FROM m),
pts AS (
  SELECT
    lower(regexp_replace(m->>'id', '/providers/microsoft\\.insights/metrics/.*$', '', 'i')) AS resource_id,
    lower(m->'name'->>'value') AS metric,
    list_filter(CAST(coalesce(s->'metadatavalues', '[]') AS JSON[]),
      lambda x: lower(x->'name'->>'value') = 'modeldeploymentname')[1]->>'value' AS deployment,
    list_filter(CAST(coalesce(s->'metadatavalues', '[]') AS JSON[]),
      lambda x: lower(x->'name'->>'value') = 'statuscode')[1]->>'value' AS status,
    unnest(CAST(coalesce(s->'data', '[]') AS JSON[])) AS p
  FROM ts
),
typed AS (
  SELECT resource_id, metric, deployment, status,
    ${parsedTimestamp(code("trim(p->>'timeStamp')"), order)} AS ts, p->>'timeStamp' AS ts_text,
    TRY_CAST(coalesce(p->>'total', p->>'count') AS DOUBLE) AS v, coalesce(p->>'total', p->>'count') AS v_text
  FROM pts
),
g AS (
  SELECT resource_id, deployment, ts, min(ts_text) AS ts_text, min(metric) AS first_metric,
    sum(v) FILTER (WHERE metric = 'processedprompttokens') AS prompt,
    sum(v) FILTER (WHERE metric = 'generatedtokens') AS generated,
    sum(v) FILTER (WHERE metric = 'tokentransaction') AS total,
    sum(v) FILTER (WHERE metric = 'azureopenairequests') AS requests,
    bool_or(v IS NULL AND v_text IS NOT NULL) AS bad_number, bool_or(v <> trunc(v)) AS fractional, bool_or(ts IS NULL) AS bad_ts
  FROM typed
  WHERE metric IN ('processedprompttokens', 'generatedtokens', 'tokentransaction', 'azureopenairequests')
  GROUP BY resource_id, deployment, ts
)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'azure-monitor' AS format, coalesce(ts, TIMESTAMP '1970-01-01') AS ts, 'aggregate' AS grain,
  nullif(resource_id, '') AS resource_id, deployment,
  ${modelColumns('lower(deployment)')},
  CAST(NULL AS VARCHAR) AS feature, CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS environment,
    CAST(NULL AS VARCHAR) AS cost_center, CAST(NULL AS VARCHAR) AS user_id,
  CAST(round(coalesce(requests, 0)) AS BIGINT) AS requests,
  CAST(round(coalesce(prompt, total - generated, 0)) AS BIGINT) AS input_tokens, CAST(0 AS BIGINT) AS cached_input_tokens,
  CAST(0 AS BIGINT) AS cache_write_tokens, CAST(round(coalesce(generated, total - prompt, 0)) AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens, CAST(NULL AS VARCHAR) AS status,
  json_object('resource_id', resource_id, 'deployment', deployment, 'ts', ts_text) AS attributes, false AS cache_split,
  CAST(NULL AS VARCHAR) AS request_id,
  CASE
    WHEN bad_ts THEN 'metric ' || first_metric || ', deployment ' || coalesce(deployment, 'none') || ': timeStamp '
      || coalesce(ts_text, 'missing') || ' is not a date-time; expected ' || ${timestampProblem(code("coalesce(trim(ts_text), '')"), order)}
    WHEN bad_number THEN 'a total / count is not a number'
    WHEN fractional THEN 'a total / count of tokens or requests is not a whole number'
    WHEN deployment IS NULL THEN 'metrics not split by ModelDeploymentName (request them with $filter=ModelDeploymentName eq ''*'')'
    WHEN least(coalesce(prompt, 0), coalesce(generated, 0), coalesce(total, 0)) < 0 THEN 'a token metric is negative'
  END AS tl_problem
FROM g
WHERE coalesce(prompt, generated, total, 0) <> 0 OR coalesce(requests, 0) <> 0`;
}
