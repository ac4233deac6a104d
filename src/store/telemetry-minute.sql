-- telemetry_minute (migration 019, telemetry-rollup.ts): request-level telemetry summed per ingestion, UTC minute,
-- resource, deployment, model and feature: the per-minute profiles of ptu-plan, throughput and the savings batch
-- lever (a local minute is a UTC minute shifted: every time zone's offset is whole minutes). `throttled`: the
-- requests answered 429 (NULL when none, as the raw sum is). Aggregate rows have no minute profile and are left
-- out. Without team, environment and cost center: under a scope it is this SELECT over the scope's telemetry.
-- /*WHERE*/ picks the rows summed (an ingestion, or everything).
SELECT tl_ingestion_id, date_trunc('minute', ts) AS minute, resource_id, deployment, model, feature,
  count(*) AS tl_rows, sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens,
  sum(output_tokens) AS output_tokens, sum(requests) FILTER (WHERE status = '429' OR status = 'throttled') AS throttled
FROM telemetry
WHERE grain = 'request' AND /*WHERE*/
GROUP BY ALL
