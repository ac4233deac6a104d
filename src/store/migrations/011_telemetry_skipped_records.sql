-- 011: the records of a usage log that `ingest telemetry --skip-unusable` left out (runs still in progress,
-- streaming chunks, error bodies: records without a usage, or with one tokenledger cannot take), one row
-- each with its physical line and the reason, so that what an ingestion did not count stays auditable.
-- Their number per ingestion is also in its ingestion_events detail.
CREATE TABLE telemetry_skipped_records (
  tl_ingestion_id VARCHAR NOT NULL,
  line            BIGINT NOT NULL,   -- physical line of the file (1-based)
  record          BIGINT NOT NULL,   -- record number (blank lines are not records)
  reason          VARCHAR NOT NULL
);
