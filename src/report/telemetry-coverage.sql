-- telemetry-coverage: the share of AI token spend that telemetry explains, per model and currency, and the
-- days with billed tokens but no telemetry at any allocation level. Read from the allocation's daily rollup
-- (alloc_daily: a token share's model is its charge's); /*METHOD*/ names each share's method.
WITH t AS (
  SELECT a.currency, a.model, a./*COST*/ AS allocated_cost, /*METHOD*/ AS method, a.day
  FROM alloc_daily a
  WHERE a.kind = 'token' AND /*WHERE*/
)
SELECT currency, model,
  sum(allocated_cost) AS token_cost,
  coalesce(sum(allocated_cost) FILTER (WHERE method LIKE 'telemetry%'), 0) AS explained_cost,
  coalesce(sum(allocated_cost) FILTER (WHERE method = 'none'), 0) AS unexplained_cost,
  round(100 * CAST(coalesce(sum(allocated_cost) FILTER (WHERE method LIKE 'telemetry%'), 0) AS DOUBLE) / nullif(CAST(sum(allocated_cost) AS DOUBLE), 0), 4) AS coverage_pct,
  count(DISTINCT day) FILTER (WHERE method = 'none') AS days_without_telemetry,
  string_agg(DISTINCT strftime(day, '%Y-%m-%d'), ', ' ORDER BY strftime(day, '%Y-%m-%d')) FILTER (WHERE method = 'none') AS missing_days
FROM t
GROUP BY ALL
ORDER BY currency, coverage_pct, token_cost DESC
