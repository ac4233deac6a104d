-- 014: the id a source gives each request or its response (an OpenAI-style usage log's "id", an OTLP span's
-- gen_ai.response.id, an APIM LLM log's CorrelationId, a mapped CSV's request_id column...), so that a record
-- delivered again in another file (a re-export, an overlapping rotation) is recognised: the ingest summary
-- and `tokenledger check` name both files, and `ingest telemetry --skip-duplicate-ids` leaves such records
-- out. NULL for aggregate rows (metrics, usage buckets) and for sources without an id.
ALTER TABLE telemetry_wide_rows ADD COLUMN request_id VARCHAR;
ALTER TABLE telemetry_request_rows ADD COLUMN request_id VARCHAR;

CREATE OR REPLACE VIEW telemetry_rows AS
SELECT * FROM telemetry_wide_rows
UNION ALL
SELECT tl_ingestion_id, tl_source_row, ts, resource_id, CAST(NULL AS VARCHAR) AS deployment, model, model_version,
       feature, team, environment, CAST(NULL AS VARCHAR) AS cost_center, CAST(NULL AS VARCHAR) AS user_id,
       CAST(1 AS BIGINT) AS requests, input_tokens, cached_input_tokens, CAST(0 AS BIGINT) AS cache_write_tokens,
       output_tokens, CAST(0 AS BIGINT) AS reasoning_tokens, CAST(NULL AS VARCHAR) AS status, CAST(NULL AS JSON) AS attributes,
       request_id
FROM telemetry_request_rows;

CREATE OR REPLACE VIEW telemetry AS
SELECT r.tl_ingestion_id, f.path AS tl_source_file, r.tl_source_row, f.ingested_at AS tl_ingested_at, f.format, r.ts, f.grain,
       r.resource_id, r.deployment, r.model, r.model_version, r.feature, r.team, r.environment, r.cost_center, r.user_id,
       r.requests, r.input_tokens, r.cached_input_tokens, r.cache_write_tokens, r.output_tokens, r.reasoning_tokens,
       r.status, r.attributes, f.cache_split, r.request_id
FROM telemetry_rows r JOIN telemetry_files f ON f.ingestion_id = r.tl_ingestion_id;
