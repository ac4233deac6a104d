-- 003: token telemetry. One row per request where the source has requests (usage logs, LLM logs, spans),
-- one row per bucket where it only has aggregates (metrics). Token columns follow OpenAI's accounting:
-- input_tokens INCLUDES cached_input_tokens and cache_write_tokens; output_tokens INCLUDES
-- reasoning_tokens. The splits are kept so nothing is counted twice.

ALTER TABLE ingestions ALTER COLUMN focus_version DROP NOT NULL;
ALTER TABLE ingestions ADD COLUMN format VARCHAR;

-- Row-level facts. What is the same for a whole file (source path, ingestion time, format, grain, cache
-- split) lives once in telemetry_files: repeating it on 10M rows cost more than parsing them.
CREATE TABLE telemetry_rows (
  tl_ingestion_id     VARCHAR NOT NULL,
  tl_source_row       BIGINT NOT NULL,          -- 1-based record (line of a JSONL file)
  ts                  TIMESTAMP NOT NULL,       -- request time, or bucket start (UTC)
  resource_id         VARCHAR,                  -- Azure resource ID, lowercased
  deployment          VARCHAR,
  model               VARCHAR,                  -- normalized like billing models (gpt-4o, not gpt-4o-2024-11-20)
  model_version       VARCHAR,
  feature             VARCHAR,
  team                VARCHAR,
  environment         VARCHAR,
  cost_center         VARCHAR,
  user_id             VARCHAR,
  requests            BIGINT NOT NULL,
  input_tokens        BIGINT NOT NULL,
  cached_input_tokens BIGINT NOT NULL,
  cache_write_tokens  BIGINT NOT NULL,
  output_tokens       BIGINT NOT NULL,
  reasoning_tokens    BIGINT NOT NULL,
  status              VARCHAR,
  attributes          JSON                      -- what the record carried beyond the columns, for audit and mapping
);

CREATE TABLE telemetry_files (
  ingestion_id  VARCHAR NOT NULL,
  path          VARCHAR NOT NULL,
  checksum      VARCHAR NOT NULL,
  bytes         BIGINT NOT NULL,
  row_count     BIGINT NOT NULL,
  rows_numbered BOOLEAN NOT NULL,
  ingested_at   TIMESTAMP NOT NULL,
  format        VARCHAR NOT NULL,               -- openai-jsonl | otlp-spans | ...
  grain         VARCHAR NOT NULL,               -- request | aggregate
  cache_split   BOOLEAN NOT NULL                -- false: the source reports prompt tokens without the cached part
);

-- Telemetry as one relation: rows with their file's facts.
CREATE VIEW telemetry AS
SELECT r.tl_ingestion_id, f.path AS tl_source_file, r.tl_source_row, f.ingested_at AS tl_ingested_at, f.format, r.ts, f.grain,
       r.resource_id, r.deployment, r.model, r.model_version, r.feature, r.team, r.environment, r.cost_center, r.user_id,
       r.requests, r.input_tokens, r.cached_input_tokens, r.cache_write_tokens, r.output_tokens, r.reasoning_tokens,
       r.status, r.attributes, f.cache_split
FROM telemetry_rows r JOIN telemetry_files f ON f.ingestion_id = r.tl_ingestion_id;

-- Telemetry tokens in the billing token types: billed "input" is uncached input. A source without the
-- cache split (APIM token metrics, Azure Monitor) gives "prompt": all input, which allocation uses for
-- billed input, cached input and cache writes alike (and says so).
CREATE VIEW telemetry_tokens AS
SELECT t.*, CASE WHEN t.cache_split THEN 'input' ELSE 'prompt' END AS token_type,
       CASE WHEN t.cache_split THEN t.input_tokens - t.cached_input_tokens - t.cache_write_tokens ELSE t.input_tokens END AS tokens
FROM telemetry t
WHERE CASE WHEN t.cache_split THEN t.input_tokens - t.cached_input_tokens - t.cache_write_tokens ELSE t.input_tokens END <> 0
UNION ALL
SELECT t.*, 'cached_input', t.cached_input_tokens FROM telemetry t WHERE t.cache_split AND t.cached_input_tokens <> 0
UNION ALL
SELECT t.*, 'cache_write', t.cache_write_tokens FROM telemetry t WHERE t.cache_split AND t.cache_write_tokens <> 0
UNION ALL
SELECT t.*, 'output', t.output_tokens FROM telemetry t WHERE t.output_tokens <> 0;
