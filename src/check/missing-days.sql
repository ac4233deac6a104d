-- Days without usage rows inside each billing period, up to the period's end (closed) or its latest data
-- day (open): a gap before the latest day means a lost or partial export. Read from the daily rollup.
WITH p AS (
  SELECT BillingAccountId AS account, CAST(BillingPeriodStart AS DATE) AS period_start, CAST(BillingPeriodEnd AS DATE) AS period_end,
    CAST(max(tl_last_charge_end) FILTER (WHERE ChargeCategory = 'Usage') AS DATE) AS data_end,
    list(DISTINCT charge_day) FILTER (WHERE ChargeCategory = 'Usage') AS days
  FROM charges_daily GROUP BY ALL
),
expected AS (
  SELECT account, period_start, CAST(d AS DATE) AS day, days
  FROM p, range(period_start, least(period_end, coalesce(data_end, period_start)), INTERVAL 1 DAY) r(d)
)
SELECT account, strftime(period_start, '%Y-%m') AS period, strftime(day, '%Y-%m-%d') AS day
FROM expected WHERE NOT list_contains(coalesce(days, []), day)
ORDER BY account, day
