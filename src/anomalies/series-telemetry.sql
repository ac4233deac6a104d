-- anomalies: the daily telemetry series of one dimension: tokens (input + output, cached inside input) and
-- requests per day and value, from the daily rollups. /*KEY*/ is the dimension's expression over /*FROM*/: telemetry_daily
-- in token types (token type), telemetry_resource_daily (resource) or telemetry_daily (every other dimension).
SELECT strftime(day, '%Y-%m-%d') AS day, /*KEY*/ AS key, CAST(sum(/*TOKENS*/) AS VARCHAR) AS tokens,
  CAST(sum(requests) AS VARCHAR) AS requests
FROM /*FROM*/
WHERE /*WHERE*/
GROUP BY ALL
ORDER BY 2, 1
