-- 017: alloc_daily, the stored allocation summed per day and allocation key (no charge, no resource): what
-- budgets, forecasts and the anomaly cost series read instead of alloc_rows (13M rows on the year bench,
-- about 550k here). It is rebuilt with alloc_rows, in the same transaction (allocate/materialize.ts,
-- allocate/alloc-daily.sql). Invariant (check: completeness.allocation-daily): its sums per day and
-- currency equal those of alloc_rows.
CREATE TABLE alloc_daily (
  day             DATE,
  currency        VARCHAR,
  kind            VARCHAR NOT NULL,
  method_code     TINYINT NOT NULL,             -- as alloc_rows: how the shares were allocated (telemetry level, tags, none)
  feature         VARCHAR,
  team            VARCHAR,
  environment     VARCHAR,
  cost_center     VARCHAR,
  model           VARCHAR,
  token_type      VARCHAR,
  unallocated     BOOLEAN NOT NULL,              -- reason set: billed cost nobody could claim
  alloc_rows      BIGINT NOT NULL,               -- allocation rows summed
  billed_cost     DECIMAL(38,18),
  effective_cost  DECIMAL(38,18),
  allocated_tokens DECIMAL(38,3)           -- summed as decimals: the same sum whatever the scan order
);

-- a store allocated before this migration: its allocation summed once (the same SELECT as alloc-daily.sql)
INSERT INTO alloc_daily BY NAME
SELECT day, currency, kind, method_code, feature, team, environment, cost_center, model, token_type, reason IS NOT NULL AS unallocated,
  count(*) AS alloc_rows, sum(billed_cost) AS billed_cost, sum(effective_cost) AS effective_cost,
  sum(CAST(allocated_tokens AS DECIMAL(18,3))) AS allocated_tokens
FROM alloc_rows
GROUP BY ALL;
