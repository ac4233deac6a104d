-- gpu: self-hosted inference. A GPU VM serves telemetry-tagged traffic when telemetry records of the period name it
-- as their resource (its resource ID, or a deployment the tokenledger.yaml telemetry mapping maps to it). Pools are
-- the VMs' `gpu-pool` tag, else each VM on its own. Per pool: the GPU VM cost of the period (the same usage rows
-- as report gpu), the models and tokens served (input, cached input included, + output) and the requests.
-- meter_sizes: the GPU VM size of each hourly meter (allocate/vm-sizes.ts gpuMeterSizes)
WITH meter_sizes AS /*METER_SIZES*/,
vms AS (
  SELECT lower(c.ResourceId) AS rid, c.BillingCurrency AS currency, any_value(c.ResourceName) AS resource,
    coalesce(any_value(nullif(trim(json_extract_string(c.Tags, '$."gpu-pool"')), '')), any_value(c.ResourceName)) AS pool,
    sum(c./*COST*/) AS cost
  FROM charges c
  JOIN meter_sizes s ON s.meter_key = c.tl_meter_key
  WHERE c.ChargeCategory = 'Usage' AND /*INPERIOD*/
    AND coalesce(c.ResourceId, '') NOT ILIKE '%/capacityReservationGroups/%' AND c.ResourceId IS NOT NULL
  GROUP BY lower(c.ResourceId), c.BillingCurrency
),
-- the telemetry of the period per resource and model, from its daily rollup (telemetry_resource_daily: the records' sums)
served AS (
  SELECT lower(resource_id) AS rid, model, sum(input_tokens + output_tokens) AS tokens, sum(requests) AS requests
  FROM telemetry_resource_daily WHERE resource_id IS NOT NULL AND /*TEL_PERIOD*/
  GROUP BY ALL
),
-- a pool that served anything counts all its VMs (an idle replica is part of what serving costs)
pools AS (SELECT DISTINCT pool FROM vms WHERE rid IN (SELECT rid FROM served)),
per_pool AS (
  SELECT w.pool, string_agg(DISTINCT s.model, ', ' ORDER BY s.model) AS models, sum(s.tokens) AS tokens, sum(s.requests) AS requests
  FROM served s JOIN (SELECT DISTINCT rid, pool FROM vms) w USING (rid) GROUP BY w.pool
)
SELECT v.pool, v.currency, string_agg(DISTINCT v.resource, ', ' ORDER BY v.resource) AS vms, any_value(p.models) AS models,
  sum(v.cost) AS cost, CAST(any_value(p.tokens) AS BIGINT) AS tokens, CAST(any_value(p.requests) AS BIGINT) AS requests
FROM vms v JOIN per_pool p USING (pool)
WHERE v.pool IN (SELECT pool FROM pools)
GROUP BY v.pool, v.currency
ORDER BY v.pool, v.currency
