-- Recency and period status per billing account and billing period: the latest charge day, whether the
-- period is closed (an invoice id on its rows, or past its end by /*CLOSE_DAYS*/ days) and whether the
-- latest data of an open period is older than /*STALE_DAYS*/ days. Today is /*TODAY*/. Read from the daily rollup.
WITH p AS (
  SELECT BillingAccountId AS account, BillingCurrency AS currency, CAST(BillingPeriodStart AS DATE) AS period_start,
    CAST(BillingPeriodEnd AS DATE) AS period_end,
    CAST(max(tl_last_charge_end) FILTER (WHERE ChargeCategory = 'Usage') AS DATE) AS data_end,
    sum(tl_invoiced_rows) > 0 AS invoiced
  FROM charges_daily
  GROUP BY ALL
)
SELECT account, currency, strftime(period_start, '%Y-%m-%d') AS period_start, strftime(period_end, '%Y-%m-%d') AS period_end,
  strftime(data_end, '%Y-%m-%d') AS data_end,
  invoiced OR /*TODAY*/ >= period_end + /*CLOSE_DAYS*/ AS closed,
  invoiced,
  NOT (invoiced OR /*TODAY*/ >= period_end + /*CLOSE_DAYS*/) AND coalesce(data_end, period_start) < period_end
    AND coalesce(data_end, period_start) < /*TODAY*/ - /*STALE_DAYS*/ AS stale
FROM p
ORDER BY account, period_start, currency
