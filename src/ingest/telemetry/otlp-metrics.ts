/**
 * The gen_ai.client.token.usage histogram in OTLP/JSON metrics (`{"resourceMetrics": [...]}`, one export
 * per line as the file exporter writes them, or one document). Its data points become aggregate rows: per
 * series (the resource's and the point's attributes but gen_ai.token.type) and time window, input and
 * output are the histogram sums of the input and output points, requests the input count.
 *
 * Both temporalities are read (aggregationTemporality 1 = DELTA, 2 = CUMULATIVE; the SDKs' default is
 * cumulative). A delta point is the window's traffic as it is. A cumulative point is the total since its
 * startTimeUnixNano, so what a window adds is the increase over the series' previous point:
 * 1. the points of a series and token type in time order (timeUnixNano);
 * 2. a point with the previous point's start time continues it: it adds sum - previous sum (and count -
 *    previous count) over the window (previous time, time];
 * 3. the first point of a series, and a point whose start time changed (the SDK restarted: a reset), adds
 *    its whole sum over (start, time]; a sum that went down without a new start time is taken as a reset
 *    too (as Prometheus' increase() does), so nothing is ever subtracted;
 * 4. windows that added nothing (an idle series is exported every interval) are left out.
 * 5. a series continued in a later file (a collector rotating its files): the file's first point takes as
 *    its previous point the latest one an earlier file ingested with the same series and start time (each
 *    cumulative row keeps its points' totals in attributes.tl_cumulative); a point older than those is an
 *    overlapping export and is refused.
 * The same traffic exported either way gives the same totals per series (a property test holds it to
 * that, resets included, split over files or not).
 */
import { code, sql, type Sql } from '../../store/sql.js';
import type { Aliases } from './openai-jsonl.js';
import { lineage, modelColumns } from './model.js';
import { ALIASES, attrMap, pickKeys } from './otlp.js';

const CUMULATIVE = code(`temporality IN ('2', 'AGGREGATION_TEMPORALITY_CUMULATIVE')`);

export function otlpMetricsSelect(file: string, ingestionId: string, ingestedAt: string, extra: Aliases = {}): Sql {
  const A = (name: string) => [...(extra[name] ?? []), ...ALIASES[name]!];
  const pick = (keys: string[]) => pickKeys(keys);
  return sql`
WITH docs AS (SELECT json AS d FROM read_json_objects(${file}, format = 'auto')),
rm AS (SELECT unnest(CAST(coalesce(d->'resourceMetrics', '[]') AS JSON[])) AS rm FROM docs),
sm AS (SELECT rm, unnest(CAST(coalesce(rm->'scopeMetrics', '[]') AS JSON[])) AS sm FROM rm),
m AS (SELECT rm, unnest(CAST(coalesce(sm->'metrics', '[]') AS JSON[])) AS m FROM sm),
dp AS (
  SELECT rm, m->'histogram'->>'aggregationTemporality' AS temporality, unnest(CAST(coalesce(m->'histogram'->'dataPoints',
    '[]') AS JSON[])) AS p
  FROM m WHERE m->>'name' = 'gen_ai.client.token.usage'
),
kv AS (SELECT rm, temporality, p, ${attrMap("p->'attributes'")} AS attrs, ${attrMap("rm->'resource'->'attributes'")} AS res FROM dp),
f AS (
  SELECT attrs, res, lower(attrs['gen_ai.token.type']) AS token_type, ${CUMULATIVE} AS cumulative,
    map_from_entries(list_filter(map_entries(attrs), lambda e: e.key <> 'gen_ai.token.type')) AS key_attrs,
    TRY_CAST(p->>'startTimeUnixNano' AS HUGEINT) AS start_ns, TRY_CAST(p->>'timeUnixNano' AS HUGEINT) AS end_ns,
    TRY_CAST(p->>'sum' AS DOUBLE) AS s, TRY_CAST(p->>'count' AS BIGINT) AS n
  FROM kv
),
-- the series: the resource and the point's attributes but the token type
k AS (SELECT *, CAST(res AS VARCHAR) || CAST(key_attrs AS VARCHAR) AS series,
  md5(CAST(res AS VARCHAR) || CAST(key_attrs AS VARCHAR)) AS series_h FROM f),
-- the cumulative state files ingested before left (each row keeps its points' totals in tl_cumulative)
prior AS (
  SELECT c->>'series' AS series_h, c->>'type' AS token_type, TRY_CAST(c->>'start' AS HUGEINT) AS start_ns,
    TRY_CAST(c->>'end' AS HUGEINT) AS end_ns, TRY_CAST(c->>'sum' AS DOUBLE) AS s, TRY_CAST(c->>'count' AS BIGINT) AS n
  FROM (SELECT unnest(CAST(attributes->'tl_cumulative' AS JSON[])) AS c FROM telemetry
        WHERE format = 'otlp-metrics' AND (attributes->'tl_cumulative') IS NOT NULL)
),
last_prior AS (SELECT series_h, token_type, start_ns, max(end_ns) AS last_end FROM prior GROUP BY ALL),
-- 1.-2. cumulative points with the previous point of their series and token type: in the file, or, for the
--       file's first point, the latest one an earlier file ingested (same series and start: a continued series)
c0 AS (
  SELECT *, lag(s) OVER w AS prev_s, lag(n) OVER w AS prev_n, lag(start_ns) OVER w AS prev_start, lag(end_ns) OVER w AS prev_end
  FROM k WHERE cumulative
  WINDOW w AS (PARTITION BY series, token_type ORDER BY end_ns, s)
),
c1 AS (
  SELECT c0.*, p.s AS p_s, p.n AS p_n, p.start_ns AS p_start, p.end_ns AS p_end, coalesce(c0.end_ns < l.last_end, false) AS overlapping
  FROM c0
  ASOF LEFT JOIN prior p ON p.series_h = c0.series_h AND p.token_type = c0.token_type AND p.start_ns = c0.start_ns
    AND c0.end_ns >= p.end_ns
  LEFT JOIN last_prior l ON l.series_h = c0.series_h AND l.token_type = c0.token_type AND l.start_ns = c0.start_ns
),
c AS (
  SELECT * REPLACE (CASE WHEN prev_end IS NULL THEN p_s ELSE prev_s END AS prev_s, CASE WHEN prev_end IS NULL THEN p_n ELSE prev_n END
      AS prev_n, CASE WHEN prev_end IS NULL THEN p_start ELSE prev_start END AS prev_start,
    CASE WHEN prev_end IS NULL THEN p_end ELSE prev_end END AS prev_end)
  FROM c1
),
-- 3. continued (same start, nothing went down): the increase; first or reset: the whole sum since the start
inc AS (SELECT *, coalesce(prev_start = start_ns AND s >= prev_s AND coalesce(n >= prev_n, true), false) AS continues FROM c),
pts AS (
  SELECT series, key_attrs, attrs, res, token_type, cumulative, start_ns IS NULL AS no_start, overlapping,
    {'series': series_h, 'type': token_type, 'start': start_ns, 'end': end_ns, 'sum': s, 'count': n} AS state,
    CASE WHEN continues THEN prev_end ELSE start_ns END AS start_ns, end_ns,
    CASE WHEN continues THEN s - prev_s ELSE s END AS s, CASE WHEN continues THEN n - prev_n ELSE n END AS n
  FROM inc
  UNION ALL BY NAME
  SELECT series, key_attrs, attrs, res, token_type, cumulative, false AS no_start, false AS overlapping, NULL AS state,
    start_ns, end_ns, s, n
  FROM k WHERE NOT cumulative
),
g AS (
  SELECT series, any_value(attrs) AS attrs, any_value(res) AS res, start_ns, end_ns,
    sum(s) FILTER (WHERE token_type = 'input') AS input_sum, sum(s) FILTER (WHERE token_type = 'output') AS output_sum,
    sum(n) FILTER (WHERE token_type = 'input') AS requests,
    bool_or(no_start) AS no_start, bool_and(cumulative) AS cumulative, bool_or(overlapping) AS overlapping,
    list(state) FILTER (WHERE cumulative) AS states,
    bool_or(token_type NOT IN ('input', 'output') OR token_type IS NULL) AS bad_type,
    bool_or(s IS NULL) AS bad_sum, bool_or(s <> trunc(s)) AS fractional
  FROM pts GROUP BY series, start_ns, end_ns
  -- 4. a cumulative window that added nothing is no traffic
  HAVING NOT (bool_and(cumulative) AND coalesce(sum(s), 0) = 0 AND coalesce(sum(n), 0) = 0 AND NOT bool_or(s IS NULL)
    AND NOT bool_or(overlapping))
),
x AS (SELECT *, lower(trim(coalesce(attrs['gen_ai.response.model'], attrs['gen_ai.request.model'], ${pick(A('deployment'))}))) AS raw_model
  FROM g)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'otlp-metrics' AS format,
  coalesce(make_timestamp(CAST(coalesce(start_ns, end_ns) // 1000 AS BIGINT)), TIMESTAMP '1970-01-01') AS ts, 'aggregate' AS grain,
  lower(${pick(A('resource_id'))}) AS resource_id, ${pick(A('deployment'))} AS deployment,
  ${modelColumns('raw_model')},
  ${pick(A('feature'))} AS feature, ${pick(A('team'))} AS team, ${pick(A('environment'))} AS environment,
  ${pick(A('cost_center'))} AS cost_center, ${pick(A('user_id'))} AS user_id,
  CAST(coalesce(requests, 0) AS BIGINT) AS requests,
  CAST(round(coalesce(input_sum, 0)) AS BIGINT) AS input_tokens, CAST(0 AS BIGINT) AS cached_input_tokens,
    CAST(0 AS BIGINT) AS cache_write_tokens,
  CAST(round(coalesce(output_sum, 0)) AS BIGINT) AS output_tokens, CAST(0 AS BIGINT) AS reasoning_tokens, CAST(NULL AS VARCHAR) AS status,
  CASE WHEN cumulative THEN json_merge_patch(to_json(attrs), json_object('tl_cumulative', to_json(states))) ELSE to_json(attrs) END
    AS attributes, false AS cache_split, CAST(NULL AS VARCHAR) AS request_id,
  CASE
    WHEN no_start THEN 'a cumulative data point without startTimeUnixNano (needed to tell a reset from an increase)'
    WHEN overlapping
      THEN 'cumulative points older than those an ingested file has of the same series (overlapping exports would count twice)'
    WHEN coalesce(start_ns, end_ns) IS NULL THEN 'data point without startTimeUnixNano / timeUnixNano'
    WHEN bad_type THEN 'gen_ai.token.type must be input or output'
    WHEN bad_sum THEN 'a data point has no numeric sum'
    WHEN fractional THEN 'a data point sum of token counts is not a whole number'
    WHEN raw_model IS NULL THEN 'data points without gen_ai.request.model or gen_ai.response.model'
  END AS tl_problem
FROM x`;
}
