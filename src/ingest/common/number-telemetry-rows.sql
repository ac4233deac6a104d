-- Numbers the records of one committed telemetry file in file order (as number-billing-rows.sql does), in
-- TABLE, one of the two tables behind telemetry_rows (a file's rows are all in one of them).
UPDATE /*TABLE*/
SET tl_source_row = rowid + 1 - (SELECT min(rowid) FROM /*TABLE*/ WHERE tl_ingestion_id = /*ID*/)
WHERE tl_ingestion_id = /*ID*/
