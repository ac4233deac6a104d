-- Rebuild of the materialized allocation (see materialize.ts): the allocation rows, the charges they
-- point at, and their monthly sums. The first placeholder is allocate.sql over all periods.
INSERT INTO alloc_rows BY NAME /*ALLOCATE*/;

INSERT INTO alloc_charges BY NAME
SELECT DISTINCT ON (charge_key) charge_key, ChargeCategory, ServiceName, ServiceCategory, x_SkuMeterCategory,
  x_SkuMeterSubcategory, x_SkuMeterName, ResourceId, ResourceName, tl_is_ai AS is_ai, tl_token_type AS token_type, Tags
FROM (SELECT /*CHARGE_KEY*/ AS charge_key, * FROM charges);

INSERT INTO alloc_month BY NAME
SELECT CAST(date_trunc('month', day) AS DATE) AS month, currency, charge_key, kind, feature, team, environment, cost_center,
  model, token_type, reason IS NOT NULL AS unallocated,
  sum(billed_cost) AS billed_cost, sum(effective_cost) AS effective_cost, sum(allocated_tokens) AS tokens
FROM alloc_rows
GROUP BY ALL;
