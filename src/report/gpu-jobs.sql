-- gpu --by job: the GPU VM cost per job, OpenCost's way with the held-idle GPU counted as the job's: each
-- VM-day's cost is split exactly over the GPU-hours each pod held (the method `gpu-seconds`), the GPU-hours
-- nothing held (`__idle__`, method `idle`), and the billed GPU-hours no sample covers, which go by the VM's
-- `feature` tag (method `tags`; `__unallocated__` without one).
-- meter_sizes: the GPU VM size of each hourly meter (allocate/vm-sizes.ts gpuMeterSizes)
WITH meter_sizes AS /*METER_SIZES*/,
pools AS (
  SELECT lower(coalesce(c.ResourceName, regexp_extract(c.ResourceId, '[^/]+$'))) AS host, CAST(c.ChargePeriodStart AS DATE) AS day,
    c.BillingCurrency AS currency, sum(c.ConsumedQuantity) * any_value(s.gpus) AS gpu_hours, sum(c./*COST*/) AS cost,
    coalesce(any_value(json_extract_string(c.Tags, '$.feature')), '__unallocated__') AS tag_feature
  FROM charges c
  JOIN meter_sizes s ON s.meter_key = c.tl_meter_key
  WHERE c.ChargeCategory = 'Usage' AND /*INPERIOD*/
    AND coalesce(c.ResourceId, '') NOT ILIKE '%/capacityReservationGroups/%'
  GROUP BY 1, 2, c.BillingCurrency
),
-- 1. Who held each GPU-hour (the pod's namespace/name), nothing when no pod label was present.
held AS (
  SELECT lower(hostname) AS host, CAST(date_trunc('hour', ts) AS DATE) AS day, coalesce(uuid, gpu, '') AS gpu_id, date_trunc('hour', ts) AS hour,
    arg_max(CASE WHEN pod IS NOT NULL THEN coalesce(namespace || '/', '') || pod END, pod IS NOT NULL) AS job
  FROM gpu_samples WHERE metric IN ('engine_active', 'gpu_util') AND hostname IS NOT NULL AND /*SAMPLES*/
  GROUP BY ALL
),
measured AS (
  SELECT host, day, coalesce(job, '__idle__') AS job, CASE WHEN job IS NULL THEN 'idle' ELSE 'gpu-seconds' END AS method,
    CAST(count(*) AS DOUBLE) AS weight
  FROM held GROUP BY ALL
),
weights AS (
  SELECT host, day, job || '|' || method AS class, weight FROM measured
  UNION ALL
  SELECT p.host, p.day, p.tag_feature || '|tags', greatest(CAST(p.gpu_hours AS DOUBLE) - coalesce(m.n, 0), 0)
  FROM pools p LEFT JOIN (SELECT host, day, sum(weight) AS n FROM measured GROUP BY ALL) m USING (host, day)
),
split AS /*SPLIT*/
SELECT job, method, currency, round(sum(gpu_hours), 2) AS gpu_hours, sum(cost) AS cost
FROM (SELECT split_part(coalesce(class, '__unallocated__|tags'), '|', 1) AS job, split_part(coalesce(class, '__unallocated__|tags'), '|', 2)
  AS method, currency, gpu_hours, cost FROM split)
GROUP BY job, method, currency
ORDER BY method = 'gpu-seconds' DESC, method = 'tags' DESC, cost DESC, job
