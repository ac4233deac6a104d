-- Live ingestions whose rows in the store are not what their record says: the other half of a torn
-- COMMIT (a record kept, rows lost) or rows removed by hand. Billing: an active ingestion holds exactly
-- the rows it recorded, a partially replaced one at most those; telemetry, gateway logs, events and
-- capacity snapshots exactly. The record's files must add up to its row count too.
WITH counted AS (
  SELECT id, sum(n) AS n FROM (
    SELECT tl_ingestion_id AS id, count(*) AS n FROM billing_rows GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM telemetry_rows GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM apim_gateway_log GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM event_rows GROUP BY 1
    -- capacity snapshots (migration 015)
    UNION ALL SELECT tl_ingestion_id, count(*) FROM quota_snapshots GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM quota_group_limits GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM capacity_reservations GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM ai_model_capacity GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM ai_deployments GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM gpu_samples GROUP BY 1
    UNION ALL SELECT tl_ingestion_id, count(*) FROM minute_metrics GROUP BY 1
  ) GROUP BY 1
), files AS (
  SELECT ingestion_id AS id, sum(row_count) AS n FROM (
    SELECT ingestion_id, row_count FROM ingestion_files
    UNION ALL SELECT ingestion_id, row_count FROM telemetry_files
    UNION ALL SELECT ingestion_id, row_count FROM event_files
    UNION ALL SELECT ingestion_id, row_count FROM capacity_files
  ) GROUP BY 1
)
SELECT i.ingestion_id, i.source, i.status, i.row_count AS recorded, coalesce(c.n, 0) AS held, coalesce(f.n, 0) AS in_files
FROM ingestions i LEFT JOIN counted c ON c.id = i.ingestion_id LEFT JOIN files f ON f.id = i.ingestion_id
WHERE i.status IN ('active', 'partially_replaced')
  AND (coalesce(f.n, 0) <> i.row_count
    OR (i.status = 'active' AND coalesce(c.n, 0) <> i.row_count)
    OR (i.status = 'partially_replaced' AND coalesce(c.n, 0) > i.row_count))
ORDER BY i.ingestion_id
