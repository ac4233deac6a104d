-- ptu-plan: the per-minute profile of request-level telemetry per deployment and model, in normalized tokens
-- (uncached input + the model's output ratio x output), with the deployment type the invoice bills that resource and
-- model on (the most tokens; provisioned left out), else Global Standard, assumed. /*RESULT*/ is either the profile's
-- statistics per group (minutes with traffic, sums, the nearest-rank p50/p95/p99/max over every minute of the window,
-- idle minutes counting as 0) or, given capacities per group, the minutes and normalized tokens above each.
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
dt AS (SELECT rid, model, arg_max(deployment_type, tokens) AS deployment_type FROM billed GROUP BY ALL),
ratios AS (SELECT * FROM /*RATIOS*/),
m AS (
  SELECT t.deployment, t.model, coalesce(dt.deployment_type, 'global-standard') AS deployment_type, dt.deployment_type IS NULL AS assumed,
    t.minute, sum(input_tokens - cached_input_tokens) AS uncached, sum(cached_input_tokens) AS cached, sum(output_tokens) AS output,
    CAST(sum(input_tokens - cached_input_tokens) AS DOUBLE) + r.ratio * CAST(sum(output_tokens) AS DOUBLE) AS n
  FROM t LEFT JOIN dt ON dt.rid = t.rid AND dt.model = t.model
  JOIN ratios r ON r.model = t.model
  WHERE /*FILTER*/
  GROUP BY t.deployment, t.model, dt.deployment_type, t.minute, r.ratio
),
win AS (SELECT coalesce(CAST(/*WINDOW*/ AS BIGINT), date_diff('minute', min(minute), max(minute)) + 1) AS w FROM m),
stats AS (
  SELECT deployment, model, deployment_type, assumed, count(*) AS busy, CAST(sum(uncached) AS VARCHAR) AS uncached,
    CAST(sum(cached) AS VARCHAR) AS cached, CAST(sum(output) AS VARCHAR) AS output, sum(n) AS total, list_sort(list(n)) AS sorted
  FROM m GROUP BY ALL
),
profile AS (
  SELECT s.* EXCLUDE (sorted), win.w AS window_minutes,
    list_transform([0.5, 0.95, 0.99, 1.0], p -> CASE WHEN greatest(1, ceil(p * greatest(win.w, s.busy))) <= greatest(win.w, s.busy) - s.busy THEN 0
      ELSE s.sorted[CAST(greatest(1, ceil(p * greatest(win.w, s.busy))) - (greatest(win.w, s.busy) - s.busy) AS BIGINT)] END) AS levels
  FROM stats s, win
),
spill AS (
  SELECT c.deployment, c.model, c.deployment_type, c.capacity, count(*) FILTER (WHERE m.n > c.capacity) AS spill_minutes,
    coalesce(sum(m.n - c.capacity) FILTER (WHERE m.n > c.capacity), 0) AS spill_tokens
  FROM /*CAPACITIES*/ c JOIN m USING (deployment, model, deployment_type)
  GROUP BY ALL
)
SELECT * FROM /*RESULT*/
