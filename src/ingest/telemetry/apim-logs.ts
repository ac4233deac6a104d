/**
 * APIM LLM logs (ApiManagementGatewayLlmLog: TimeGenerated, CorrelationId, DeploymentName, ModelName,
 * PromptTokens, CompletionTokens, TotalTokens, IsStreamCompletion, SequenceNumber), one request per
 * CorrelationId (a streamed completion may log several rows; token counts are taken once, not summed),
 * enriched with the gateway log (ApiManagementGatewayLogs) rows of the same CorrelationId: subscription,
 * API, backend, cache and response code. Gateway logs are read first when given in the same command.
 */
import type { Store } from '../../store/db.js';
import { code, ident, sql, type Sql } from '../../store/sql.js';
import type { Aliases } from './openai-jsonl.js';
import { columnFor, requireColumn, tabularSource } from './tabular.js';
import { lineage, modelColumns, wholeNumberSql } from './model.js';
import { parsedTimestamp, timestampProblem, type DateOrder } from '../common/timestamps.js';

const LLM = 'an ApiManagementGatewayLlmLog export (TimeGenerated, CorrelationId, DeploymentName, ModelName, PromptTokens, ' +
  'CompletionTokens)';
const GATEWAY = 'an ApiManagementGatewayLogs export (TimeGenerated, CorrelationId, ApiId, BackendId, ResponseCode)';

const col = (c: string | undefined): Sql => (c ? ident(c) : code('NULL'));
const whole = wholeNumberSql;

export async function apimLlmLogSelect(store: Store, file: string, ingestionId: string, ingestedAt: string,
  _extra: Aliases = {}, order?: DateOrder): Promise<Sql> {
  const t = await tabularSource(store, file);
  const ts = requireColumn(file, t, ['timegenerated', 'timestamp'], LLM);
  const cid = requireColumn(file, t, ['correlationid'], LLM);
  const prompt = requireColumn(file, t, ['prompttokens'], LLM);
  const completion = requireColumn(file, t, ['completiontokens'], LLM);
  const deployment = columnFor(t, ['deploymentname']);
  const model = columnFor(t, ['modelname']);
  return sql`
WITH r AS (
  SELECT trim(${ident(ts)}) AS ts_text, ${ident(cid)} AS cid, ${col(deployment)} AS deployment, ${col(model)} AS model_name,
    ${ident(prompt)} AS p_text, ${ident(completion)} AS c_text
  FROM (${t.sql})
),
g AS (
  -- a request is refused when any of its records has a TimeGenerated the strict parser does not accept
  SELECT cid, min(ts_text) FILTER (WHERE ${parsedTimestamp(code('ts_text'), order)} IS NULL) AS bad_ts_text,
    min(ts_text) AS ts_text,
    CASE WHEN bool_and(${parsedTimestamp(code('ts_text'), order)} IS NOT NULL) THEN min(${parsedTimestamp(code('ts_text'), order)}) END
      AS ts,
    any_value(deployment) AS deployment, any_value(model_name) AS model_name,
    max(${whole('p_text')}) AS prompt, max(${whole('c_text')}) AS completion,
    bool_or((${whole('p_text')} IS NULL AND nullif(p_text, '') IS NOT NULL) OR (${whole('c_text')} IS NULL
      AND nullif(c_text, '') IS NOT NULL)) AS bad_number,
    count(*) AS log_rows
  FROM r GROUP BY cid
),
x AS (
  SELECT g.*, gw.subscription_id, gw.api_id, gw.backend_id, gw.cache, gw.response_code,
    lower(trim(coalesce(g.model_name, g.deployment))) AS raw_model
  FROM g LEFT JOIN (SELECT correlation_id, any_value(subscription_id) AS subscription_id, any_value(api_id) AS api_id,
    any_value(backend_id) AS backend_id,
                           any_value(cache) AS cache, any_value(response_code) AS response_code FROM apim_gateway_log
                             GROUP BY correlation_id) gw
    ON gw.correlation_id = g.cid
)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'apim-llm-log' AS format, coalesce(ts, TIMESTAMP '1970-01-01') AS ts, 'request' AS grain,
  CAST(NULL AS VARCHAR) AS resource_id, deployment,
  ${modelColumns('raw_model')},
  CAST(NULL AS VARCHAR) AS feature, CAST(NULL AS VARCHAR) AS team, CAST(NULL AS VARCHAR) AS environment,
    CAST(NULL AS VARCHAR) AS cost_center, subscription_id AS user_id,
  CAST(1 AS BIGINT) AS requests,
  coalesce(prompt, 0) AS input_tokens, CAST(0 AS BIGINT) AS cached_input_tokens, CAST(0 AS BIGINT) AS cache_write_tokens,
  coalesce(completion, 0) AS output_tokens, CAST(0 AS BIGINT) AS reasoning_tokens, response_code AS status,
  json_object('correlation_id', cid, 'api_id', api_id, 'backend_id', backend_id, 'subscription_id', subscription_id, 'cache', cache,
    'log_rows', log_rows) AS attributes,
  false AS cache_split, nullif(trim(cid), '') AS request_id,
  CASE
    WHEN ts IS NULL
      THEN 'TimeGenerated ' || coalesce(bad_ts_text, 'empty') || ' is not a date-time (CorrelationId ' || cid || '); expected '
      || ${timestampProblem(code("coalesce(bad_ts_text, '')"), order)}
    WHEN bad_number THEN 'PromptTokens / CompletionTokens is not a whole number (CorrelationId ' || cid || ')'
    WHEN raw_model IS NULL THEN 'no ModelName or DeploymentName (CorrelationId ' || cid || ')'
    WHEN least(coalesce(prompt, 0), coalesce(completion, 0)) < 0 THEN 'a token count is negative (CorrelationId ' || cid || ')'
  END AS tl_problem
FROM x`;
}

/**
 * INSERT of a gateway-log export into apim_gateway_log. A TimeGenerated the strict parser does not accept
 * is refused first, naming its record (1-based, in file order) through `badRecord`.
 */
export async function apimGatewayLogInsert(store: Store, file: string, ingestionId: string, order?: DateOrder,
  badRecord?: (record: number, problem: string) => Promise<never>): Promise<Sql> {
  const t = await tabularSource(store, file);
  const cid = requireColumn(file, t, ['correlationid'], GATEWAY);
  const ts = columnFor(t, ['timegenerated', 'timestamp']);
  const text = sql`nullif(trim(${col(ts)}), '')`;
  if (ts && badRecord) {
    const [bad] = await store.query<{ rn: string; problem: string }>(sql`
      SELECT rn, 'TimeGenerated ' || v || ' is not a date-time; expected ' || ${timestampProblem(code('v'), order)} AS problem
      FROM (SELECT row_number() OVER () AS rn, ${text} AS v FROM (${t.sql}))
      WHERE v IS NOT NULL AND ${parsedTimestamp(code('v'), order)} IS NULL ORDER BY rn LIMIT 1`);
    if (bad) await badRecord(Number(bad.rn), bad.problem);
  }
  return sql`INSERT INTO apim_gateway_log
    SELECT CAST(${ingestionId} AS VARCHAR), ${ident(cid)}, ${parsedTimestamp(text, order)},
      ${col(columnFor(t, ['apimsubscriptionid', 'subscriptionid']))}, ${col(columnFor(t, ['apiid']))}, ${col(columnFor(t,
        ['operationid']))},
      ${col(columnFor(t, ['backendid']))}, ${col(columnFor(t, ['cache']))}, ${col(columnFor(t, ['responsecode']))}
    FROM (${t.sql}) WHERE ${ident(cid)} IS NOT NULL`;
}

/**
 * The first record (1-based, in file order) of an LLM log whose own values make its request unusable: a
 * TimeGenerated or a token count that cannot be read, a negative count, no model or deployment. Requests
 * group several records by CorrelationId; this names the record behind a refusal.
 */
export async function apimLlmLogBadRecord(store: Store, file: string, order?: DateOrder): Promise<number | null> {
  const t = await tabularSource(store, file);
  const c = (names: string[]) => col(columnFor(t, names));
  const [row] = await store.query<{ rn: string }>(sql`
    SELECT rn FROM (SELECT row_number() OVER () AS rn, ${c(['timegenerated', 'timestamp'])} AS ts_text, ${c(['prompttokens'])} AS p,
      ${c(['completiontokens'])} AS q, coalesce(${c(['modelname'])}, ${c(['deploymentname'])}) AS m FROM (${t.sql}))
    WHERE ${parsedTimestamp(code('trim(ts_text)'), order)} IS NULL OR nullif(trim(m), '') IS NULL
      OR (${whole('p')} IS NULL AND nullif(p, '') IS NOT NULL) OR (${whole('q')} IS NULL AND nullif(q, '') IS NOT NULL)
      OR ${whole('p')} < 0 OR ${whole('q')} < 0
    ORDER BY rn LIMIT 1`);
  return row ? Number(row.rn) : null;
}
