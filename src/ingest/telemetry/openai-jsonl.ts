/**
 * OpenAI-style usage logs, one JSON object per line: a timestamp, model or deployment, the `usage`
 * object in Chat Completions shape (prompt_tokens, completion_tokens, *_details) or Responses shape
 * (input_tokens, output_tokens, *_details), and free attributes. The obvious attribute names work with
 * no configuration, at the top level or inside `metadata` / `attributes`.
 *
 * Cached tokens are part of prompt tokens and reasoning tokens part of completion tokens: both are kept
 * as splits of the totals, never added to them.
 */
import { literal, type Store } from '../../store/db.js';
import { modelColumns, tokenChecks } from './model.js';

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

function path(container: string, key: string): string {
  const k = literal(key);
  return container ? `j->${literal(container)}->>${k}` : `j->>${k}`;
}

/** Extra attribute names per dimension (tokenledger.yaml telemetry.dimensions), tried first. */
export type Aliases = Partial<Record<string, string[]>>;

/** coalesce over every alias at the top level, then in metadata, then in attributes. */
export function dimensionOf(name: string, extra: Aliases = {}): string {
  const aliases = [...(extra[name] ?? []), ...DIMENSIONS[name]!];
  return `nullif(trim(coalesce(${CONTAINERS.flatMap((c) => aliases.map((a) => path(c, a))).join(', ')})), '')`;
}

const u = (p: string) => `coalesce(j->'usage', j->'response'->'usage')${p}`;
const int = (expr: string) => `TRY_CAST(${expr} AS BIGINT)`;

/** Top-level keys of a JSONL file, from DuckDB's own schema sample (lower case); null if it cannot tell. */
export async function jsonlTopKeys(store: Store, file: string): Promise<Set<string> | null> {
  try {
    const cols = await store.columns(`SELECT * FROM read_json(${literal(file)}, format = 'newline_delimited')`);
    return new Set(cols.map((c) => c.name.toLowerCase()));
  } catch {
    return null;
  }
}

/**
 * The fast SELECT: DuckDB's JSON reader parses each line once into the known fields (typed columns,
 * unknown keys ignored; alias spellings read when DuckDB's schema sample of the file shows them, as its
 * own auto-detection does); attributes are read from the small metadata / attributes objects. A record that
 * does not fit (a string where an object belongs...) makes DuckDB fail; the caller then runs
 * openaiJsonlSelect, which reads every record as JSON and names the bad one.
 */
export function openaiJsonlFastSelect(file: string, ingestionId: string, ingestedAt: string, extra: Aliases = {}, present?: Set<string>): string {
  // DuckDB matches JSON keys to these columns without regard to case, so one column per spelling
  const keys = new Map<string, string>();
  const addKey = (k: string) => { if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k); };
  for (const k of ['timestamp', 'time', 'created_at', 'ts', 'created', 'model', 'request_id', 'metadata', 'attributes', 'usage', 'response']) addKey(k);
  // every extra column costs parse time: aliases are read only if the file uses them (DuckDB's own sample)
  for (const name of Object.keys(DIMENSIONS)) {
    for (const [i, a] of [...(extra[name] ?? []), ...DIMENSIONS[name]!].entries()) {
      if (i === 0 || name === 'environment' || !present || present.has(a.toLowerCase())) addKey(a);
    }
  }
  const top = (a: string) => keys.get(a.toLowerCase());
  // token counts typed BIGINT: a record with anything else fails the fast path and is named by the careful one
  const detail = (...f: string[]) => `STRUCT(${f.map((x) => `${x} BIGINT`).join(', ')})`;
  const usage = `STRUCT(prompt_tokens BIGINT, completion_tokens BIGINT, input_tokens BIGINT, output_tokens BIGINT, cache_creation_input_tokens BIGINT, `
    + `prompt_tokens_details ${detail('cached_tokens', 'cache_write_tokens')}, input_tokens_details ${detail('cached_tokens', 'cache_write_tokens')}, `
    + `completion_tokens_details ${detail('reasoning_tokens')}, output_tokens_details ${detail('reasoning_tokens')})`;
  // metadata / attributes as MAP: one parse per line, then cheap lookups (nested values keep their JSON text)
  const special: Record<string, string> = { metadata: 'MAP(VARCHAR, VARCHAR)', attributes: 'MAP(VARCHAR, VARCHAR)', usage, response: `STRUCT(model VARCHAR, usage ${usage})` };
  const columns = [...keys.values()].map((k) => `${literal(k)}: '${special[k] ?? 'VARCHAR'}'`);
  const col = (k: string) => `"${k.replace(/"/g, '""')}"`;
  const dim = (name: string) => {
    const aliases = [...(extra[name] ?? []), ...DIMENSIONS[name]!];
    const cols = [...new Set(aliases.map(top).filter((c): c is string => c !== undefined))];
    return `nullif(trim(coalesce(${[...cols.map(col), ...aliases.map((a) => `metadata[${literal(a)}]`), ...aliases.map((a) => `attributes[${literal(a)}]`)].join(', ')})), '')`;
  };
  const u = (path: string) => `coalesce(usage.${path}, response.usage.${path})`;
  const int = (expr: string) => `TRY_CAST(${expr} AS BIGINT)`;
  return `
WITH f AS (
  SELECT *,
    coalesce(CAST(timezone('UTC', TRY_CAST(coalesce("timestamp", "time", created_at, ts) AS TIMESTAMPTZ)) AS TIMESTAMP),
             CASE WHEN TRY_CAST(created AS DOUBLE) BETWEEN 1e9 AND 1e11 THEN CAST(to_timestamp(TRY_CAST(created AS DOUBLE)) AT TIME ZONE 'UTC' AS TIMESTAMP) END) AS t_ts,
    lower(trim(coalesce(model, metadata['model'], attributes['model'], response.model, ${dim('deployment')}))) AS raw_model,
    ${int(`coalesce(${u('prompt_tokens')}, ${u('input_tokens')})`)} AS t_in,
    ${int(`coalesce(${u('completion_tokens')}, ${u('output_tokens')})`)} AS t_out,
    ${int(`coalesce(${u('prompt_tokens_details.cached_tokens')}, ${u('input_tokens_details.cached_tokens')}, 0)`)} AS t_cached,
    ${int(`coalesce(${u('prompt_tokens_details.cache_write_tokens')}, ${u('input_tokens_details.cache_write_tokens')}, ${u('cache_creation_input_tokens')}, 0)`)} AS t_write,
    ${int(`coalesce(${u('completion_tokens_details.reasoning_tokens')}, ${u('output_tokens_details.reasoning_tokens')}, 0)`)} AS t_reason,
    coalesce(${u('prompt_tokens')}, ${u('input_tokens')}, ${u('completion_tokens')}, ${u('output_tokens')}) IS NOT NULL AS has_usage
  FROM read_json(${literal(file)}, format = 'newline_delimited', columns = {${columns.join(', ')}})
)
SELECT
  ${literal(ingestionId)} AS tl_ingestion_id, ${literal(file)} AS tl_source_file, CAST(0 AS BIGINT) AS tl_source_row,
  TIMESTAMP ${literal(ingestedAt)} AS tl_ingested_at, 'openai-jsonl' AS format, coalesce(t_ts, TIMESTAMP '1970-01-01') AS ts, 'request' AS grain,
  lower(${dim('resource_id')}) AS resource_id, ${dim('deployment')} AS deployment,
  ${modelColumns('raw_model')},
  ${dim('feature')} AS feature, ${dim('team')} AS team, ${dim('environment')} AS environment,
  ${dim('cost_center')} AS cost_center, ${dim('user_id')} AS user_id,
  CAST(1 AS BIGINT) AS requests,
  coalesce(t_in, 0) AS input_tokens, coalesce(t_cached, 0) AS cached_input_tokens, coalesce(t_write, 0) AS cache_write_tokens,
  coalesce(t_out, 0) AS output_tokens, coalesce(t_reason, 0) AS reasoning_tokens,
  ${dim('status')} AS status,
  -- the record stays in its file (file and line are the lineage); gateway ids are kept for mapping
  CASE WHEN metadata['api_id'] IS NOT NULL OR metadata['backend_id'] IS NOT NULL
       THEN json_object('api_id', metadata['api_id'], 'backend_id', metadata['backend_id']) END AS attributes,
  true AS cache_split,
  CASE
    WHEN t_ts IS NULL THEN 'no usable timestamp (expected "timestamp" as RFC 3339, or "created" in epoch seconds)'
    WHEN raw_model IS NULL THEN 'no model or deployment (expected "model" or "deployment")'
    WHEN NOT has_usage THEN 'no usage (expected usage.prompt_tokens/completion_tokens or usage.input_tokens/output_tokens)'
    ${tokenChecks({ input: 't_in', output: 't_out', cached: 't_cached', write: 't_write', reasoning: 't_reason' })}
  END AS tl_problem
FROM f`;
}

/**
 * The careful SELECT reading one JSONL file record by record as JSON, plus `tl_problem`: why a record is
 * unusable (NULL when it is fine). Slower; used to locate the record behind a failure of the fast path.
 */
export function openaiJsonlSelect(file: string, ingestionId: string, ingestedAt: string, extra: Aliases = {}): string {
  const dimension = (name: string) => dimensionOf(name, extra);
  const prompt = u(`->>'prompt_tokens'`);
  const input = u(`->>'input_tokens'`);
  const completion = u(`->>'completion_tokens'`);
  const output = u(`->>'output_tokens'`);
  const cached = `coalesce(${u(`->'prompt_tokens_details'->>'cached_tokens'`)}, ${u(`->'input_tokens_details'->>'cached_tokens'`)}, '0')`;
  const cacheWrite = `coalesce(${u(`->'prompt_tokens_details'->>'cache_write_tokens'`)}, ${u(`->'input_tokens_details'->>'cache_write_tokens'`)}, ${u(`->>'cache_creation_input_tokens'`)}, '0')`;
  const reasoning = `coalesce(${u(`->'completion_tokens_details'->>'reasoning_tokens'`)}, ${u(`->'output_tokens_details'->>'reasoning_tokens'`)}, '0')`;
  const tsText = `coalesce(j->>'timestamp', j->>'time', j->>'created_at', j->>'ts')`;
  const epoch = `TRY_CAST(coalesce(j->>'created', j->>'created_at') AS DOUBLE)`;
  const rawModel = `lower(trim(coalesce(j->>'model', j->'metadata'->>'model', j->'attributes'->>'model', j->'response'->>'model', ${dimension('deployment')})))`;
  return `
WITH src AS (
  SELECT json AS j FROM read_ndjson_objects(${literal(file)})
), f AS (
  SELECT j,
    coalesce(CAST(timezone('UTC', TRY_CAST(${tsText} AS TIMESTAMPTZ)) AS TIMESTAMP),
             CASE WHEN ${epoch} BETWEEN 1e9 AND 1e11 THEN CAST(to_timestamp(${epoch}) AT TIME ZONE 'UTC' AS TIMESTAMP) END) AS ts,
    ${rawModel} AS raw_model,
    ${int(`coalesce(${prompt}, ${input})`)} AS input_tokens,
    ${int(`coalesce(${completion}, ${output})`)} AS output_tokens,
    ${int(cached)} AS cached_input_tokens,
    ${int(cacheWrite)} AS cache_write_tokens,
    ${int(reasoning)} AS reasoning_tokens,
    coalesce(${prompt}, ${input}) IS NOT NULL OR coalesce(${completion}, ${output}) IS NOT NULL AS has_usage
  FROM src
)
SELECT
  ${literal(ingestionId)} AS tl_ingestion_id, ${literal(file)} AS tl_source_file, CAST(0 AS BIGINT) AS tl_source_row,
  TIMESTAMP ${literal(ingestedAt)} AS tl_ingested_at, 'openai-jsonl' AS format, ts, 'request' AS grain,
  lower(${dimension('resource_id')}) AS resource_id, ${dimension('deployment')} AS deployment,
  ${modelColumns('raw_model')},
  ${dimension('feature')} AS feature, ${dimension('team')} AS team, ${dimension('environment')} AS environment,
  ${dimension('cost_center')} AS cost_center, ${dimension('user_id')} AS user_id,
  CAST(1 AS BIGINT) AS requests,
  coalesce(input_tokens, 0) AS input_tokens, coalesce(cached_input_tokens, 0) AS cached_input_tokens,
  coalesce(cache_write_tokens, 0) AS cache_write_tokens, coalesce(output_tokens, 0) AS output_tokens,
  coalesce(reasoning_tokens, 0) AS reasoning_tokens,
  ${dimension('status')} AS status,
  j AS attributes,
  true AS cache_split,
  CASE
    WHEN ts IS NULL THEN 'no usable timestamp (expected "timestamp" as RFC 3339, or "created" in epoch seconds)'
    WHEN raw_model IS NULL THEN 'no model or deployment (expected "model" or "deployment")'
    WHEN NOT has_usage THEN 'no usage (expected usage.prompt_tokens/completion_tokens or usage.input_tokens/output_tokens)'
    ${tokenChecks({ input: 'input_tokens', output: 'output_tokens', cached: 'cached_input_tokens', write: 'cache_write_tokens', reasoning: 'reasoning_tokens' })}
  END AS tl_problem
FROM f`;
}
