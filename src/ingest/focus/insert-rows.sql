-- Inserts one file (its typed SELECT, substituted below) into billing_rows in a single pass. What the
-- rows mean in tokens is not computed here: it comes from their meter (table meters) in the view charges.
INSERT INTO billing_rows
SELECT
  tl_ingestion_id, tl_source_file, tl_source_part, tl_source_row, tl_ingested_at,
  /*TYPED_COLUMNS*/,
  "Tags", tl_extra_values, tl_meter_key,
  CASE WHEN tl_tags_fix IS NULL THEN CAST([] AS VARCHAR[]) ELSE [tl_tags_fix] END
FROM (/*SOURCE*/)
