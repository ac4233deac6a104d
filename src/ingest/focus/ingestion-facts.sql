-- What one ingestion's rows cover, per part: billing accounts, periods, currencies, row counts. Read
-- from the rows just inserted (column scans of a few columns), not from the file again.
SELECT
  tl_source_part AS part,
  count(*) AS row_count,
  list(DISTINCT BillingAccountId) FILTER (WHERE BillingAccountId IS NOT NULL) AS accounts,
  list(DISTINCT strftime(BillingPeriodStart, '%Y-%m-%d')) AS periods,
  list(DISTINCT BillingCurrency) AS currencies
FROM billing_rows
WHERE tl_ingestion_id = /*ID*/
GROUP BY tl_source_part
ORDER BY tl_source_part
