-- Numbers the records of one committed events file in file order (as number-billing-rows.sql does): a CSV
-- record by its line (the header is line 1, so the first record is line 2), a JSONL record by its record
-- number. Until then the rows hold 0, which is how a file left unnumbered by a crash is found again.
UPDATE event_rows
SET tl_source_row = rowid + /*FIRST*/ - (SELECT min(rowid) FROM event_rows WHERE tl_ingestion_id = /*ID*/)
WHERE tl_ingestion_id = /*ID*/
