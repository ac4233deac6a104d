-- The headline figures per month and currency (domain/figures.ts), appended to the economics ledger of the
-- same months. /*WHERE_BILLING*/ and /*WHERE_CHARGE*/ place rows in the months by billing period and by
-- charge period; /*COST*/ is the cost basis column; /*SCOPE*/ the Ledger's scope on allocation dimensions
-- (true without one). Under a scope, billing_rows are the scope's shares of each row, so the month's
-- charges hold the shared pools of the scope's own resources (which sharing rules spread to others) and
-- not what the rules spread to it: shared_net moves the one out and the other in, so that spend is the
-- scope's spend, the sum of its split. Without a scope shared_net is 0 (every pool is spread or kept).
-- The invoice side reads the daily rollup (charges_daily: its sums are the rows', under a scope too).
, fig_rows AS (
  SELECT BillingCurrency AS currency, BilledCost, /*COST*/ AS cost,
    CAST(date_trunc('month', BillingPeriodStart) AS DATE) AS billing_month, CAST(date_trunc('month', charge_day) AS DATE) AS charge_month,
    /*WHERE_BILLING*/ AS in_billing, /*WHERE_CHARGE*/ AS in_charge
  FROM charges_daily WHERE /*WHERE_BILLING*/ OR /*WHERE_CHARGE*/
),
fig_invoice AS (
  SELECT billing_month AS month, currency, sum(BilledCost) AS invoice_total,
    coalesce(sum(BilledCost) FILTER (WHERE charge_month <> billing_month), 0) AS other_periods
  FROM fig_rows WHERE in_billing GROUP BY ALL
),
fig_month AS (
  SELECT charge_month AS month, currency, sum(BilledCost) AS billed_charges, sum(cost) AS spend,
    coalesce(sum(BilledCost) FILTER (WHERE charge_month <> billing_month), 0) AS other_invoices
  FROM fig_rows WHERE in_charge GROUP BY ALL
),
fig_stage AS (
  SELECT month, currency,
    sum(cost) FILTER (WHERE source = 'direct') AS allocated,
    sum(cost) FILTER (WHERE source = 'shared') AS shared_spread,
    sum(cost) FILTER (WHERE source = 'unshared') AS shared_unspread,
    sum(cost) FILTER (WHERE source = 'unallocated') AS unallocated,
    sum(cost) FILTER (WHERE source = 'unallocated' AND basis = 'no telemetry') AS unallocated_no_telemetry,
    sum(cost) FILTER (WHERE source = 'unallocated' AND basis = 'telemetry without a feature') AS unallocated_no_feature,
    sum(cost) FILTER (WHERE source = 'unallocated' AND basis = 'untagged') AS unallocated_untagged,
    sum(cost) FILTER (WHERE source = 'unallocated' AND basis = 'tags without a feature') AS unallocated_tags_no_feature
  FROM econ GROUP BY ALL
),
fig_shared AS (
  SELECT month, currency, sum(cost) AS moved FROM (
    SELECT month, currency, cost FROM econ WHERE source = 'shared' OR (source = 'unshared' AND rule IS NOT NULL)
    UNION ALL
    SELECT month, currency, -cost FROM am WHERE feature IS NULL AND share_rule IS NOT NULL AND /*SCOPE*/
  ) GROUP BY ALL
),
fig_units AS (SELECT month, currency, sum(cost) AS no_unit_type FROM unit_costs WHERE NOT tl_split GROUP BY ALL),
fig_keys AS (SELECT month, currency FROM fig_invoice UNION SELECT month, currency FROM fig_month UNION SELECT month, currency FROM fig_stage)
SELECT strftime(c.month, '%Y-%m') AS month, c.currency,
  coalesce(i.invoice_total, 0) AS invoice_total, coalesce(i.other_periods, 0) AS other_periods,
  coalesce(m.other_invoices, 0) AS other_invoices, coalesce(m.billed_charges, 0) AS billed_charges,
  coalesce(m.spend, 0) - coalesce(m.billed_charges, 0) AS amortization, coalesce(sh.moved, 0) AS shared_net,
  coalesce(m.spend, 0) + coalesce(sh.moved, 0) AS spend,
  coalesce(s.allocated, 0) AS allocated, coalesce(s.shared_spread, 0) AS shared_spread, coalesce(s.shared_unspread, 0) AS shared_unspread,
  coalesce(s.unallocated, 0) AS unallocated, coalesce(s.unallocated_no_telemetry, 0) AS unallocated_no_telemetry,
  coalesce(s.unallocated_no_feature, 0) AS unallocated_no_feature, coalesce(s.unallocated_untagged, 0) AS unallocated_untagged,
  coalesce(s.unallocated_tags_no_feature, 0) AS unallocated_tags_no_feature, coalesce(u.no_unit_type, 0) AS no_unit_type
FROM fig_keys c LEFT JOIN fig_invoice i USING (month, currency) LEFT JOIN fig_month m USING (month, currency)
  LEFT JOIN fig_stage s USING (month, currency) LEFT JOIN fig_units u USING (month, currency)
  LEFT JOIN fig_shared sh USING (month, currency)
ORDER BY c.month, c.currency
