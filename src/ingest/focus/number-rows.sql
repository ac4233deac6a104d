-- Numbers the CSV rows of one ingested part in file order. DuckDB keeps insertion order (rowid) for an
-- INSERT ... SELECT from one file, so row n of the file is the n-th rowid of its part. Numbering during
-- the scan (row_number() OVER ()) would serialize the whole insert; this UPDATE touches one column.
UPDATE billing_rows
SET tl_source_row = rowid + 1 - (SELECT min(rowid) FROM billing_rows WHERE tl_ingestion_id = $id AND tl_source_part = $part)
WHERE tl_ingestion_id = $id AND tl_source_part = $part
