-- Allocation of every charge of the period to feature / team / environment / cost center.
--
-- 1. Token charges (charges.tl_token_type set) are split over the telemetry tokens of the same day and
--    token type, at the finest key the telemetry supports:
--      L1 day + resource + model + token type   (telemetry with resource and model)
--      L2 day + resource + token type           (telemetry without model)
--      L3 day + model + token type              (telemetry without resource)
--    in proportion to tokens. No telemetry at any level: __unallocated__, reason given. Telemetry without
--    the cache split ("prompt" tokens) is the basis for billed input, cached input and cache writes.
-- 2. GPU VM usage rows (the meter is a GPU size of /*SIZES*/, the VM's host has GPU samples that day) are split
--    by GPU-seconds: each GPU-hour the samples cover goes to the job (namespace/pod) that held it, with the
--    dimensions its pod maps to (gpu_samples, mapped at ingest) or else the VM's tags (method 10), or to
--    __idle__ when no pod held it (feature and team __idle__, environment and cost center the VM's tags; method
--    11); the billed GPU-hours no sample covers go by the VM's tags (method 9). One GPU-hour = 3,600 GPU-seconds
--    (samples are bucketed per hour, as report gpu does). Exact per billing row (allocate/exact-split.ts).
-- 3. Every other charge goes to the values of its resource tags (aliases below); no such tag: untagged.
-- 4. Exact: shares are rounded at 9 decimals and the largest share takes the remainder, so that for every
--    billing row allocated + unallocated = its cost, to the last digit of DECIMAL(38,18). (Aggregate and
--    join, not a window: sorting millions of shares by row took most of the time.)
-- 5. The tens of millions of shares carry only a dense billing-row number (rk) and the amounts; lineage
--    (ingestion, part, row) and what the charge is come back by joining the billing rows at the end: wide
--    strings on every share made the split twice as slow.
-- Both cost bases (BilledCost, EffectiveCost) are split in one pass, with the same shares.
-- Placeholders: /*WHERE*/ period on ChargePeriodStart, /*TEL_WHERE*/ period on ts, /*SIZES*/ the VM sizes,
-- /*GPU_SPLIT*/ the exact split of gpu_pools over gpu_weights.
WITH sizes AS /*SIZES*/,
gpu_hosts AS (SELECT DISTINCT lower(hostname) AS host FROM gpu_samples WHERE metric IN ('engine_active', 'gpu_util') AND hostname IS NOT NULL),
-- the ordinal of each (ingestion, file part): a billing row's number rk is its part's ordinal times 2^40 plus its row
-- in the part (numbered from 1 at ingest). Unique without numbering every row: row_number() OVER () ran on one thread
-- and carried every column through the window (a third of this query with no telemetry).
parts AS (SELECT ingestion_id, part, row_number() OVER (ORDER BY ingestion_id, part) AS n FROM ingestion_files),
bill AS MATERIALIZED (
  SELECT
    CASE WHEN p.n IS NOT NULL AND c.tl_source_row BETWEEN 1 AND 1099511627775 THEN p.n * 1099511627776 + c.tl_source_row
      ELSE error('allocation: billing row ' || coalesce(CAST(c.tl_source_row AS VARCHAR), 'without a number') || ' of ingestion ' ||
        c.tl_ingestion_id || ' part ' || c.tl_source_part || ' has no file record or no row number (a bug: rows are numbered before allocation)')
    END AS rk, tl_ingestion_id, tl_source_part, tl_source_row,
    BillingCurrency AS currency, CAST(ChargePeriodStart AS DATE) AS day,
    -- resources are joined by a 64-bit hash of their lowercased ID: a string of ~100 bytes per key made
    -- the telemetry aggregation spill to disk (and take twice as long) at 10M requests
    CASE WHEN ResourceId IS NOT NULL THEN hash(lower(ResourceId)) END AS resource, tl_model AS model, tl_token_type AS token_type,
    BilledCost AS bcost, EffectiveCost AS ecost, tl_tokens AS billed_tokens,
    /*CHARGE_KEY*/ AS charge_key,
    nullif(trim(coalesce(Tags->>'feature', Tags->>'Feature', Tags->>'app-feature')), '') AS tag_feature,
    nullif(trim(coalesce(Tags->>'team', Tags->>'Team', Tags->>'owner-team')), '') AS tag_team,
    nullif(trim(coalesce(Tags->>'environment', Tags->>'env', Tags->>'Environment', Tags->>'Env')), '') AS tag_environment,
    nullif(trim(coalesce(Tags->>'cost_center', Tags->>'CostCenter', Tags->>'cost-center', Tags->>'costcenter', x_CostCenter)), '') AS tag_cost_center,
    -- a VM usage row of a host with GPU samples: its host, size key (the meter name) and hours (NULL otherwise)
    CASE WHEN tl_token_type IS NULL AND ChargeCategory = 'Usage' AND lower(coalesce(ConsumedUnit, PricingUnit, '')) LIKE '%hour%'
      AND coalesce(ResourceId, '') NOT ILIKE '%/capacityReservationGroups/%'
      AND lower(coalesce(ResourceName, regexp_extract(ResourceId, '[^/]+$'))) IN (SELECT host FROM gpu_hosts)
      THEN struct_pack(host := lower(coalesce(ResourceName, regexp_extract(ResourceId, '[^/]+$'))), hours := ConsumedQuantity,
        size_key := lower(regexp_replace(regexp_replace(coalesce(x_SkuMeterName, SkuMeter, ''), '^standard[_ ]', '', 'i'), '[\s_-]+', '', 'g')))
    END AS gpu
  FROM charges c LEFT JOIN parts p ON p.ingestion_id = c.tl_ingestion_id AND p.part = c.tl_source_part
  WHERE /*WHERE*/
),
-- GPU: who held each GPU-hour (the pod that did, if any, with the dimensions it maps to; ties by job name)
gpu_held AS (
  SELECT lower(hostname) AS host, CAST(date_trunc('hour', ts) AS DATE) AS day,
    arg_max(struct_pack(job := CASE WHEN pod IS NOT NULL THEN coalesce(namespace || '/', '') || pod END, feature := feature, team := team,
      environment := environment, cost_center := cost_center),
      struct_pack(h := pod IS NOT NULL, j := coalesce(namespace || '/', '') || coalesce(pod, ''))) AS j
  FROM gpu_samples WHERE metric IN ('engine_active', 'gpu_util') AND hostname IS NOT NULL
  GROUP BY lower(hostname), coalesce(uuid, gpu, ''), date_trunc('hour', ts)
),
gpu_measured AS (
  SELECT host, day, j.job, j.feature, j.team, j.environment, j.cost_center, CAST(count(*) * 3600 AS DOUBLE) AS secs
  FROM gpu_held GROUP BY ALL
),
gpu_pools AS MATERIALIZED (
  SELECT b.rk, b.gpu.host AS host, b.day, b.bcost, b.ecost, CAST(b.gpu.hours AS DOUBLE) * s.gpus * 3600 AS paid_secs
  FROM bill b JOIN sizes s ON s.gpus > 0 AND s.size_key = b.gpu.size_key
  WHERE b.gpu IS NOT NULL AND (b.gpu.host, b.day) IN (SELECT (host, day) FROM gpu_measured)
),
gpu_weights AS (
  SELECT host, day, job, CASE WHEN job IS NULL THEN 'idle' ELSE 'gpu-seconds' END AS m, feature AS w_feature, team AS w_team,
    environment AS w_environment, cost_center AS w_cost_center, secs AS weight
  FROM gpu_measured
  UNION ALL
  SELECT p.host, p.day, NULL, 'tags', NULL, NULL, NULL, NULL, greatest(p.paid - m.secs, 0)
  FROM (SELECT host, day, sum(paid_secs) AS paid FROM gpu_pools GROUP BY ALL) p
  JOIN (SELECT host, day, sum(secs) AS secs FROM gpu_measured GROUP BY ALL) m USING (host, day)
),
gpu_split AS /*GPU_SPLIT*/,
-- telemetry per day, resource, model, billed token type and key. "prompt" tokens (sources without the
-- cache split) stand for every input type. gkey names the group a row explains at its level (L1 with
-- resource and model, L2 resource only, L3 model only): one scan and one join instead of one per level.
telb AS MATERIALIZED (
  SELECT t.day, t.resource, t.model, m.bill_type, t.token_type = 'prompt' AS via_prompt,
    t.feature, t.team, t.environment, t.cost_center, t.tokens,
    CASE WHEN t.resource IS NOT NULL AND t.model IS NOT NULL THEN 1 WHEN t.resource IS NOT NULL THEN 2 WHEN t.model IS NOT NULL THEN 3 END AS lvl,
    hash(t.day, t.resource, t.model, m.bill_type) AS gkey
  FROM (
    SELECT CAST(ts AS DATE) AS day, CASE WHEN resource_id IS NOT NULL THEN hash(resource_id) END AS resource, model, token_type,
           feature, team, environment, cost_center, sum(tokens) AS tokens
    FROM telemetry_tokens
    WHERE /*TEL_WHERE*/
    GROUP BY ALL
    HAVING sum(tokens) > 0
  ) t JOIN token_type_map m ON m.tel_type = t.token_type
),
levels AS (SELECT lvl, gkey, any_value(day) AS day, any_value(bill_type) AS bill_type, sum(tokens) AS total FROM telb WHERE lvl IS NOT NULL GROUP BY lvl, gkey),
tok AS MATERIALIZED (
  SELECT b.rk, b.day, b.token_type, b.bcost, b.ecost,
    -- cost per basis token as DOUBLE, once per billing row (not once per share: 128-bit conversions are slow), and only
    -- where there is a basis (CASE evaluates its branch for the rows that take it)
    CASE WHEN coalesce(l1.total, l2.total, l3.total) IS NOT NULL THEN CAST(b.bcost AS DOUBLE) / coalesce(l1.total, l2.total, l3.total) END AS b_rate,
    CASE WHEN coalesce(l1.total, l2.total, l3.total) IS NOT NULL THEN CAST(b.ecost AS DOUBLE) / coalesce(l1.total, l2.total, l3.total) END AS e_rate,
    CASE WHEN l1.total IS NOT NULL THEN 1 WHEN l2.total IS NOT NULL THEN 2 WHEN l3.total IS NOT NULL THEN 3 END AS lvl,
    CASE WHEN l1.total IS NOT NULL THEN l1.gkey WHEN l2.total IS NOT NULL THEN l2.gkey ELSE l3.gkey END AS gkey,
    coalesce(l1.total, l2.total, l3.total) AS basis_total
  FROM bill b
  LEFT JOIN levels l1 ON l1.lvl = 1 AND l1.gkey = hash(b.day, b.resource, b.model, b.token_type) AND l1.day = b.day AND l1.bill_type = b.token_type
  LEFT JOIN levels l2 ON l2.lvl = 2 AND l2.gkey = hash(b.day, b.resource, CAST(NULL AS VARCHAR), b.token_type) AND l2.day = b.day AND l2.bill_type = b.token_type
  LEFT JOIN levels l3 ON l3.lvl = 3 AND l3.gkey = hash(b.day, CAST(NULL AS UBIGINT), b.model, b.token_type) AND l3.day = b.day AND l3.bill_type = b.token_type
  WHERE b.token_type IS NOT NULL
),
shares AS (
  SELECT t.rk, t.lvl, t.bcost, t.ecost, t.b_rate, t.e_rate, t.basis_total, x.feature, x.team, x.environment, x.cost_center, x.tokens AS basis_tokens, x.via_prompt
  FROM tok t JOIN telb x ON x.gkey = t.gkey AND x.lvl = t.lvl AND x.day = t.day AND x.bill_type = t.token_type
),
keyed AS (
  SELECT *,
    -- which share takes the remainder is decided by (tokens, key): a 64-bit hash of what makes a share unique
    -- in its billing row (a string key cost a third of the whole allocation at 10M requests)
    hash(feature, team, environment, cost_center, via_prompt) AS share_key,
    -- shares at 9 decimals (the cast rounds) fit 64-bit decimals (up to 999,999,999.999999999 per billing row):
    -- 128-bit ones made this step twice as slow; a larger charge fails loudly, never silently
    CAST(b_rate * basis_tokens AS DECIMAL(18,9)) AS b_approx,
    CAST(e_rate * basis_tokens AS DECIMAL(18,9)) AS e_approx
  FROM shares
),
per_row AS (
  -- per billing row: the sum of the rounded shares, and the share that takes the remainder (the largest;
  -- ties broken by key, so the result does not depend on the order rows arrive in)
  SELECT rk, sum(b_approx) AS b_sum, sum(e_approx) AS e_sum,
         arg_max(share_key, struct_pack(t := basis_tokens, k := share_key)) AS top_key
  FROM keyed
  GROUP BY rk
),
split AS (
  SELECT k.rk, k.lvl, k.via_prompt, k.feature, k.team, k.environment, k.cost_center, k.basis_tokens, k.basis_total,
    CASE WHEN k.share_key = p.top_key THEN k.bcost - (p.b_sum - k.b_approx) ELSE k.b_approx END AS billed_cost,
    CASE WHEN k.share_key = p.top_key THEN k.ecost - (p.e_sum - k.e_approx) ELSE k.e_approx END AS effective_cost
  FROM keyed k JOIN per_row p USING (rk)
)
SELECT b.tl_ingestion_id, b.tl_source_part, b.tl_source_row, b.currency, b.day, b.charge_key, 'token' AS kind,
  -- method as a code (METHODS in allocate.ts): telemetry level 1-3, +3 when via prompt tokens
  CAST(s.lvl + CASE WHEN s.via_prompt THEN 3 ELSE 0 END AS TINYINT) AS method_code,
  NULL AS reason, s.feature, s.team, s.environment, s.cost_center, b.model, b.token_type,
  CAST(s.basis_tokens AS BIGINT) AS basis_tokens, CAST(s.basis_total AS BIGINT) AS basis_total, s.billed_cost, s.effective_cost,
  CAST(b.billed_tokens AS DOUBLE) * s.basis_tokens / s.basis_total AS allocated_tokens, CAST(NULL AS VARCHAR) AS job
FROM split s JOIN bill b USING (rk)
UNION ALL
SELECT b.tl_ingestion_id, b.tl_source_part, b.tl_source_row, b.currency, b.day, b.charge_key, 'token', CAST(0 AS TINYINT),
  'no telemetry for this day, resource, model and token type', NULL, NULL, NULL, NULL, b.model, b.token_type,
  NULL, NULL, b.bcost, b.ecost, CAST(b.billed_tokens AS DOUBLE), NULL
FROM tok t JOIN bill b USING (rk) WHERE t.lvl IS NULL
UNION ALL
SELECT tl_ingestion_id, tl_source_part, tl_source_row, currency, day, charge_key, 'other', CAST(9 AS TINYINT),
  CASE WHEN coalesce(tag_feature, tag_team, tag_environment, tag_cost_center) IS NULL THEN 'untagged' END,
  tag_feature, tag_team, tag_environment, tag_cost_center, model, token_type,
  NULL, NULL, bcost, ecost, NULL, NULL
FROM bill WHERE token_type IS NULL AND rk NOT IN (SELECT rk FROM gpu_pools)
UNION ALL
SELECT b.tl_ingestion_id, b.tl_source_part, b.tl_source_row, b.currency, b.day, b.charge_key, 'other',
  CAST(CASE g.m WHEN 'gpu-seconds' THEN 10 WHEN 'idle' THEN 11 ELSE 9 END AS TINYINT),
  CASE WHEN g.m = 'tags' AND coalesce(b.tag_feature, b.tag_team, b.tag_environment, b.tag_cost_center) IS NULL THEN 'untagged' END,
  CASE g.m WHEN 'idle' THEN '__idle__' WHEN 'gpu-seconds' THEN coalesce(g.w_feature, b.tag_feature) ELSE b.tag_feature END,
  CASE g.m WHEN 'idle' THEN '__idle__' WHEN 'gpu-seconds' THEN coalesce(g.w_team, b.tag_team) ELSE b.tag_team END,
  CASE g.m WHEN 'gpu-seconds' THEN coalesce(g.w_environment, b.tag_environment) ELSE b.tag_environment END,
  CASE g.m WHEN 'gpu-seconds' THEN coalesce(g.w_cost_center, b.tag_cost_center) ELSE b.tag_cost_center END,
  b.model, b.token_type, CAST(round(g.tl_w) AS BIGINT), CAST(round(g.tl_wt) AS BIGINT), g.bcost, g.ecost, NULL, g.job
FROM gpu_split g JOIN bill b USING (rk)
