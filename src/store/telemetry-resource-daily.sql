-- telemetry_resource_daily (migration 019, telemetry-rollup.ts): telemetry summed per ingestion, day, resource,
-- model, grain and cache split (no feature: about 300k rows for the year bench's 10M requests). What token drift,
-- the PTU savings lever, missing telemetry days and the resource series read. It has none of the dimensions a
-- scope cuts: under a scope it is this SELECT over the scope's telemetry (ledger/scope.ts).
-- /*WHERE*/ picks the rows summed (an ingestion, or everything).
SELECT tl_ingestion_id, CAST(ts AS DATE) AS day, resource_id, model, grain, cache_split,
  count(*) AS tl_rows, sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens,
  sum(cache_write_tokens) AS cache_write_tokens, sum(output_tokens) AS output_tokens
FROM telemetry
WHERE /*WHERE*/
GROUP BY ALL
