-- alloc_daily (migration 017): the materialized allocation summed per day and allocation key, rebuilt with
-- alloc_rows in the same transaction (materialize.ts). A change here needs a migration that rebuilds the table,
-- as 017 did: it is not part of the allocation's data key, since it is a pure function of alloc_rows.
INSERT INTO alloc_daily BY NAME
SELECT day, currency, kind, method_code, feature, team, environment, cost_center, model, token_type, reason IS NOT NULL AS unallocated,
  count(*) AS alloc_rows, sum(billed_cost) AS billed_cost, sum(effective_cost) AS effective_cost,
  sum(CAST(allocated_tokens AS DECIMAL(18,3))) AS allocated_tokens
FROM alloc_rows
GROUP BY ALL
