-- telemetry_daily (migration 019, telemetry-rollup.ts): telemetry summed per ingestion, day, feature, team,
-- environment, cost center, model, grain and cache split; no resource, so it compresses (a feature belongs to few
-- teams; on the year bench 10M requests become about 220k rows). It holds every dimension a scope cuts, so a scope
-- filters it like the raw rows. The eligible sums are those of requests of at least 1,024 prompt tokens (an
-- aggregate row counts when its average request does), what prompt caching applies to (report savings).
-- /*WHERE*/ picks the rows summed (an ingestion, or everything).
SELECT tl_ingestion_id, CAST(ts AS DATE) AS day, feature, team, environment, cost_center, model, grain, cache_split,
  count(*) AS tl_rows, sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens,
  sum(cache_write_tokens) AS cache_write_tokens, sum(output_tokens) AS output_tokens,
  sum(CASE WHEN input_tokens >= 1024 * requests THEN input_tokens ELSE 0 END) AS eligible_input_tokens,
  sum(CASE WHEN input_tokens >= 1024 * requests THEN cached_input_tokens ELSE 0 END) AS eligible_cached_tokens
FROM telemetry
WHERE /*WHERE*/
GROUP BY ALL
