-- ptu-plan: the per-minute profile of request-level telemetry per deployment and model: input (with cached
-- inside), cached and output tokens per minute with traffic, and the deployment type the invoice bills that
-- resource and model on (the most tokens; provisioned and unknown left out), else Global Standard, assumed.
WITH t AS (
  SELECT coalesce(deployment, regexp_extract(resource_id, '[^/]+$'), '(no deployment)') AS deployment, lower(resource_id) AS rid, model,
    date_trunc('minute', ts) AS minute, input_tokens, cached_input_tokens, output_tokens
  FROM telemetry
  WHERE grain = 'request' AND model IS NOT NULL AND /*WHERE*/
),
billed AS (
  SELECT lower(ResourceId) AS rid, tl_model AS model, coalesce(tl_scope, 'unknown') || '-' || tl_tier AS deployment_type, sum(tl_tokens) AS tokens
  FROM charges
  WHERE tl_token_type IS NOT NULL AND tl_tier IN ('standard', 'batch') AND tl_scope IS NOT NULL
  GROUP BY ALL
),
dt AS (SELECT rid, model, arg_max(deployment_type, tokens) AS deployment_type FROM billed GROUP BY ALL)
SELECT t.deployment, t.model, coalesce(dt.deployment_type, 'global-standard') AS deployment_type, dt.deployment_type IS NULL AS assumed,
  CAST(t.minute AS VARCHAR) AS minute,
  CAST(sum(input_tokens) AS DOUBLE) AS input, CAST(sum(cached_input_tokens) AS DOUBLE) AS cached, CAST(sum(output_tokens) AS DOUBLE) AS output
FROM t LEFT JOIN dt ON dt.rid = t.rid AND dt.model = t.model
WHERE /*FILTER*/
GROUP BY ALL
ORDER BY t.deployment, t.model, deployment_type, minute
