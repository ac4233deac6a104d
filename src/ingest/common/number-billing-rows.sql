-- Numbers the CSV rows of one committed part in file order. DuckDB keeps insertion order for an INSERT
-- from one file, so the n-th rowid of a freshly committed part is row n of the file. Numbering during the
-- scan (row_number() OVER ()) serializes the insert; an UPDATE inside the ingest transaction makes its
-- commit rewrite every row group; after the commit it touches one column and costs milliseconds.
UPDATE billing_rows
SET tl_source_row = rowid + 1 - (SELECT min(rowid) FROM billing_rows WHERE tl_ingestion_id = /*ID*/ AND tl_source_part = /*PART*/)
WHERE tl_ingestion_id = /*ID*/ AND tl_source_part = /*PART*/
