-- explain allocation: every share of the feature in the period, down to its billing row (file, line) and,
-- for token charges, the telemetry records of the same day, model, token type (and resource at level 1-2)
-- that carry the feature: how many, and the first one (file, line). /*COST*/ is the cost basis column.
WITH s AS (
  SELECT a.*, a./*COST*/ AS amount, b./*ROWCOST*/ AS row_cost, b.x_SkuMeterName AS meter, lower(b.ResourceId) AS resource_id,
    f.path AS file, CASE WHEN f.path ILIKE '%.parquet' THEN a.tl_source_row ELSE a.tl_source_row + 1 END AS line
  FROM alloc_rows a
  JOIN billing_rows b USING (tl_ingestion_id, tl_source_part, tl_source_row)
  LEFT JOIN ingestion_files f ON f.ingestion_id = a.tl_ingestion_id AND f.part = a.tl_source_part
  WHERE /*KEY*/ AND /*PERIOD*/
),
tel AS (
  SELECT CAST(t.ts AS DATE) AS day, t.resource_id, t.model, m.bill_type, t.feature, t.team, t.environment, t.cost_center,
    t.tl_source_file || ':' || t.tl_source_row AS record
  FROM telemetry_tokens t JOIN token_type_map m ON m.tel_type = t.token_type
  WHERE t.tokens > 0 AND CAST(t.ts AS DATE) IN (SELECT DISTINCT day FROM s WHERE kind = 'token')
),
joined AS (
  SELECT s.tl_ingestion_id, s.tl_source_part, s.tl_source_row, s.feature, s.team, s.environment, s.cost_center,
    count(t.record) AS records, min(t.record) AS first_record
  FROM s LEFT JOIN tel t ON s.kind = 'token' AND t.day = s.day AND t.bill_type = s.token_type
    AND t.feature IS NOT DISTINCT FROM s.feature AND t.team IS NOT DISTINCT FROM s.team
    AND t.environment IS NOT DISTINCT FROM s.environment AND t.cost_center IS NOT DISTINCT FROM s.cost_center
    AND CASE s.method_code % 3 WHEN 1 THEN t.resource_id = s.resource_id AND t.model = s.model
                                 WHEN 2 THEN t.resource_id = s.resource_id AND t.model IS NULL
                                 WHEN 0 THEN t.resource_id IS NULL AND t.model = s.model END
  GROUP BY ALL
)
SELECT strftime(s.day, '%Y-%m-%d') AS day, s.file || ':' || s.line AS billing_row, s.meter, s.model, s.token_type,
  s.row_cost, s.amount, s.method_code, s.job, s.basis_tokens, s.basis_total, s.team, s.environment, s.cost_center,
  j.records AS telemetry_records, j.first_record AS first_telemetry_record
FROM s LEFT JOIN joined j ON j.tl_ingestion_id = s.tl_ingestion_id AND j.tl_source_part = s.tl_source_part AND j.tl_source_row = s.tl_source_row
  AND j.feature IS NOT DISTINCT FROM s.feature AND j.team IS NOT DISTINCT FROM s.team
  AND j.environment IS NOT DISTINCT FROM s.environment AND j.cost_center IS NOT DISTINCT FROM s.cost_center
ORDER BY s.amount DESC, billing_row
