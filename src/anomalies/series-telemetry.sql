-- anomalies: the daily telemetry series of one dimension: tokens (input + output, cached inside input) and
-- requests per day and value. /*KEY*/ is the dimension's expression over telemetry_tokens (token type) or
-- telemetry (every other dimension: /*FROM*/).
SELECT strftime(CAST(ts AS DATE), '%Y-%m-%d') AS day, /*KEY*/ AS key, CAST(sum(/*TOKENS*/) AS VARCHAR) AS tokens,
  CAST(sum(requests) AS VARCHAR) AS requests
FROM /*FROM*/
WHERE /*WHERE*/
GROUP BY ALL
ORDER BY 2, 1
