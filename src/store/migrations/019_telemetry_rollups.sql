-- 019: the telemetry rollups, telemetry summed at write time (store/telemetry-rollup.ts keeps them in step, in the
-- transaction of every telemetry ingest; the orphan sweep removes rows of no live ingestion): the telemetry reports
-- (ptu-plan, throughput, savings, estimate, token-drift, anomalies) read them instead of scanning every record.
-- Each is keyed by ingestion. Invariant (check: completeness.telemetry-rollups): group by group, its sums equal
-- those of its records, by the same SELECTs (telemetry-daily.sql, telemetry-resource-daily.sql, telemetry-minute.sql).

-- per day and the dimensions a scope cuts (feature, team, environment, cost center), model, grain and cache split
CREATE TABLE telemetry_daily (
  tl_ingestion_id VARCHAR NOT NULL,
  day DATE NOT NULL,
  feature VARCHAR, team VARCHAR, environment VARCHAR, cost_center VARCHAR, model VARCHAR,
  grain VARCHAR NOT NULL, cache_split BOOLEAN NOT NULL,
  tl_rows BIGINT NOT NULL,                  -- records summed
  requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL, cached_input_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  eligible_input_tokens BIGINT NOT NULL,    -- of records of at least 1,024 prompt tokens per request (prompt caching)
  eligible_cached_tokens BIGINT NOT NULL
);

-- per day, resource, model, grain and cache split
CREATE TABLE telemetry_resource_daily (
  tl_ingestion_id VARCHAR NOT NULL,
  day DATE NOT NULL,
  resource_id VARCHAR, model VARCHAR,
  grain VARCHAR NOT NULL, cache_split BOOLEAN NOT NULL,
  tl_rows BIGINT NOT NULL,
  requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL, cached_input_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL
);

-- request-level records per UTC minute, resource, deployment, model and feature
CREATE TABLE telemetry_minute (
  tl_ingestion_id VARCHAR NOT NULL,
  minute TIMESTAMP NOT NULL,
  resource_id VARCHAR, deployment VARCHAR, model VARCHAR, feature VARCHAR,
  tl_rows BIGINT NOT NULL,
  requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL, cached_input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,
  throttled BIGINT                          -- requests answered 429; NULL when none
);

-- how many rows of the three rollups each file's ingestion wrote: what the orphan check on every open counts the
-- rollups against (store/integrity.ts), without scanning them
ALTER TABLE telemetry_files ADD COLUMN rollup_rows BIGINT;

-- a store written before this migration: its telemetry summed once (the same SELECTs as the .sql files)
INSERT INTO telemetry_daily BY NAME
SELECT * FROM (
  SELECT tl_ingestion_id, CAST(ts AS DATE) AS day, feature, team, environment, cost_center, model, grain, cache_split,
    count(*) AS tl_rows, sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens,
    sum(cache_write_tokens) AS cache_write_tokens, sum(output_tokens) AS output_tokens,
    sum(CASE WHEN input_tokens >= 1024 * requests THEN input_tokens ELSE 0 END) AS eligible_input_tokens,
    sum(CASE WHEN input_tokens >= 1024 * requests THEN cached_input_tokens ELSE 0 END) AS eligible_cached_tokens
  FROM telemetry
  GROUP BY ALL
) ORDER BY day;

INSERT INTO telemetry_resource_daily BY NAME
SELECT * FROM (
  SELECT tl_ingestion_id, CAST(ts AS DATE) AS day, resource_id, model, grain, cache_split,
    count(*) AS tl_rows, sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens,
    sum(cache_write_tokens) AS cache_write_tokens, sum(output_tokens) AS output_tokens
  FROM telemetry
  GROUP BY ALL
) ORDER BY day;

INSERT INTO telemetry_minute BY NAME
SELECT * FROM (
  SELECT tl_ingestion_id, date_trunc('minute', ts) AS minute, resource_id, deployment, model, feature,
    count(*) AS tl_rows, sum(requests) AS requests, sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens,
    sum(output_tokens) AS output_tokens, sum(requests) FILTER (WHERE status = '429' OR status = 'throttled') AS throttled
  FROM telemetry
  WHERE grain = 'request'
  GROUP BY ALL
) ORDER BY minute;

UPDATE telemetry_files f SET rollup_rows = coalesce((SELECT count(*) FROM telemetry_daily d WHERE d.tl_ingestion_id = f.ingestion_id), 0)
  + coalesce((SELECT count(*) FROM telemetry_resource_daily r WHERE r.tl_ingestion_id = f.ingestion_id), 0)
  + coalesce((SELECT count(*) FROM telemetry_minute m WHERE m.tl_ingestion_id = f.ingestion_id), 0);
