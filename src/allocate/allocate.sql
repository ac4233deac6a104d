-- Allocation of every charge of the period to feature / team / environment / cost center.
--
-- 1. Token charges (charges.tl_token_type set) are split over the telemetry tokens of the same day and
--    token type, at the finest key the telemetry supports:
--      L1 day + resource + model + token type   (telemetry with resource and model)
--      L2 day + resource + token type           (telemetry without model)
--      L3 day + model + token type              (telemetry without resource)
--    in proportion to tokens. No telemetry at any level: __unallocated__, reason given. Telemetry without
--    the cache split ("prompt" tokens) is the basis for billed input, cached input and cache writes.
-- 2. Every other charge goes to the values of its resource tags (aliases below); no such tag: untagged.
-- 3. Exact: shares are rounded at 9 decimals and the largest share takes the remainder, so that for every
--    billing row allocated + unallocated = its cost, to the last digit of DECIMAL(38,18). (Aggregate and
--    join, not a window: sorting millions of shares by row took most of the time.)
-- Both cost bases (BilledCost, EffectiveCost) are split in one pass, with the same shares.
-- Placeholders: /*WHERE*/ period on ChargePeriodStart, /*TEL_WHERE*/ period on ts.
WITH bill AS MATERIALIZED (
  SELECT
    tl_ingestion_id, tl_source_file, tl_source_part, tl_source_row,
    BillingCurrency AS currency, CAST(ChargePeriodStart AS DATE) AS day,
    -- resources are joined by a 64-bit hash of their lowercased ID: a string of ~100 bytes per key made
    -- the telemetry aggregation spill to disk (and take twice as long) at 10M requests
    CASE WHEN ResourceId IS NOT NULL THEN hash(lower(ResourceId)) END AS resource, tl_model AS model, tl_token_type AS token_type,
    BilledCost AS bcost, EffectiveCost AS ecost, tl_tokens AS billed_tokens,
    /*CHARGE_KEY*/ AS charge_key,
    nullif(trim(coalesce(Tags->>'feature', Tags->>'Feature', Tags->>'app-feature')), '') AS tag_feature,
    nullif(trim(coalesce(Tags->>'team', Tags->>'Team', Tags->>'owner-team')), '') AS tag_team,
    nullif(trim(coalesce(Tags->>'environment', Tags->>'env', Tags->>'Environment', Tags->>'Env')), '') AS tag_environment,
    nullif(trim(coalesce(Tags->>'cost_center', Tags->>'CostCenter', Tags->>'cost-center', Tags->>'costcenter', x_CostCenter)), '') AS tag_cost_center
  FROM charges
  WHERE /*WHERE*/
),
tel AS MATERIALIZED (
  SELECT CAST(ts AS DATE) AS day, CASE WHEN resource_id IS NOT NULL THEN hash(resource_id) END AS resource, model, token_type,
         feature, team, environment, cost_center, sum(tokens) AS tokens
  FROM telemetry_tokens
  WHERE /*TEL_WHERE*/
  GROUP BY ALL
  HAVING sum(tokens) > 0
),
-- which telemetry token type can explain which billed token type: "prompt" tokens (sources without the
-- cache split) stand for every input type
tmap(tel_type, bill_type) AS (VALUES ('input', 'input'), ('cached_input', 'cached_input'), ('cache_write', 'cache_write'),
  ('output', 'output'), ('prompt', 'input'), ('prompt', 'cached_input'), ('prompt', 'cache_write')),
telb AS (
  SELECT t.*, m.bill_type, t.token_type = 'prompt' AS via_prompt FROM tel t JOIN tmap m ON m.tel_type = t.token_type
),
l1 AS (SELECT day, resource, model, bill_type AS token_type, sum(tokens) AS total FROM telb WHERE resource IS NOT NULL AND model IS NOT NULL GROUP BY ALL),
l2 AS (SELECT day, resource, bill_type AS token_type, sum(tokens) AS total FROM telb WHERE resource IS NOT NULL AND model IS NULL GROUP BY ALL),
l3 AS (SELECT day, model, bill_type AS token_type, sum(tokens) AS total FROM telb WHERE resource IS NULL AND model IS NOT NULL GROUP BY ALL),
tok AS MATERIALIZED (
  SELECT b.*,
    CASE WHEN l1.total IS NOT NULL THEN 'L1' WHEN l2.total IS NOT NULL THEN 'L2' WHEN l3.total IS NOT NULL THEN 'L3' END AS level,
    coalesce(l1.total, l2.total, l3.total) AS basis_total
  FROM bill b
  LEFT JOIN l1 ON l1.day = b.day AND l1.resource = b.resource AND l1.model = b.model AND l1.token_type = b.token_type
  LEFT JOIN l2 ON l2.day = b.day AND l2.resource = b.resource AND l2.token_type = b.token_type
  LEFT JOIN l3 ON l3.day = b.day AND l3.model = b.model AND l3.token_type = b.token_type
  WHERE b.token_type IS NOT NULL
),
shares AS (
  SELECT t.*, x.feature, x.team, x.environment, x.cost_center, x.tokens AS basis_tokens, x.via_prompt
  FROM tok t JOIN telb x ON t.level = 'L1' AND x.day = t.day AND x.resource = t.resource AND x.model = t.model AND x.bill_type = t.token_type
  UNION ALL
  SELECT t.*, x.feature, x.team, x.environment, x.cost_center, x.tokens, x.via_prompt
  FROM tok t JOIN telb x ON t.level = 'L2' AND x.day = t.day AND x.resource = t.resource AND x.model IS NULL AND x.bill_type = t.token_type
  UNION ALL
  SELECT t.*, x.feature, x.team, x.environment, x.cost_center, x.tokens, x.via_prompt
  FROM tok t JOIN telb x ON t.level = 'L3' AND x.day = t.day AND x.resource IS NULL AND x.model = t.model AND x.bill_type = t.token_type
),
keyed AS (
  SELECT *,
    concat_ws(chr(31), coalesce(feature, chr(0)), coalesce(team, chr(0)), coalesce(environment, chr(0)), coalesce(cost_center, chr(0)), via_prompt) AS share_key,
    CAST(round(CAST(bcost AS DOUBLE) * basis_tokens / basis_total, 9) AS DECIMAL(38,18)) AS b_approx,
    CAST(round(CAST(ecost AS DOUBLE) * basis_tokens / basis_total, 9) AS DECIMAL(38,18)) AS e_approx
  FROM shares
),
per_row AS (
  -- per billing row: the sum of the rounded shares, and the share that takes the remainder (the largest;
  -- ties broken by key, so the result does not depend on the order rows arrive in)
  SELECT tl_ingestion_id, tl_source_part, tl_source_row, sum(b_approx) AS b_sum, sum(e_approx) AS e_sum,
         arg_max(share_key, struct_pack(t := basis_tokens, k := share_key)) AS top_key
  FROM keyed
  GROUP BY tl_ingestion_id, tl_source_part, tl_source_row
),
split AS (
  SELECT k.*,
    CASE WHEN k.share_key = p.top_key THEN k.bcost - (p.b_sum - k.b_approx) ELSE k.b_approx END AS billed_cost,
    CASE WHEN k.share_key = p.top_key THEN k.ecost - (p.e_sum - k.e_approx) ELSE k.e_approx END AS effective_cost
  FROM keyed k JOIN per_row p USING (tl_ingestion_id, tl_source_part, tl_source_row)
)
SELECT tl_ingestion_id, tl_source_file, tl_source_part, tl_source_row, currency, day, charge_key, 'token' AS kind,
  'telemetry ' || CASE level WHEN 'L1' THEN 'day+resource+model+token_type' WHEN 'L2' THEN 'day+resource+token_type' ELSE 'day+model+token_type' END
    || CASE WHEN via_prompt THEN ' (prompt tokens without cache split)' ELSE '' END AS method,
  NULL AS reason, feature, team, environment, cost_center, model, token_type,
  basis_tokens, basis_total, billed_cost, effective_cost,
  CAST(billed_tokens AS DOUBLE) * basis_tokens / basis_total AS allocated_tokens
FROM split
UNION ALL
SELECT tl_ingestion_id, tl_source_file, tl_source_part, tl_source_row, currency, day, charge_key, 'token', 'none',
  'no telemetry for this day, resource, model and token type', NULL, NULL, NULL, NULL, model, token_type,
  NULL, NULL, bcost, ecost, CAST(billed_tokens AS DOUBLE)
FROM tok WHERE level IS NULL
UNION ALL
SELECT tl_ingestion_id, tl_source_file, tl_source_part, tl_source_row, currency, day, charge_key, 'other', 'tags',
  CASE WHEN coalesce(tag_feature, tag_team, tag_environment, tag_cost_center) IS NULL THEN 'untagged' END,
  tag_feature, tag_team, tag_environment, tag_cost_center, model, token_type,
  NULL, NULL, bcost, ecost, NULL
FROM bill WHERE token_type IS NULL
