-- 003: token telemetry. One row per request where the source has requests (usage logs, LLM logs, spans),
-- one row per bucket where it only has aggregates (metrics). Token columns follow OpenAI's accounting:
-- input_tokens INCLUDES cached_input_tokens and cache_write_tokens; output_tokens INCLUDES
-- reasoning_tokens. The splits are kept so nothing is counted twice.

ALTER TABLE ingestions ALTER COLUMN focus_version DROP NOT NULL;
ALTER TABLE ingestions ADD COLUMN format VARCHAR;

CREATE TABLE telemetry (
  tl_ingestion_id     VARCHAR NOT NULL,
  tl_source_file      VARCHAR NOT NULL,
  tl_source_row       BIGINT NOT NULL,          -- 1-based record (line of a JSONL file)
  tl_ingested_at      TIMESTAMP NOT NULL,
  format              VARCHAR NOT NULL,         -- openai-jsonl | ...
  ts                  TIMESTAMP NOT NULL,       -- request time, or bucket start (UTC)
  grain               VARCHAR NOT NULL,         -- request | aggregate
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
  attributes          JSON,                     -- the record as received, for audit
  cache_split         BOOLEAN NOT NULL          -- false: the source reports prompt tokens without the cached part
);

CREATE TABLE telemetry_files (
  ingestion_id  VARCHAR NOT NULL,
  path          VARCHAR NOT NULL,
  checksum      VARCHAR NOT NULL,
  bytes         BIGINT NOT NULL,
  row_count     BIGINT NOT NULL,
  rows_numbered BOOLEAN NOT NULL
);

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
