-- allocation: cost per key (feature, team, environment, cost center, or any resource tag) per currency,
-- with the __unallocated__ line, tokens, and how the cost was allocated. Share is of the currency's gross
-- cost (allocation rows with a positive cost), so shares stay between 0 and 100 % when credits, refunds or
-- other negative rows are present; those are in cost (net) and in negative_cost.
WITH a AS (/*ALLOCATION*/),
k AS (
  SELECT currency, coalesce(/*KEY*/, '__unallocated__') AS key, allocated_cost, allocated_tokens, kind,
    CASE WHEN /*KEY*/ IS NOT NULL THEN /*METHOD*/
         WHEN /*TAG_MODE*/ THEN 'no ' || /*DIM*/ || ' tag'
         WHEN reason IS NOT NULL THEN reason
         WHEN kind = 'token' THEN 'telemetry without ' || /*DIM*/
         ELSE 'no ' || /*DIM*/ || ' tag' END AS basis
  FROM a
)
SELECT
  currency, key,
  sum(allocated_cost) AS cost,
  round(100 * CAST(coalesce(sum(allocated_cost) FILTER (WHERE allocated_cost > 0), 0) AS DOUBLE)
    / nullif(CAST(sum(sum(allocated_cost) FILTER (WHERE allocated_cost > 0)) OVER (PARTITION BY currency) AS DOUBLE), 0), 4) AS share_pct,
  coalesce(sum(allocated_cost) FILTER (WHERE allocated_cost > 0), 0) AS gross_cost,
  coalesce(sum(allocated_cost) FILTER (WHERE allocated_cost < 0), 0) AS negative_cost,
  sum(allocated_cost) FILTER (WHERE kind = 'token') AS token_cost,
  sum(allocated_cost) FILTER (WHERE kind = 'other') AS other_cost,
  round(sum(allocated_tokens)) AS tokens,
  string_agg(DISTINCT basis, '; ' ORDER BY basis) AS basis
FROM k
GROUP BY currency, key
ORDER BY currency, key = '__unallocated__', sum(allocated_cost) DESC, key
