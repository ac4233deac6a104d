-- gpu: self-hosted inference. A GPU VM serves telemetry-tagged traffic when telemetry records of the period name it
-- as their resource (its resource ID, or a deployment the tokenledger.yaml telemetry mapping maps to it). Pools are
-- the VMs' `gpu-pool` tag, else each VM on its own. Per pool: the GPU VM cost of the period (the same usage rows
-- as report gpu), the models and tokens served (input, cached input included, + output) and the requests.
WITH sizes AS /*SIZES*/,
vms AS (
  SELECT lower(c.ResourceId) AS rid, c.BillingCurrency AS currency, any_value(c.ResourceName) AS resource,
    coalesce(any_value(nullif(trim(json_extract_string(c.Tags, '$."gpu-pool"')), '')), any_value(c.ResourceName)) AS pool,
    sum(c./*COST*/) AS cost
  FROM charges c
  JOIN sizes s ON s.gpus > 0
    AND s.size_key = lower(regexp_replace(regexp_replace(coalesce(c.x_SkuMeterName, c.SkuMeter, ''), '^standard[_ ]', '', 'i'), '[\s_-]+', '', 'g'))
  WHERE c.ChargeCategory = 'Usage' AND lower(coalesce(c.ConsumedUnit, c.PricingUnit, '')) LIKE '%hour%' AND /*INPERIOD*/
    AND coalesce(c.ResourceId, '') NOT ILIKE '%/capacityReservationGroups/%' AND c.ResourceId IS NOT NULL
  GROUP BY lower(c.ResourceId), c.BillingCurrency
),
served AS (
  SELECT lower(resource_id) AS rid, model, sum(input_tokens + output_tokens) AS tokens, sum(requests) AS requests
  FROM telemetry WHERE resource_id IS NOT NULL AND /*TEL_PERIOD*/
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
