-- The earlier active ingestions a new bare file could overlap (overlap.sql): another scope sharing one of its
-- billing accounts and billing periods.
SELECT ingestion_id FROM ingestions
WHERE kind = 'focus' AND status <> 'replaced' AND scope_key <> /*SCOPE*/
  AND list_has_any(billing_account_ids, /*ACCOUNTS*/) AND list_has_any(billing_periods, /*PERIODS*/)
ORDER BY ingestion_id
