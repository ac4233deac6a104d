-- ptu-plan: the per-minute profile of request-level telemetry per deployment and model, in normalized tokens
-- (uncached input + the model's output ratio x output), with the deployment type the invoice bills that resource and
-- model on (prices.ts deploymentTypesSql), else Global Standard, assumed. Per group and level (p50 / p95 / p99 / max of
-- every minute of the window, idle minutes as 0): the rate, the PTUs it needs, and the minutes and normalized tokens
-- above that capacity; with the group's token sums for its pay-as-you-go cost. The minutes are those of the
-- telemetry_minute rollup (request-level records summed per minute at ingest).
WITH t AS (
  SELECT coalesce(deployment, regexp_extract(resource_id, '[^/]+$'), '(no deployment)') AS deployment, lower(resource_id) AS rid, model,
    minute, input_tokens, cached_input_tokens, output_tokens
  FROM telemetry_minute
  WHERE model IS NOT NULL AND /*WHERE*/
),
dt AS (SELECT * FROM /*DEPLOYMENT_TYPES*/),
facts AS (SELECT * FROM /*FACTS*/),
m AS (
  SELECT t.deployment, t.model, coalesce(dt.deployment_type, 'global-standard') AS deployment_type, dt.deployment_type IS NULL AS assumed,
    t.minute, sum(input_tokens - cached_input_tokens) AS uncached, sum(cached_input_tokens) AS cached, sum(output_tokens) AS output,
    CAST(sum(input_tokens - cached_input_tokens) AS DOUBLE) + f.ratio * CAST(sum(output_tokens) AS DOUBLE) AS n
  FROM t LEFT JOIN dt ON dt.rid = t.rid AND dt.model = t.model
  JOIN facts f ON f.model = t.model
  WHERE /*FILTER*/
  GROUP BY t.deployment, t.model, dt.deployment_type, t.minute, f.ratio
),
win AS (SELECT coalesce(CAST(/*WINDOW*/ AS BIGINT), date_diff('minute', min(minute), max(minute)) + 1) AS w FROM m),
stats AS (
  SELECT deployment, model, deployment_type, assumed, count(*) AS busy, CAST(sum(uncached) AS VARCHAR) AS uncached,
    CAST(sum(cached) AS VARCHAR) AS cached, CAST(sum(output) AS VARCHAR) AS output, sum(n) AS total, list_sort(list(n)) AS sorted
  FROM m GROUP BY ALL
),
-- nearest rank over every minute of the window: the idle minutes are the lowest ranks
levels AS (
  SELECT s.*, win.w AS window_minutes, l.level, l.k,
    CASE WHEN greatest(1, ceil(l.p * greatest(win.w, s.busy))) <= greatest(win.w, s.busy) - s.busy THEN 0
      ELSE s.sorted[CAST(greatest(1, ceil(l.p * greatest(win.w, s.busy))) - (greatest(win.w, s.busy) - s.busy) AS BIGINT)] END AS tpm
  FROM stats s, win, (VALUES ('p50', 0.5, 1), ('p95', 0.95, 2), ('p99', 0.99, 3), ('max', 1.0, 4)) AS l(level, p, k)
),
-- PTUs: the rate / input TPM per PTU rounded up, then up to the minimum and the increment of the deployment type
sized AS (
  SELECT v.*, f.per_ptu, CASE WHEN v.raw <= v.minimum THEN v.minimum
      ELSE v.minimum + CAST(ceil((v.raw - v.minimum) / v.increment) AS BIGINT) * v.increment END AS ptus
  FROM (
    SELECT l.*, CAST(ceil(l.tpm / f.per_ptu - 1e-9) AS BIGINT) AS raw,
      CASE WHEN l.deployment_type LIKE 'regional-%' THEN f.rmin ELSE f.gmin END AS minimum,
      CASE WHEN l.deployment_type LIKE 'regional-%' THEN f.rinc ELSE f.ginc END AS increment
    FROM levels l JOIN facts f USING (model)
  ) v JOIN facts f USING (model)
)
-- the minutes above the capacity, from the group's sorted minutes (not a join of every minute with every level)
SELECT z.deployment, z.model, z.deployment_type, z.assumed, z.busy, z.uncached, z.cached, z.output, z.total, z.window_minutes, z.level,
  z.k, z.tpm, z.ptus, CAST(z.ptus * z.per_ptu AS DOUBLE) AS capacity,
  len(list_filter(z.sorted, x -> x > z.ptus * z.per_ptu)) AS spill_minutes,
  coalesce(list_sum(list_transform(list_filter(z.sorted, x -> x > z.ptus * z.per_ptu), x -> x - z.ptus * z.per_ptu)), 0) AS spill_tokens
FROM sized z
ORDER BY z.deployment, z.model, z.deployment_type, z.k
