/**
 * The OpenAI organization Usage API for completions (GET /v1/organization/usage/completions), as it
 * returns pages: {"object": "page", "data": [{"object": "bucket", "start_time", "end_time", "results":
 * [{"object": "organization.usage.completions.result", "input_tokens", "input_cached_tokens",
 * "output_tokens", "input_audio_tokens", "output_audio_tokens", "num_model_requests", "project_id",
 * "user_id", "api_key_id", "model", "batch"}]}], "has_more", "next_page"}: one page per file, or one per
 * line. Each result of a bucket is one aggregate row at the bucket's start (UTC).
 *
 * input_tokens includes input_cached_tokens (OpenAI: "including cached tokens"), so the cached count is a
 * split of it, as in the request logs; no reasoning or cache-write split is published. Audio tokens are
 * priced by other meters: they are kept in the attributes, not added to the text tokens. The grouping
 * (group_by=model, project_id, api_key_id, user_id, batch) decides which fields are set; a model is
 * required (query with group_by=model). project_id and api_key_id are kept in the attributes; tokenledger.yaml
 * `telemetry.dimensions` can name them for a dimension (feature: [project_id]).
 */
import { join, sql, type Sql } from '../../store/sql.js';
import { DIMENSIONS, type Aliases } from './openai-jsonl.js';
import { lineage, modelColumns, tokenChecks, wholeNumberSql } from './model.js';

const COMPLETIONS = 'organization.usage.completions.result';

export function openaiUsageApiSelect(file: string, ingestionId: string, ingestedAt: string, extra: Aliases = {}): Sql {
  // a dimension from the result's fields: the aliases of tokenledger.yaml first, then the usual names
  const dim = (name: string) => {
    const keys = [...(extra[name] ?? []), ...DIMENSIONS[name]!];
    return sql`nullif(trim(coalesce(${join(keys.map((k) => sql`r->>${k}`), ', ')})), '')`;
  };
  const n = (k: string) => wholeNumberSql(sql`coalesce(r->>${k}, '0')`);
  return sql`
WITH docs AS (SELECT json AS d FROM read_json_objects(${file}, format = 'auto')),
b AS (SELECT unnest(CAST(coalesce(d->'data', '[]') AS JSON[])) AS b FROM docs),
rs AS (SELECT b, unnest(CAST(coalesce(b->'results', '[]') AS JSON[])) AS r FROM b),
f AS (
  SELECT b, r, TRY_CAST(b->>'start_time' AS DOUBLE) AS start_s,
    ${n('input_tokens')} AS input_tokens, ${n('input_cached_tokens')} AS cached, ${n('output_tokens')} AS output_tokens,
    ${n('num_model_requests')} AS requests, lower(trim(r->>'model')) AS raw_model
  FROM rs
)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'openai-usage-api' AS format,
  CASE WHEN start_s BETWEEN 1e9 AND 1e11 THEN make_timestamp(CAST(start_s * 1e6 AS BIGINT)) ELSE TIMESTAMP '1970-01-01' END AS ts,
  'aggregate' AS grain,
  lower(${dim('resource_id')}) AS resource_id, ${dim('deployment')} AS deployment,
  ${modelColumns('raw_model')},
  ${dim('feature')} AS feature, ${dim('team')} AS team, ${dim('environment')} AS environment,
  ${dim('cost_center')} AS cost_center, ${dim('user_id')} AS user_id,
  coalesce(requests, 0) AS requests,
  coalesce(input_tokens, 0) AS input_tokens, coalesce(cached, 0) AS cached_input_tokens, CAST(0 AS BIGINT) AS cache_write_tokens,
  coalesce(output_tokens, 0) AS output_tokens, CAST(0 AS BIGINT) AS reasoning_tokens, CAST(NULL AS VARCHAR) AS status,
  json_object('project_id', r->>'project_id', 'api_key_id', r->>'api_key_id', 'batch', r->'batch',
    'input_audio_tokens', r->'input_audio_tokens', 'output_audio_tokens', r->'output_audio_tokens',
    'bucket', json_object('start_time', b->'start_time', 'end_time', b->'end_time')) AS attributes,
  true AS cache_split, CAST(NULL AS VARCHAR) AS request_id,
  CASE
    WHEN r->>'object' IS DISTINCT FROM ${COMPLETIONS}
      THEN 'a result that is not ' || ${COMPLETIONS} || ' (read the /organization/usage/completions endpoint): '
        || coalesce(r->>'object', 'no object')
    WHEN NOT coalesce(start_s BETWEEN 1e9 AND 1e11, false) THEN 'a bucket without start_time in epoch seconds'
    WHEN raw_model IS NULL OR raw_model = '' THEN 'a result without a model (query the Usage API with group_by=model)'
    WHEN requests IS NULL THEN 'num_model_requests is not a whole number'
    ${tokenChecks({ input: 'input_tokens', output: 'output_tokens', cached: 'cached', write: '0', reasoning: '0' })}
  END AS tl_problem
FROM f`;
}
