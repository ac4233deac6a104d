-- quota: per subscription x region x family (GPU families first) as of the period's end: limit, used, headroom,
-- percent used, the regional total-cores limit beside it, the Quota Group allocation, and the capacity side:
-- reservations held (instances and vCPUs, through the VM size facts) and, for Azure OpenAI, the region's
-- available model capacity. Quota is not capacity: `signal` says where the two disagree.
-- 1. The latest usage and the latest limit of each name (a Microsoft.Quota usages file and its limits file
--    are two snapshots of one family); compute usages and Microsoft.Quota describe the same families.
WITH sizes AS /*SIZES*/,
snap AS (
  SELECT CASE provider WHEN 'openai' THEN 'openai' ELSE 'compute' END AS kind, * FROM quota_snapshots WHERE /*ASOF*/
),
q AS (
  SELECT kind, subscription_id, region, name_key,
    coalesce(arg_max(display_name, captured_at) FILTER (WHERE display_name IS NOT NULL), arg_max(name, captured_at)) AS family, arg_max(measure, captured_at) AS measure,
    arg_max(deployment_type, captured_at) AS deployment_type, arg_max(model, captured_at) AS model, arg_max(unit, captured_at) AS unit,
    arg_max(current_value, captured_at) FILTER (WHERE current_value IS NOT NULL) AS used,
    arg_max(limit_value, captured_at) FILTER (WHERE limit_value IS NOT NULL) AS lim,
    max(captured_at) AS captured_at
  FROM snap GROUP BY ALL
),
-- 2. The regional total (compute usages name it `cores`).
regional AS (SELECT subscription_id, region, lim AS regional_limit, lim - used AS regional_headroom FROM q
  WHERE kind = 'compute' AND name_key = 'cores'),
-- 3. Quota Groups: the latest allocation of each group to each subscription.
grp AS (
  SELECT subscription_id, region, name_key, arg_max(group_name, captured_at) AS quota_group,
    arg_max(quota_allocated, captured_at) AS group_allocated, arg_max(available_limit, captured_at) AS group_available
  FROM quota_group_limits WHERE /*ASOF*/ GROUP BY ALL
),
-- 4. Reservations held: each reservation's latest snapshot, in instances and in vCPUs of its family.
res AS (
  SELECT subscription_id, region, s.family_key, sum(r.reserved) AS reserved_instances, sum(r.reserved * s.vcpus) AS reserved_vcpus
  FROM (SELECT subscription_id, region, group_name, name, arg_max(sku_key, captured_at) AS sku_key, arg_max(reserved, captured_at) AS reserved
        FROM capacity_reservations WHERE /*ASOF*/ GROUP BY ALL) r
  JOIN sizes s ON s.size_key = r.sku_key GROUP BY ALL
),
-- 5. Azure OpenAI capacity the region has for a model and deployment type (units of 1,000 TPM).
cap AS (
  SELECT region, lower(model_name) AS model, lower(sku_name) AS sku, max(available_capacity) AS available
  FROM (SELECT region, model_name, model_version, sku_name, arg_max(available_capacity, captured_at) AS available_capacity
        FROM ai_model_capacity WHERE /*ASOF*/ GROUP BY ALL) GROUP BY ALL
),
j AS (
  SELECT q.*, q.lim - q.used AS headroom,
    CASE WHEN q.lim > 0 THEN round(100 * CAST(q.used AS DOUBLE) / CAST(q.lim AS DOUBLE), 2) END AS pct_used,
    q.kind = 'compute' AND q.name_key IN (SELECT family_key FROM sizes WHERE gpus > 0) AS is_gpu,
    rg.regional_limit, rg.regional_headroom, g.quota_group, g.group_allocated, g.group_available,
    r.reserved_instances, r.reserved_vcpus,
    CASE WHEN q.kind = 'openai' AND q.measure = 'tpm' THEN c.available * 1000 END AS model_available
  FROM q
  LEFT JOIN regional rg ON q.kind = 'compute' AND q.name_key <> 'cores' AND rg.subscription_id IS NOT DISTINCT FROM q.subscription_id
    AND rg.region IS NOT DISTINCT FROM q.region
  LEFT JOIN grp g ON q.kind = 'compute' AND g.subscription_id IS NOT DISTINCT FROM q.subscription_id
    AND g.region IS NOT DISTINCT FROM q.region AND g.name_key = q.name_key
  LEFT JOIN res r ON q.kind = 'compute' AND r.subscription_id IS NOT DISTINCT FROM q.subscription_id
    AND r.region IS NOT DISTINCT FROM q.region AND r.family_key = q.name_key
  LEFT JOIN cap c ON q.kind = 'openai' AND c.region IS NOT DISTINCT FROM q.region AND c.model = lower(q.model) AND c.sku = lower(q.deployment_type)
)
-- 6. What a reader should notice, the most pressing first.
SELECT * EXCLUDE (tl_rank) FROM (
SELECT CASE WHEN is_gpu THEN 0 WHEN kind = 'openai' THEN 1 ELSE 2 END AS tl_rank,
  coalesce(subscription_id, '(unknown)') AS subscription, coalesce(region, '(unknown)') AS region,
  CASE WHEN kind = 'openai' THEN 'Azure OpenAI' WHEN is_gpu THEN 'GPU VMs' ELSE 'VMs' END AS kind, family, measure,
  lim AS "limit", used, headroom, pct_used, regional_limit, regional_headroom, quota_group, group_allocated, group_available,
  reserved_instances, reserved_vcpus, model_available,
  concat_ws('; ',
    CASE WHEN subscription_id IS NULL OR region IS NULL THEN 'subscription or region unknown (not in the file; --subscription / --region)' END,
    CASE WHEN headroom <= 0 THEN 'at the limit' WHEN pct_used >= 90 THEN 'near the limit' END,
    CASE WHEN kind = 'openai' AND headroom > 0 AND model_available = 0 THEN 'quota headroom but no capacity in the region' END,
    CASE WHEN reserved_vcpus > coalesce(lim, 0) THEN 'capacity reserved but no quota for it' END,
    CASE WHEN is_gpu AND headroom > 0 AND regional_headroom < headroom THEN 'the regional vCPU total binds first' END,
    CASE WHEN quota_group IS NOT NULL AND group_available > 0 AND headroom <= 0 THEN 'the Quota Group has ' || CAST(CAST(group_available AS BIGINT) AS VARCHAR) || ' to allocate' END
  ) AS signal,
  strftime(captured_at, '%Y-%m-%d %H:%M') AS captured_at
FROM j
WHERE NOT (kind = 'compute' AND name_key = 'cores')
) ORDER BY tl_rank, pct_used DESC NULLS LAST, subscription, region, family
