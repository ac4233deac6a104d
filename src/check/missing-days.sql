-- Days without usage rows inside each billing period, up to the period's end (closed) or its latest data
-- day (open): a gap before the latest day means a lost or partial export.
WITH p AS (
  SELECT BillingAccountId AS account, CAST(BillingPeriodStart AS DATE) AS period_start, CAST(BillingPeriodEnd AS DATE) AS period_end,
    CAST(max(ChargePeriodEnd) FILTER (WHERE ChargeCategory = 'Usage') AS DATE) AS data_end,
    list(DISTINCT CAST(ChargePeriodStart AS DATE)) FILTER (WHERE ChargeCategory = 'Usage') AS days
  FROM billing_rows GROUP BY ALL
),
expected AS (
  SELECT account, period_start, CAST(d AS DATE) AS day, days
  FROM p, range(period_start, least(period_end, coalesce(data_end, period_start)), INTERVAL 1 DAY) r(d)
)
SELECT account, strftime(period_start, '%Y-%m') AS period, strftime(day, '%Y-%m-%d') AS day
FROM expected WHERE NOT list_contains(coalesce(days, []), day)
ORDER BY account, day
