/**
 * Usage logs, one JSON object per line: a timestamp, model or deployment, the usage object in any shape of
 * usage-shapes.ts (OpenAI Chat Completions or Responses, Anthropic Messages, Gemini usageMetadata, Bedrock
 * Converse or its model invocation log), and free attributes. The obvious attribute names work with
 * no configuration, at the top level or inside `metadata` / `attributes`.
 *
 * Cached tokens are part of prompt tokens and reasoning tokens part of completion tokens: both are kept
 * as splits of the totals, never added to them.
 */
import { code, join, sql, type Sql } from '../../store/sql.js';
import { jsonLinesFormat } from '../common/files.js';
import type { DateOrder } from '../common/timestamps.js';
import { lineage, modelColumns, tokenChecks } from './model.js';
import { shapeTokens, STREAM_EVENTS } from './usage-shapes.js';
import { jsonlTimestamp, requestIdSql } from './jsonl-keys.js';

/** Attribute aliases, as data: the first present wins. */
export const DIMENSIONS: Record<string, string[]> = {
  feature: ['feature', 'Feature', 'feature_name', 'app_feature'],
  team: ['team', 'Team', 'team_name'],
  environment: ['environment', 'env', 'Environment', 'Env', 'environment_name'],
  cost_center: ['cost_center', 'CostCenter', 'costCenter', 'cost-center'],
  resource_id: ['resource_id', 'resourceId', 'ResourceId', 'resource'],
  deployment: ['deployment', 'deployment_name', 'deploymentName', 'azure_deployment'],
  user_id: ['user', 'user_id', 'userId'],
  status: ['status', 'status_code', 'http_status'],
};

const CONTAINERS = ['', 'metadata', 'attributes'];

/** The text at `key` of the record or of one of its objects; the key is a value (aliases come from tokenledger.yaml). */
function path(container: string, key: string): Sql {
  return container ? sql`j->${container}->>${key}` : sql`j->>${key}`;
}

/** Extra attribute names per dimension (tokenledger.yaml telemetry.dimensions), tried first. */
export type Aliases = Partial<Record<string, string[]>>;

/** coalesce over every alias at the top level, then in metadata, then in attributes. */
export function dimensionOf(name: string, extra: Aliases = {}): Sql {
  const aliases = [...(extra[name] ?? []), ...DIMENSIONS[name]!];
  return sql`nullif(trim(coalesce(${join(CONTAINERS.flatMap((c) => aliases.map((a) => path(c, a))), ', ')})), '')`;
}

/** The reason a record without usage has none: what usage logs mix in besides responses. */
const NO_USAGE = `CASE
      WHEN coalesce(json_type(j->'error'), 'NULL') <> 'NULL' OR coalesce(json_type(j->'response'->'error'), 'NULL') <> 'NULL'
        THEN 'an error response, without usage'
      WHEN coalesce(j->>'status', j->'response'->>'status') IN ('in_progress', 'queued', 'incomplete')
        THEN 'a response still in progress, without usage yet'
      WHEN j->>'object' = 'chat.completion.chunk' THEN 'a streaming chunk without usage (only the last chunk carries it)'
      ELSE 'no usage (expected usage.prompt_tokens/completion_tokens, usage.input_tokens/output_tokens, usageMetadata or ' ||
        'usage.inputTokens/outputTokens)'
    END`;

/**
 * The careful SELECT reading one JSONL file record by record as JSON, plus `tl_problem`: why a record is
 * unusable (NULL when it is fine). About 4x slower; used when the fast path fails, to name the record behind
 * the failure, or, when every record is usable after all (a timestamp only "created" can give, metadata
 * that is not an object), to ingest the file.
 */
export function openaiJsonlSelect(file: string, ingestionId: string, ingestedAt: string, extra: Aliases = {}, order?: DateOrder): Sql {
  const dimension = (name: string) => dimensionOf(name, extra);
  const gatewayId = (k: string) => sql`coalesce(${path('metadata', k)}, ${path('attributes', k)})`;
  const t = shapeTokens();
  // the first timestamp key present, read strictly (common/timestamps.ts), or "created" in epoch seconds
  const time = jsonlTimestamp((k) => code(`(j->>'${k}')`), order);
  // the request's id: the first of the id keys that is not a number (a log's own counter is not an id)
  const requestId = requestIdSql((k) => code(`(j->>'${k}')`),
    code(`CASE WHEN coalesce(json_type(j->'usage'), 'NULL') = 'NULL' THEN j->'response'->>'id' END`));
  // after the deployment: the model names of Gemini responses (modelVersion) and Bedrock logs (modelId)
  const rawModel = sql`lower(trim(coalesce(j->>'model', j->'metadata'->>'model', j->'attributes'->>'model',
    j->'response'->>'model', ${dimension('deployment')}, j->>'modelId', j->>'modelVersion', j->'response'->>'modelVersion')))`;
  return sql`
WITH src AS (
  SELECT json AS j FROM read_json_objects(${file}, format = ${jsonLinesFormat(file)})
), s AS (
  SELECT j, ${t.shape} AS shape, ${time.text} AS ts_text FROM src
), f AS (
  SELECT j, ts_text,
    ${time.ts(code('ts_text'))} AS ts, ${requestId} AS request_id,
    ${rawModel} AS raw_model,
    ${t.input} AS input_tokens,
    ${t.output} AS output_tokens,
    ${t.cached} AS cached_input_tokens,
    ${t.write} AS cache_write_tokens,
    ${t.reasoning} AS reasoning_tokens,
    ${t.hasUsage} AS has_usage
  FROM s
)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'openai-jsonl' AS format, ts, 'request' AS grain,
  lower(${dimension('resource_id')}) AS resource_id, ${dimension('deployment')} AS deployment,
  ${modelColumns('raw_model')},
  ${dimension('feature')} AS feature, ${dimension('team')} AS team, ${dimension('environment')} AS environment,
  ${dimension('cost_center')} AS cost_center, ${dimension('user_id')} AS user_id,
  CAST(1 AS BIGINT) AS requests,
  coalesce(input_tokens, 0) AS input_tokens, coalesce(cached_input_tokens, 0) AS cached_input_tokens,
  coalesce(cache_write_tokens, 0) AS cache_write_tokens, coalesce(output_tokens, 0) AS output_tokens,
  coalesce(reasoning_tokens, 0) AS reasoning_tokens,
  ${dimension('status')} AS status,
  CASE WHEN ${gatewayId('api_id')} IS NOT NULL OR ${gatewayId('backend_id')} IS NOT NULL
       THEN json_object('api_id', ${gatewayId('api_id')}, 'backend_id', ${gatewayId('backend_id')}) END AS attributes,
  true AS cache_split, request_id,
  CASE
    WHEN j->>'type' IN ${code(`(${STREAM_EVENTS.map((e) => `'${e}'`).join(', ')})`)}
      THEN 'an Anthropic streaming event, not a whole response (log the final message and its usage)'
    WHEN NOT has_usage THEN ${code(NO_USAGE)}
    WHEN ts IS NULL THEN ${time.problem(code('ts_text'))}
    WHEN raw_model IS NULL THEN 'no model or deployment (expected "model" or "deployment")'
    ${tokenChecks({ input: 'input_tokens', output: 'output_tokens', cached: 'cached_input_tokens', write: 'cache_write_tokens',
      reasoning: 'reasoning_tokens' })}
  END AS tl_problem
FROM f`;
}
