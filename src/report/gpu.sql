-- gpu: per GPU VM over the period: GPU-hours paid (billing usage hours x GPUs per size, VM size facts), the
-- utilization its DCGM / nvidia-smi samples measured, and its cost split by what each GPU-hour was:
--   busy         a job (pod) held the GPU and the engine was active at or above THRESHOLD
--   held_idle    a job held the GPU at engine activity below THRESHOLD (OpenCost counts this as used)
--   unallocated  the VM was billed and nothing was scheduled on the GPU (no pod label)
--   unmeasured   billed GPU-hours without a sample
-- 1. GPU VM usage per VM and day, from the billing rows (the meter name is the VM size).
-- meter_sizes: the GPU VM size of each hourly meter (allocate/vm-sizes.ts gpuMeterSizes)
WITH meter_sizes AS /*METER_SIZES*/,
pools AS (
  SELECT lower(coalesce(c.ResourceName, regexp_extract(c.ResourceId, '[^/]+$'))) AS host, CAST(c.ChargePeriodStart AS DATE) AS day,
    any_value(c.ResourceName) AS resource, any_value(s.size) AS size, any_value(s.gpus) AS gpus, any_value(s.gpu_model) AS gpu_model,
    c.BillingCurrency AS currency, sum(c.ConsumedQuantity) AS hours, sum(c.ConsumedQuantity) * any_value(s.gpus) AS gpu_hours,
    sum(c./*COST*/) AS cost
  FROM charges c
  JOIN meter_sizes s ON s.meter_key = c.tl_meter_key
  WHERE c.ChargeCategory = 'Usage' AND /*INPERIOD*/
    -- a capacity reservation's own charges (its empty slots) are the reserved-unused part, priced per reservation
    AND coalesce(c.ResourceId, '') NOT ILIKE '%/capacityReservationGroups/%'
  GROUP BY 1, 2, c.BillingCurrency
),
-- 2. Each GPU-hour of the samples: engine activity (DCGM_FI_PROF_GR_ENGINE_ACTIVE, else GPU_UTIL / 100), held by a job or not.
act AS (
  SELECT lower(hostname) AS host, coalesce(uuid, gpu, '') AS gpu_id, date_trunc('hour', ts) AS hour,
    coalesce(avg(value) FILTER (WHERE metric = 'engine_active'), avg(value) FILTER (WHERE metric = 'gpu_util') / 100) AS activity,
    bool_or(pod IS NOT NULL) AS held
  FROM gpu_samples WHERE metric IN ('engine_active', 'gpu_util') AND hostname IS NOT NULL AND /*SAMPLES*/
  GROUP BY ALL
),
cls AS (
  SELECT host, CAST(hour AS DATE) AS day, count(*) AS measured, sum(activity) AS activity_sum,
    count(*) FILTER (WHERE held AND activity >= /*THRESHOLD*/) AS busy,
    count(*) FILTER (WHERE held AND activity < /*THRESHOLD*/) AS held_idle,
    count(*) FILTER (WHERE NOT held) AS unallocated
  FROM act GROUP BY ALL
),
-- 3. The weights of the split: measured GPU-hours per class, and the billed ones no sample covers.
weights AS (
  SELECT p.host, p.day, k.class, k.weight FROM pools p LEFT JOIN cls c USING (host, day),
  LATERAL (VALUES ('busy', coalesce(c.busy, 0)), ('held_idle', coalesce(c.held_idle, 0)), ('unallocated', coalesce(c.unallocated, 0)),
    ('unmeasured', greatest(CAST(p.gpu_hours AS DOUBLE) - coalesce(c.measured, 0), 0))) k(class, weight)
),
-- 4. Each VM-day's cost split exactly over its classes (allocate/exact-split.ts: the parts add up to the cost).
split AS /*SPLIT*/
SELECT p.resource, p.size, p.gpus, p.gpu_model, p.currency, p.gpu_hours AS gpu_hours_paid, coalesce(m.measured, 0) AS measured_gpu_hours,
  CASE WHEN m.measured > 0 THEN round(100 * m.activity_sum / m.measured, 2) END AS utilization_pct,
  p.cost, s.busy_cost, s.held_idle_cost, s.unallocated_cost, s.unmeasured_cost
FROM (SELECT host, any_value(resource) AS resource, any_value(size) AS size, any_value(gpus) AS gpus, any_value(gpu_model) AS gpu_model, currency,
        sum(gpu_hours) AS gpu_hours, sum(cost) AS cost FROM pools GROUP BY host, currency) p
LEFT JOIN (SELECT host, sum(measured) AS measured, sum(activity_sum) AS activity_sum FROM cls GROUP BY host) m USING (host)
LEFT JOIN (SELECT host, currency,
    coalesce(sum(cost) FILTER (WHERE class = 'busy'), 0) AS busy_cost,
    coalesce(sum(cost) FILTER (WHERE class = 'held_idle'), 0) AS held_idle_cost,
    coalesce(sum(cost) FILTER (WHERE class = 'unallocated'), 0) AS unallocated_cost,
    coalesce(sum(cost) FILTER (WHERE class = 'unmeasured' OR class IS NULL), 0) AS unmeasured_cost
  FROM split GROUP BY ALL) s USING (host, currency)
ORDER BY p.cost DESC, p.resource
