-- What one staged ingestion covers: billing accounts, billing periods and currencies, and rows per part.
SELECT
  list(DISTINCT BillingAccountId ORDER BY BillingAccountId) FILTER (WHERE BillingAccountId IS NOT NULL) AS accounts,
  list(DISTINCT strftime(BillingPeriodStart, '%Y-%m-%d') ORDER BY strftime(BillingPeriodStart, '%Y-%m-%d')) AS periods,
  list(DISTINCT BillingCurrency ORDER BY BillingCurrency) AS currencies,
  count(*) AS row_count
FROM tl_stage
