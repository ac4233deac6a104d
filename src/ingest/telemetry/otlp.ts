/**
 * OpenTelemetry GenAI spans in OTLP/JSON (the file exporter's `{"resourceSpans": [...]}` documents, one
 * per line or one per file). Spans carrying gen_ai.usage.* become request rows; other spans are skipped.
 * Current and deprecated attribute names are both read (gen_ai.usage.input_tokens / prompt_tokens,
 * gen_ai.provider.name / gen_ai.system). Attributes are looked up on the span, then on its resource.
 *
 * gen_ai.usage.input_tokens includes cache reads and writes (as OpenAI reports them); when the cache
 * counts exceed it, the instrumentation followed the exclusive convention (as Anthropic reports them)
 * and they are added to it, so input_tokens is always the full prompt.
 */
import { duckdb } from '../../store/packages.js';

const { structValue } = duckdb;
import { code, join, sql, type Sql } from '../../store/sql.js';
import type { Aliases } from './openai-jsonl.js';
import { lineage, modelColumns, wholeNumberSql } from './model.js';

export const ALIASES: Record<string, string[]> = {
  feature: ['feature', 'app.feature', 'tokenledger.feature'],
  team: ['team', 'app.team', 'tokenledger.team'],
  environment: ['environment', 'env', 'deployment.environment.name', 'deployment.environment'],
  cost_center: ['cost_center', 'CostCenter', 'cost.center'],
  resource_id: ['resource_id', 'azure.resource.id', 'cloud.resource_id'],
  deployment: ['deployment', 'gen_ai.azure.deployment', 'azure.deployment'],
  user_id: ['user', 'user.id', 'enduser.id'],
};

/** OTLP/JSON types for DuckDB's reader: one parse per document into typed lists (no JSON copies). */
const ANY_VALUE = 'STRUCT(stringValue VARCHAR, intValue VARCHAR, doubleValue VARCHAR, boolValue VARCHAR)';
const ATTRS = `STRUCT("key" VARCHAR, "value" ${ANY_VALUE})[]`;
const SPAN = `STRUCT(traceId VARCHAR, spanId VARCHAR, "name" VARCHAR, startTimeUnixNano VARCHAR, attributes ${ATTRS}, ` +
  `status STRUCT(code VARCHAR))`;
const RESOURCE_SPANS = `STRUCT(resource STRUCT(attributes ${ATTRS}), scopeSpans STRUCT(spans ${SPAN}[])[], ` +
  `instrumentationLibrarySpans STRUCT(spans ${SPAN}[])[])[]`;

/** A typed OTLP attribute list as a MAP(key -> value text). */
const typedAttrMap = (list: string) => code(`map_from_entries(list_transform(coalesce(${list}, []), lambda a: struct_pack(k := a."key",
  v := coalesce(a."value".stringValue, a."value".intValue, a."value".doubleValue, a."value".boolValue))))`);

/** An OTLP attribute list as a MAP(key -> value text). */
export const attrMap = (json: string) =>
  code(`map_from_entries(list_transform(CAST(coalesce(${json}, '[]') AS JSON[]), a -> struct_pack(k := a->>'key',
  v := coalesce(a->'value'->>'stringValue', a->'value'->>'intValue', a->'value'->>'doubleValue', a->'value'->>'boolValue'))))`);

/** The first of the attribute keys (values: built in, or aliases from tokenledger.yaml) on the span, then on its resource. */
export const pickKeys = (keys: string[]): Sql =>
  sql`nullif(trim(coalesce(${join([...keys.map((k) => sql`attrs[${k}]`), ...keys.map((k) => sql`res[${k}]`)], ', ')})), '')`;
/** Token counts are whole numbers (TRY_CAST to BIGINT alone would round 12.5 to 13). */
const int = (expr: string) => wholeNumberSql(expr);

export function otlpSpansSelect(file: string, ingestionId: string, ingestedAt: string, extra: Aliases = {}): Sql {
  const pick = (keys: string[]) => pickKeys(keys);
  const A = (name: string) => [...(extra[name] ?? []), ...ALIASES[name]!];
  return sql`
WITH docs AS (SELECT resourceSpans FROM read_json(${file}, format = 'auto', columns = ${structValue({ resourceSpans: RESOURCE_SPANS })})),
rs AS (SELECT unnest(coalesce(resourceSpans, [])) AS rs FROM docs),
ss AS (SELECT rs.resource AS resource, unnest(coalesce(rs.scopeSpans, rs.instrumentationLibrarySpans, [])) AS ss FROM rs),
sp AS (SELECT resource, unnest(coalesce(ss.spans, [])) AS s FROM ss),
kv AS (SELECT s, ${typedAttrMap('s.attributes')} AS attrs, ${typedAttrMap('resource.attributes')} AS res FROM sp),
f AS (
  SELECT s, attrs, res,
    ${int("attrs['gen_ai.usage.input_tokens']")} AS input_raw, ${int("attrs['gen_ai.usage.prompt_tokens']")} AS prompt_raw,
    ${int("coalesce(attrs['gen_ai.usage.output_tokens'], attrs['gen_ai.usage.completion_tokens'])")} AS output_tokens,
    ${int("coalesce(attrs['gen_ai.usage.cache_read.input_tokens'], attrs['gen_ai.usage.cache_read_input_tokens'], '0')")} AS cached,
    ${int("coalesce(attrs['gen_ai.usage.cache_creation.input_tokens'], attrs['gen_ai.usage.cache_creation_input_tokens'], '0')")} AS
      cache_write,
    ${int("coalesce(attrs['gen_ai.usage.reasoning.output_tokens'], '0')")} AS reasoning,
    TRY_CAST(s.startTimeUnixNano AS HUGEINT) AS start_ns,
    lower(trim(coalesce(attrs['gen_ai.response.model'], attrs['gen_ai.request.model'], ${pick(A('deployment'))}))) AS raw_model
  FROM kv
  WHERE len(map_keys(attrs).list_filter(k -> starts_with(k, 'gen_ai.usage.'))) > 0
),
g AS (
  SELECT *, coalesce(input_raw, prompt_raw) AS input_given,
    CASE WHEN cached + cache_write > coalesce(input_raw, prompt_raw) THEN coalesce(input_raw, prompt_raw) + cached + cache_write
         ELSE coalesce(input_raw, prompt_raw) END AS input_tokens
  FROM f
)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'otlp-spans' AS format,
  CASE WHEN start_ns > 0 THEN make_timestamp(CAST(start_ns // 1000 AS BIGINT)) END AS ts, 'request' AS grain,
  lower(${pick(A('resource_id'))}) AS resource_id, ${pick(A('deployment'))} AS deployment,
  ${modelColumns('raw_model')},
  ${pick(A('feature'))} AS feature, ${pick(A('team'))} AS team, ${pick(A('environment'))} AS environment,
  ${pick(A('cost_center'))} AS cost_center, ${pick(A('user_id'))} AS user_id,
  CAST(1 AS BIGINT) AS requests,
  coalesce(input_tokens, 0) AS input_tokens, coalesce(cached, 0) AS cached_input_tokens, coalesce(cache_write, 0) AS cache_write_tokens,
  coalesce(output_tokens, 0) AS output_tokens, coalesce(reasoning, 0) AS reasoning_tokens,
  s.status.code AS status,
  json_object('trace_id', s.traceId, 'span_id', s.spanId, 'name', s."name") AS attributes,
  true AS cache_split, nullif(trim(attrs['gen_ai.response.id']), '') AS request_id,
  CASE
    WHEN start_ns IS NULL OR start_ns <= 0 THEN 'span without a usable startTimeUnixNano'
    WHEN raw_model IS NULL THEN 'span without gen_ai.request.model or gen_ai.response.model'
    WHEN input_given IS NULL AND output_tokens IS NULL THEN 'span without gen_ai.usage.input_tokens or output_tokens'
    WHEN cached IS NULL OR cache_write IS NULL OR reasoning IS NULL
      OR (input_given IS NULL AND coalesce(attrs['gen_ai.usage.input_tokens'], attrs['gen_ai.usage.prompt_tokens']) IS NOT NULL)
      OR (output_tokens IS NULL AND coalesce(attrs['gen_ai.usage.output_tokens'], attrs['gen_ai.usage.completion_tokens']) IS NOT NULL)
      THEN 'a gen_ai.usage value is not a whole number'
    WHEN least(coalesce(input_tokens, 0), coalesce(output_tokens, 0), cached, cache_write, reasoning) < 0
      THEN 'a gen_ai.usage value is negative'
    WHEN reasoning > coalesce(output_tokens, 0) THEN 'reasoning tokens exceed output tokens (reasoning tokens are part of output tokens)'
  END AS tl_problem
FROM g`;
}
