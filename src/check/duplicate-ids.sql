-- Telemetry records whose request id (migration 014) a record of an earlier ingested file already has: the
-- same request counted twice. One row per (earlier file, later file): how many of the later file's records
-- repeat an id of the earlier one, and how many records of the earlier one carry those ids.
WITH ids AS (
  SELECT tl_ingestion_id, request_id FROM telemetry_rows WHERE request_id IS NOT NULL
), shared AS (
  SELECT request_id FROM ids GROUP BY request_id HAVING count(DISTINCT tl_ingestion_id) > 1
), files AS (
  SELECT ingestion_id, path, row_number() OVER (ORDER BY ingested_at, ingestion_id) AS k FROM telemetry_files
), s AS (
  SELECT i.tl_ingestion_id, i.request_id, f.path, f.k FROM ids i JOIN files f ON f.ingestion_id = i.tl_ingestion_id
  WHERE i.request_id IN (SELECT request_id FROM shared)
), pairs AS (
  SELECT a.path AS first_file, b.path AS again_file, a.k AS first_k, b.k AS again_k,
    count(DISTINCT b.rowid_b) AS again_records, count(DISTINCT a.rowid_a) AS first_records
  FROM (SELECT *, row_number() OVER () AS rowid_a FROM s) a
  JOIN (SELECT *, row_number() OVER () AS rowid_b FROM s) b ON b.request_id = a.request_id AND b.k > a.k
  GROUP BY ALL
)
SELECT first_file, again_file, first_records, again_records FROM pairs ORDER BY again_k, first_k
