-- ingestions: the ingestion log (ingested, replaced, skipped) with what each ingestion holds now.
SELECT
  strftime(e.event_time, '%Y-%m-%d %H:%M:%S') AS at,
  e.action,
  e.ingestion_id,
  coalesce('FOCUS ' || i.focus_version, i.format) AS format,
  e.source,
  e.row_count AS rows,
  i.status,
  array_to_string(CAST(i.billing_periods AS VARCHAR[]), ', ') AS billing_periods,
  i.scope_key,
  e.detail
FROM ingestion_events e
LEFT JOIN ingestions i USING (ingestion_id)
ORDER BY e.event_time, e.action
