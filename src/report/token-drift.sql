-- token-drift: billed tokens vs telemetry tokens per day, resource, model and token type. A drift above
-- the threshold is flagged: missing or sampled telemetry, or a billing defect (cached tokens billed
-- twice shows as input drift). Telemetry without a resource or model is not comparable here. Consecutive
-- days with the same finding are one row (first day, last day, days, their sums): every day of the run has
-- it, and so has the run's sum (same sign on each day for drift; within the threshold on each day for ok).
WITH billed AS (
  SELECT CAST(ChargePeriodStart AS DATE) AS day, lower(ResourceId) AS resource, tl_model AS model,
         tl_token_type AS token_type, sum(tl_tokens) AS billed_tokens, sum(/*COST*/) AS cost, BillingCurrency AS currency
  FROM charges
  WHERE tl_token_type IS NOT NULL AND coalesce(ChargeClass, '') <> 'Correction' AND /*WHERE*/
  GROUP BY ALL
),
-- telemetry tokens in the billing token types (as the view telemetry_tokens has them), from the daily rollup
observed AS (
  SELECT r.day, r.resource_id AS resource, r.model, k.token_type,
    sum(CASE k.token_type WHEN 'input' THEN r.input_tokens - r.cached_input_tokens - r.cache_write_tokens WHEN 'prompt' THEN r.input_tokens
      WHEN 'cached_input' THEN r.cached_input_tokens WHEN 'cache_write' THEN r.cache_write_tokens ELSE r.output_tokens END) AS telemetry_tokens
  FROM telemetry_resource_daily r
  JOIN (VALUES ('input', true), ('cached_input', true), ('cache_write', true), ('output', true), ('prompt', false), ('output', false))
    k(token_type, split) ON k.split = r.cache_split
  WHERE r.resource_id IS NOT NULL AND r.model IS NOT NULL AND /*TEL_WHERE*/
  GROUP BY ALL
  HAVING telemetry_tokens <> 0
),
-- telemetry without the cache split reports "prompt" tokens: compare them with all billed input types
kinds AS (
  SELECT day, resource, model, bool_or(token_type = 'prompt') AND NOT bool_or(token_type IN ('input', 'cached_input', 'cache_write')) AS prompt_only
  FROM observed GROUP BY ALL
),
billed2 AS (
  SELECT b.day, b.resource, b.model,
    CASE WHEN k.prompt_only AND b.token_type IN ('input', 'cached_input', 'cache_write') THEN 'prompt' ELSE b.token_type END AS token_type,
    sum(b.billed_tokens) AS billed_tokens, sum(b.cost) AS cost, b.currency
  FROM billed b LEFT JOIN kinds k USING (day, resource, model)
  GROUP BY ALL
),
j AS (
  SELECT coalesce(b.day, o.day) AS day, coalesce(b.resource, o.resource) AS resource, coalesce(b.model, o.model) AS model,
         coalesce(b.token_type, o.token_type) AS token_type, b.currency, b.cost,
         coalesce(b.billed_tokens, 0) AS billed_tokens, coalesce(o.telemetry_tokens, 0) AS telemetry_tokens
  FROM billed2 b FULL OUTER JOIN observed o
    ON b.day = o.day AND b.resource = o.resource AND b.model = o.model AND b.token_type = o.token_type
),
-- resources with telemetry but no billed tokens: billed in the period all the same, but never per token (a VM
-- serving a model of its own, billed by the hour) is not a billing defect, only not comparable
by_the_hour AS (
  SELECT lower(ResourceId) AS resource
  FROM charges
  WHERE /*WHERE*/ AND lower(ResourceId) IN (SELECT resource FROM observed)
  GROUP BY 1
  HAVING NOT bool_or(tl_token_type IS NOT NULL)
),
-- per day, flagged; the direction splits drift runs (a run of +8% days and one of -8% days are two findings)
daily AS (
  SELECT day, resource, model, token_type, currency, cost, billed_tokens, telemetry_tokens,
    CASE WHEN telemetry_tokens = 0 AND billed_tokens <> 0 THEN 'no-telemetry'
         WHEN billed_tokens = 0 AND telemetry_tokens <> 0 AND resource IN (SELECT resource FROM by_the_hour) THEN 'not-per-token'
         WHEN billed_tokens = 0 AND telemetry_tokens <> 0 THEN 'not-billed'
         WHEN abs(CAST(billed_tokens - telemetry_tokens AS DOUBLE)) > /*THRESHOLD*/ / 100 * CAST(telemetry_tokens AS DOUBLE) THEN 'drift'
         ELSE 'ok' END AS flag,
    sign(billed_tokens - telemetry_tokens) AS direction
  FROM j
),
-- consecutive days of the same resource, model, token type, currency, flag (and direction, for drift) are one run:
-- day minus its rank within that key is constant along a run (gaps and islands)
runs AS (
  SELECT *, day - CAST(row_number() OVER (PARTITION BY resource, model, token_type, currency, flag,
    CASE WHEN flag = 'drift' THEN direction END ORDER BY day) AS INTEGER) AS island
  FROM daily
),
summed AS (
  SELECT min(day) AS first_day, max(day) AS last_day, count(*) AS days, resource, model, token_type, flag,
    sum(billed_tokens) AS billed_tokens, sum(telemetry_tokens) AS telemetry_tokens, currency, sum(cost) AS cost
  FROM runs
  GROUP BY resource, model, token_type, currency, flag, CASE WHEN flag = 'drift' THEN direction END, island
)
SELECT
  strftime(first_day, '%Y-%m-%d') AS first_day, strftime(last_day, '%Y-%m-%d') AS last_day, days,
  regexp_extract(resource, '[^/]+$') AS resource_name, resource, model, token_type,
  billed_tokens, telemetry_tokens, billed_tokens - telemetry_tokens AS difference,
  CASE WHEN telemetry_tokens <> 0 THEN round(100 * CAST(billed_tokens - telemetry_tokens AS DOUBLE) / CAST(telemetry_tokens AS DOUBLE), 4) END AS drift_pct,
  currency, cost, flag
FROM summed
ORDER BY flag = 'ok', first_day, resource, model, token_type, currency NULLS FIRST, last_day, flag
