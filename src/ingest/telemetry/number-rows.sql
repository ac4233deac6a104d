-- Numbers the records of one committed telemetry file in file order (see ingest/focus/number-rows.sql).
UPDATE telemetry_rows
SET tl_source_row = rowid + 1 - (SELECT min(rowid) FROM telemetry_rows WHERE tl_ingestion_id = $id)
WHERE tl_ingestion_id = $id
