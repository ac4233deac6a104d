-- A budget's period totals per feature, per model and per token type in one scan (its top contributors):
-- the measure summed per day, currency and key exactly as series.sql sums it (so tokens round per day the
-- same way and the totals add up to what the budget counts), then over the days. /*RELATION*/, /*WHERE*/,
-- /*FROM*/, /*TO*/ and /*MEASURE*/ as series.sql; /*COST*/ is the cost column the measure reads.
WITH base AS (
  SELECT a.day, a.currency, coalesce(a.feature, '__unallocated__') AS feature, coalesce(a.model, '__unallocated__') AS model,
    coalesce(a.token_type, '__unallocated__') AS token_type, a./*COST*/ AS /*COST*/, a.allocated_tokens
  FROM /*RELATION*/
  WHERE a.day >= /*FROM*/ AND a.day < /*TO*/ AND /*WHERE*/
),
per_day AS (
  SELECT CASE WHEN grouping(feature) = 0 THEN 'feature' WHEN grouping(model) = 0 THEN 'model' ELSE 'token_type' END AS dimension,
    CASE WHEN grouping(feature) = 0 THEN feature WHEN grouping(model) = 0 THEN model ELSE token_type END AS key, currency,
    /*MEASURE*/ AS value
  FROM base a
  GROUP BY GROUPING SETS ((day, currency, feature), (day, currency, model), (day, currency, token_type))
)
SELECT dimension, key, currency, CAST(sum(value) AS VARCHAR) AS total FROM per_day GROUP BY ALL ORDER BY ALL
