-- savings: the month's inputs, three result sets told apart by `part`.
-- usage: each feature's allocated token charges per model, token type and deployment type (scope-tier) of the charge;
-- telemetry: per feature and model, prompt tokens of requests of at least 1,024 tokens (an aggregate row counts when its
--   average request does), cached tokens among them, output tokens and requests (the daily rollup telemetry_daily);
-- ptu: PTU-hour charges per resource, with the normalized-token inputs of the telemetry that reaches that resource.
-- (usage summed per scope and tier first, then named: the deployment type's text is made for a few hundred sums, not per share)
WITH usage0 AS (
  SELECT a.feature, a.model, a.token_type, c.tl_scope, c.tl_tier, a.currency, sum(a.allocated_tokens) AS tokens, sum(a.allocated_cost) AS cost
  FROM (/*ALLOC*/) a
  JOIN charges c ON c.tl_ingestion_id = a.tl_ingestion_id AND c.tl_source_part = a.tl_source_part AND c.tl_source_row = a.tl_source_row
  WHERE a.kind = 'token' AND a.feature IS NOT NULL AND a.token_type IN ('input', 'cached_input', 'output') AND c.tl_tier IN ('standard', 'batch')
    -- the charges of the allocation's days only (an allocation row's day is its charge's): the join's build side is the
    -- period's charges, not the year's (a year store: 150 ms less)
    AND /*CHARGE_DAY_WHERE*/
  GROUP BY ALL
),
usage AS (
  SELECT feature, model, token_type, coalesce(tl_scope, 'unknown') || '-' || tl_tier AS deployment, currency, sum(tokens) AS tokens,
    sum(cost) AS cost
  FROM usage0 GROUP BY ALL
)
SELECT 'usage' AS part, feature, model, token_type, deployment, currency, CAST(tokens AS DOUBLE) AS tokens, CAST(cost AS VARCHAR) AS cost,
  NULL::BOOLEAN AS request_level, NULL::DOUBLE AS requests, NULL::DOUBLE AS prompt, NULL::DOUBLE AS eligible, NULL::DOUBLE AS eligible_cached,
  NULL::DOUBLE AS output, NULL::VARCHAR AS resource, NULL::DOUBLE AS hours
FROM usage
UNION ALL
SELECT 'telemetry', feature, model, NULL, NULL, NULL, NULL, NULL, bool_and(grain = 'request'), CAST(sum(requests) AS DOUBLE),
  CAST(sum(input_tokens) AS DOUBLE), CAST(sum(eligible_input_tokens) AS DOUBLE), CAST(sum(eligible_cached_tokens) AS DOUBLE),
  CAST(sum(output_tokens) AS DOUBLE), NULL, NULL
FROM telemetry_daily
WHERE feature IS NOT NULL AND model IS NOT NULL AND /*TEL_WHERE*/
GROUP BY ALL
UNION ALL
SELECT 'ptu', NULL, t.model, NULL, coalesce(p.tl_scope, 'global') || '-provisioned', p.currency, CAST(t.normalized_in AS DOUBLE), p.cost, NULL,
  NULL, CAST(t.uncached AS DOUBLE), NULL, NULL, CAST(t.output AS DOUBLE), p.resource, p.hours
FROM (
  SELECT lower(ResourceId) AS rid, coalesce(ResourceName, regexp_extract(ResourceId, '[^/]+$')) AS resource, tl_scope, BillingCurrency AS currency,
    CAST(sum(ConsumedQuantity) AS DOUBLE) AS hours, CAST(sum(/*COST*/) AS VARCHAR) AS cost
  FROM charges
  WHERE tl_tier = 'provisioned' AND tl_token_type IS NULL AND ChargeCategory = 'Usage' AND /*CHARGE_WHERE*/
  GROUP BY ALL
) p
LEFT JOIN (
  SELECT lower(resource_id) AS rid, model, sum(input_tokens - cached_input_tokens) AS uncached, sum(output_tokens) AS output, 0 AS normalized_in
  FROM telemetry_resource_daily WHERE resource_id IS NOT NULL AND /*TEL_WHERE*/ GROUP BY ALL
) t USING (rid)
ORDER BY part, feature NULLS LAST, model, token_type, deployment
