-- token-kpis: per feature or model, from request-level telemetry: requests, prompt tokens per request at
-- p50/p95/p99 (nearest rank, quantile_disc), output tokens per request, cached share of prompt tokens,
-- cost per 1,000 requests (allocated token cost / requests), and the week-over-week change of prompt p95
-- (context-window creep). Aggregate-only telemetry has no per-request distribution and is left out.
WITH r AS (
  SELECT coalesce(/*KEY*/, '__unallocated__') AS key, ts, input_tokens, cached_input_tokens, output_tokens, reasoning_tokens, requests,
         date_trunc('week', ts) AS week
  FROM telemetry
  WHERE grain = 'request' AND /*TEL_WHERE*/
),
weeks AS (
  SELECT key, week, quantile_disc(input_tokens, 0.95) AS p95, row_number() OVER (PARTITION BY key ORDER BY week DESC) AS rn
  FROM r GROUP BY key, week
),
wow AS (
  SELECT key,
    max(p95) FILTER (WHERE rn = 1) AS prompt_p95_last_week,
    max(p95) FILTER (WHERE rn = 2) AS prompt_p95_week_before
  FROM weeks GROUP BY key
),
cost AS (/*COST_BY_KEY*/),
k AS (
  SELECT key,
    sum(requests) AS requests,
    quantile_disc(input_tokens, 0.50) AS prompt_p50,
    quantile_disc(input_tokens, 0.95) AS prompt_p95,
    quantile_disc(input_tokens, 0.99) AS prompt_p99,
    quantile_disc(output_tokens, 0.50) AS output_p50,
    quantile_disc(output_tokens, 0.95) AS output_p95,
    round(avg(output_tokens), 2) AS output_per_request,
    round(100 * CAST(sum(cached_input_tokens) AS DOUBLE) / nullif(CAST(sum(input_tokens) AS DOUBLE), 0), 4) AS cached_share_pct,
    round(100 * CAST(sum(reasoning_tokens) AS DOUBLE) / nullif(CAST(sum(output_tokens) AS DOUBLE), 0), 4) AS reasoning_share_pct
  FROM r GROUP BY key
)
SELECT k.*, c.currency, c.cost AS token_cost,
  CASE WHEN k.requests > 0 THEN round(CAST(c.cost AS DOUBLE) * 1000 / k.requests, 6) END AS cost_per_1k_requests,
  w.prompt_p95_last_week, w.prompt_p95_week_before,
  CASE WHEN w.prompt_p95_week_before > 0 THEN round(100 * (w.prompt_p95_last_week - w.prompt_p95_week_before) / w.prompt_p95_week_before, 2) END AS prompt_p95_wow_pct
FROM k LEFT JOIN wow w USING (key) LEFT JOIN cost c USING (key)
ORDER BY k.requests DESC, k.key
