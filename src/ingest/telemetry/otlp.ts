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
import { literal } from '../../store/db.js';
import type { Aliases } from './openai-jsonl.js';

const ALIASES: Record<string, string[]> = {
  feature: ['feature', 'app.feature', 'tokenledger.feature'],
  team: ['team', 'app.team', 'tokenledger.team'],
  environment: ['environment', 'env', 'deployment.environment.name', 'deployment.environment'],
  cost_center: ['cost_center', 'CostCenter', 'cost.center'],
  resource_id: ['resource_id', 'azure.resource.id', 'cloud.resource_id'],
  deployment: ['deployment', 'gen_ai.azure.deployment', 'azure.deployment'],
  user_id: ['user', 'user.id', 'enduser.id'],
};

/** An OTLP attribute list as a MAP(key -> value text). */
const attrMap = (json: string) => `map_from_entries(list_transform(CAST(coalesce(${json}, '[]') AS JSON[]), a -> struct_pack(k := a->>'key',
  v := coalesce(a->'value'->>'stringValue', a->'value'->>'intValue', a->'value'->>'doubleValue', a->'value'->>'boolValue'))))`;

const pickKeys = (keys: string[]) => `nullif(trim(coalesce(${[...keys.map((k) => `attrs[${literal(k)}]`), ...keys.map((k) => `res[${literal(k)}]`)].join(', ')})), '')`;
const int = (expr: string) => `TRY_CAST(${expr} AS BIGINT)`;

export function otlpSpansSelect(file: string, ingestionId: string, ingestedAt: string, extra: Aliases = {}): string {
  const pick = (keys: string[]) => pickKeys(keys);
  const A = (name: string) => [...(extra[name] ?? []), ...ALIASES[name]!];
  return `
WITH docs AS (SELECT json AS d FROM read_json_objects(${literal(file)}, format = 'auto')),
rs AS (SELECT unnest(CAST(coalesce(d->'resourceSpans', '[]') AS JSON[])) AS rs FROM docs),
ss AS (SELECT rs, unnest(CAST(coalesce(rs->'scopeSpans', rs->'instrumentationLibrarySpans', '[]') AS JSON[])) AS ss FROM rs),
sp AS (SELECT rs, unnest(CAST(coalesce(ss->'spans', '[]') AS JSON[])) AS s FROM ss),
kv AS (SELECT s, ${attrMap("s->'attributes'")} AS attrs, ${attrMap("rs->'resource'->'attributes'")} AS res FROM sp),
f AS (
  SELECT s, attrs, res,
    ${int("attrs['gen_ai.usage.input_tokens']")} AS input_raw, ${int("attrs['gen_ai.usage.prompt_tokens']")} AS prompt_raw,
    ${int("coalesce(attrs['gen_ai.usage.output_tokens'], attrs['gen_ai.usage.completion_tokens'])")} AS output_tokens,
    ${int("coalesce(attrs['gen_ai.usage.cache_read.input_tokens'], attrs['gen_ai.usage.cache_read_input_tokens'], '0')")} AS cached,
    ${int("coalesce(attrs['gen_ai.usage.cache_creation.input_tokens'], attrs['gen_ai.usage.cache_creation_input_tokens'], '0')")} AS cache_write,
    ${int("coalesce(attrs['gen_ai.usage.reasoning.output_tokens'], '0')")} AS reasoning,
    TRY_CAST(s->>'startTimeUnixNano' AS HUGEINT) AS start_ns,
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
  ${literal(ingestionId)} AS tl_ingestion_id, ${literal(file)} AS tl_source_file, CAST(0 AS BIGINT) AS tl_source_row,
  TIMESTAMP ${literal(ingestedAt)} AS tl_ingested_at, 'otlp-spans' AS format,
  CASE WHEN start_ns > 0 THEN make_timestamp(CAST(start_ns // 1000 AS BIGINT)) END AS ts, 'request' AS grain,
  lower(${pick(A('resource_id'))}) AS resource_id, ${pick(A('deployment'))} AS deployment,
  regexp_replace(raw_model, '-(\\d{4})-(\\d{2})-(\\d{2})$', '') AS model,
  CASE WHEN regexp_matches(raw_model, '-\\d{4}-\\d{2}-\\d{2}$') THEN regexp_extract(raw_model, '-\\d{4}-(\\d{2})-(\\d{2})$', 1) || regexp_extract(raw_model, '-\\d{4}-(\\d{2})-(\\d{2})$', 2) END AS model_version,
  ${pick(A('feature'))} AS feature, ${pick(A('team'))} AS team, ${pick(A('environment'))} AS environment,
  ${pick(A('cost_center'))} AS cost_center, ${pick(A('user_id'))} AS user_id,
  CAST(1 AS BIGINT) AS requests,
  coalesce(input_tokens, 0) AS input_tokens, coalesce(cached, 0) AS cached_input_tokens, coalesce(cache_write, 0) AS cache_write_tokens,
  coalesce(output_tokens, 0) AS output_tokens, coalesce(reasoning, 0) AS reasoning_tokens,
  s->'status'->>'code' AS status,
  s AS attributes,
  true AS cache_split,
  CASE
    WHEN start_ns IS NULL OR start_ns <= 0 THEN 'span without a usable startTimeUnixNano'
    WHEN raw_model IS NULL THEN 'span without gen_ai.request.model or gen_ai.response.model'
    WHEN input_given IS NULL AND output_tokens IS NULL THEN 'span without gen_ai.usage.input_tokens or output_tokens'
    WHEN cached IS NULL OR cache_write IS NULL OR reasoning IS NULL OR (input_given IS NULL AND attrs['gen_ai.usage.input_tokens'] IS NOT NULL)
      THEN 'a gen_ai.usage value is not a whole number'
    WHEN least(coalesce(input_tokens, 0), coalesce(output_tokens, 0), cached, cache_write, reasoning) < 0 THEN 'a gen_ai.usage value is negative'
    WHEN reasoning > coalesce(output_tokens, 0) THEN 'reasoning tokens exceed output tokens (reasoning tokens are part of output tokens)'
  END AS tl_problem
FROM g`;
}
