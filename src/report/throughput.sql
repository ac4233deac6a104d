-- throughput: per Azure OpenAI deployment (region x subscription x model x deployment type): the TPM / RPM
-- quota and what deployments hold of it, the measured per-minute peaks (p95, p99, max; nearest rank) of tokens
-- and requests, headroom, the share of minutes and requests throttled (429), PTU utilization, and a throttling
-- risk with its reasons and the actions they call for.
-- 1. Deployments and quota as of the period's end (latest snapshots).
WITH dep AS (
  SELECT subscription_id, region, account, deployment, arg_max(model_name, captured_at) AS model, arg_max(sku_name, captured_at) AS sku,
    arg_max(capacity, captured_at) AS capacity
  FROM ai_deployments WHERE /*ASOF*/ GROUP BY ALL
),
q AS (
  SELECT subscription_id, region, lower(model) AS model_key, lower(deployment_type) AS type_key,
    arg_max(limit_value, captured_at) FILTER (WHERE measure = 'tpm') AS tpm_quota,
    arg_max(limit_value, captured_at) FILTER (WHERE measure = 'rpm') AS rpm_quota
  FROM quota_snapshots WHERE provider = 'openai' AND model IS NOT NULL AND /*ASOF*/ GROUP BY ALL
),
-- provisioned quota is a pool of PTUs per deployment type (no model in its name)
pool AS (
  SELECT subscription_id, region, lower(deployment_type) AS type_key, arg_max(limit_value, captured_at) AS ptu_quota
  FROM quota_snapshots WHERE provider = 'openai' AND measure = 'ptu' AND model IS NULL AND /*ASOF*/ GROUP BY ALL
),
held AS (SELECT subscription_id, region, lower(model) AS model_key, lower(sku) AS type_key, sum(capacity) * 1000 AS held_tpm FROM dep
  WHERE sku NOT ILIKE '%provisioned%' GROUP BY ALL),
held_ptu AS (SELECT subscription_id, region, lower(sku) AS type_key, sum(capacity) AS held_ptu FROM dep WHERE sku ILIKE '%provisioned%'
  GROUP BY ALL),
-- 2. Minutes: Azure Monitor minute metrics (requests by status code, tokens, PTU utilization) and request-level telemetry.
mm AS (
  SELECT resource AS account, deployment, date_trunc('minute', ts) AS minute,
    sum(value) FILTER (WHERE metric = 'requests') AS requests, sum(value) FILTER (WHERE metric = 'requests' AND status_code = '429') AS throttled,
    coalesce(sum(value) FILTER (WHERE metric = 'tokens'), sum(value) FILTER (WHERE metric IN ('prompt_tokens', 'completion_tokens'))) AS tokens,
    avg(value) FILTER (WHERE metric = 'ptu_utilization') AS ptu_util
  FROM minute_metrics WHERE /*MINUTES*/ GROUP BY ALL
),
-- request-level telemetry from its minute rollup (telemetry_minute: throttled = requests answered 429, NULL when none)
tm AS (
  SELECT regexp_extract(resource_id, '/accounts/([^/]+)', 1) AS account, deployment, minute,
    sum(input_tokens + output_tokens) AS tokens, sum(requests) AS requests, sum(throttled) AS throttled
  FROM telemetry_minute WHERE deployment IS NOT NULL AND /*TELEMETRY*/ GROUP BY ALL
),
minutes AS (
  SELECT coalesce(mm.account, tm.account) AS account, coalesce(mm.deployment, tm.deployment) AS deployment,
    coalesce(mm.tokens, tm.tokens) AS tokens, coalesce(mm.requests, tm.requests) AS requests,
    coalesce(mm.throttled, tm.throttled, 0) AS throttled, mm.ptu_util
  FROM mm FULL JOIN tm ON mm.account = tm.account AND mm.deployment = tm.deployment AND mm.minute = tm.minute
),
peaks AS (
  SELECT account, deployment, count(*) AS minutes,
    quantile_disc(tokens, 0.95) AS tpm_p95, quantile_disc(tokens, 0.99) AS tpm_p99, max(tokens) AS tpm_max,
    quantile_disc(requests, 0.95) AS rpm_p95, quantile_disc(requests, 0.99) AS rpm_p99, max(requests) AS rpm_max,
    sum(requests) AS requests, sum(throttled) AS throttled, count(*) FILTER (WHERE throttled > 0) AS throttled_minutes,
    avg(ptu_util) AS ptu_avg, max(ptu_util) AS ptu_max
  FROM minutes GROUP BY ALL
),
-- 3. Per deployment: capacity in TPM (standard types: 1 unit = 1,000 TPM; provisioned: PTUs), headroom, shares.
j AS (
  SELECT d.*, d.sku ILIKE '%provisioned%' AS provisioned,
    CASE WHEN d.sku NOT ILIKE '%provisioned%' THEN d.capacity * 1000 END AS deployment_tpm,
    CASE WHEN d.sku NOT ILIKE '%provisioned%' AND d.sku NOT ILIKE '%batch%' THEN d.capacity * 6 END AS rpm_estimate,
    q.tpm_quota, q.rpm_quota, h.held_tpm, pl.ptu_quota, hp.held_ptu, p.minutes, p.tpm_p95, p.tpm_p99, p.tpm_max, p.rpm_p95, p.rpm_p99, p.rpm_max, p.requests, p.throttled,
    p.throttled_minutes, round(p.ptu_avg, 2) AS ptu_avg, round(p.ptu_max, 2) AS ptu_max,
    round(100 * CAST(p.throttled AS DOUBLE) / nullif(CAST(p.requests AS DOUBLE), 0), 2) AS throttled_pct,
    round(100 * CAST(p.throttled_minutes AS DOUBLE) / nullif(p.minutes, 0), 2) AS throttled_minutes_pct,
    coalesce(round(100 * CAST(h.held_tpm AS DOUBLE) / nullif(CAST(q.tpm_quota AS DOUBLE), 0), 2),
      round(100 * CAST(hp.held_ptu AS DOUBLE) / nullif(CAST(pl.ptu_quota AS DOUBLE), 0), 2)) AS quota_held_pct
  FROM dep d
  LEFT JOIN q ON q.subscription_id IS NOT DISTINCT FROM d.subscription_id AND q.region IS NOT DISTINCT FROM d.region
    AND q.model_key = lower(d.model) AND q.type_key = lower(d.sku)
  LEFT JOIN held h ON h.subscription_id IS NOT DISTINCT FROM d.subscription_id AND h.region IS NOT DISTINCT FROM d.region
    AND h.model_key = lower(d.model) AND h.type_key = lower(d.sku)
  LEFT JOIN pool pl ON d.sku ILIKE '%provisioned%' AND pl.subscription_id IS NOT DISTINCT FROM d.subscription_id
    AND pl.region IS NOT DISTINCT FROM d.region AND pl.type_key = lower(d.sku)
  LEFT JOIN held_ptu hp ON d.sku ILIKE '%provisioned%' AND hp.subscription_id IS NOT DISTINCT FROM d.subscription_id
    AND hp.region IS NOT DISTINCT FROM d.region AND hp.type_key = lower(d.sku)
  LEFT JOIN peaks p ON p.account IS NOT DISTINCT FROM d.account AND p.deployment = d.deployment
),
r AS (
  SELECT *, deployment_tpm - tpm_p99 AS headroom_tpm, round(100 * CAST(tpm_p99 AS DOUBLE) / nullif(CAST(deployment_tpm AS DOUBLE), 0), 2) AS p99_pct,
    quota_held_pct >= 90 AS near_quota,
    tpm_p99 >= 0.8 * deployment_tpm AS near_capacity,
    throttled > 0 AND tpm_max < 0.9 * deployment_tpm AS inflated,
    throttled > 0 AND rpm_max < rpm_estimate AND rpm_max >= 0.5 * rpm_estimate AS bursts
  FROM j
)
-- 4. The rating, its reasons and the actions they name.
SELECT coalesce(region, '(unknown)') AS region, coalesce(subscription_id, '(unknown)') AS subscription, account, deployment, model,
  sku AS deployment_type, capacity, tpm_quota, rpm_quota, held_tpm, ptu_quota, held_ptu, quota_held_pct, deployment_tpm, minutes, tpm_p95, tpm_p99, tpm_max,
  rpm_p95, rpm_p99, rpm_max, headroom_tpm, requests, throttled, throttled_pct, throttled_minutes_pct, ptu_avg, ptu_max,
  CASE WHEN minutes IS NULL THEN 'unknown'
       WHEN throttled_pct >= 1 OR tpm_max >= deployment_tpm OR ptu_max >= 100 THEN 'high'
       WHEN near_capacity OR near_quota OR throttled > 0 OR ptu_max >= 80 THEN 'medium' ELSE 'low' END AS risk,
  concat_ws('; ',
    CASE WHEN minutes IS NULL THEN 'no minute metrics or request telemetry for the deployment' END,
    CASE WHEN near_quota THEN 'near quota: deployments hold ' || quota_held_pct || '% of the ' || CASE WHEN provisioned THEN 'PTU' ELSE 'TPM' END
      || ' quota' END,
    CASE WHEN near_capacity THEN 'near deployment capacity: p99 minute at ' || p99_pct || '% of its TPM' END,
    CASE WHEN throttled > 0 THEN '429s: ' || throttled_pct || '% of requests, ' || throttled_minutes_pct || '% of minutes' END,
    CASE WHEN inflated THEN 'throttled below the capacity in billed tokens: estimated tokens per request inflated by max_tokens' END,
    CASE WHEN bursts THEN 'bursts above the 10-second RPM window (peak minute ' || CAST(CAST(rpm_max AS BIGINT) AS VARCHAR) || ' of about '
      || CAST(CAST(rpm_estimate AS BIGINT) AS VARCHAR) || ' RPM)' END,
    CASE WHEN ptu_max >= 80 THEN 'PTU utilization up to ' || ptu_max || '%' END) AS reason,
  concat_ws('; ',
    CASE WHEN near_quota THEN 'raise quota' END,
    CASE WHEN near_capacity OR tpm_max >= deployment_tpm OR ptu_max >= 100
      THEN CASE WHEN coalesce(tpm_quota - held_tpm, 0) > 0 THEN 'add capacity to the deployment' ELSE 'add a second region' END END,
    CASE WHEN throttled > 0 THEN 'move offline work to Batch' END,
    CASE WHEN throttled > 0 OR bursts OR ptu_max >= 80 THEN 'add spillover' END,
    CASE WHEN inflated THEN 'lower max_tokens to what responses use' END) AS actions
FROM r
ORDER BY CASE risk WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, region, subscription, account, deployment
