-- reconcile: per invoice (InvoiceId, else billing account + billing period) and currency, for billing
-- periods starting in the month: the invoice total (BilledCost) = allocated to a feature + shared pools
-- (platform / overhead no feature claims; spread by sharing rules in unit economics) + unallocated, to the
-- last digit; corrections of earlier periods apart; and the bridge from BilledCost to EffectiveCost.
WITH b AS (
  SELECT tl_ingestion_id, tl_source_part, tl_source_row, coalesce(InvoiceId, BillingAccountId || ' ' || strftime(BillingPeriodStart, '%Y-%m')) AS invoice,
    InvoiceId IS NOT NULL AS has_invoice_id, BillingAccountId AS account, strftime(BillingPeriodStart, '%Y-%m') AS period, BillingCurrency AS currency,
    BilledCost, EffectiveCost, ChargeCategory, ChargeClass, CommitmentDiscountId,
    -- corrections: rows of another charge period on this invoice (domain/figures.ts other_periods)
    date_trunc('month', ChargePeriodStart) <> date_trunc('month', BillingPeriodStart) AS correction
  FROM billing_rows
  WHERE BillingPeriodStart >= /*FROM*/ AND BillingPeriodStart < /*TO*/
),
-- the allocation of the period's rows summed per invoice as it is joined (the period's rows are the join's build side),
-- not per billing row and then joined again: a year store has 85k rows in a month and a million shares of them
a AS (
  SELECT b.invoice, b.account, b.period, b.currency,
    sum(a.billed_cost) FILTER (WHERE a.feature IS NOT NULL) AS allocated,
    sum(a.billed_cost) FILTER (WHERE a.feature IS NULL AND c.cost_class IN ('platform', 'overhead')) AS shared,
    sum(a.billed_cost) FILTER (WHERE a.feature IS NULL AND c.cost_class NOT IN ('platform', 'overhead')) AS unallocated
  FROM alloc_rows a
  JOIN b USING (tl_ingestion_id, tl_source_part, tl_source_row)
  JOIN (SELECT charge_key, /*CLASS*/ AS cost_class FROM alloc_charges) c USING (charge_key)
  GROUP BY ALL
),
inv AS (
  SELECT invoice, bool_or(has_invoice_id) AS has_invoice_id, account, period, currency,
    sum(BilledCost) AS invoice_total,
    coalesce(sum(BilledCost) FILTER (WHERE correction), 0) AS corrections,
    count(*) FILTER (WHERE correction) AS correction_rows,
    sum(EffectiveCost) AS effective_total,
    coalesce(sum(EffectiveCost - BilledCost) FILTER (WHERE ChargeCategory = 'Purchase'), 0) AS bridge_purchases,
    coalesce(sum(EffectiveCost - BilledCost) FILTER (WHERE ChargeCategory <> 'Purchase' AND CommitmentDiscountId IS NOT NULL), 0) AS bridge_commitment_usage,
    coalesce(sum(EffectiveCost - BilledCost) FILTER (WHERE ChargeCategory <> 'Purchase' AND CommitmentDiscountId IS NULL), 0) AS bridge_other
  FROM b
  GROUP BY invoice, account, period, currency
)
SELECT i.invoice, i.has_invoice_id, i.account, i.period, i.currency, i.invoice_total,
  coalesce(a.allocated, 0) AS allocated,
  coalesce(a.shared, 0) AS shared,
  coalesce(a.unallocated, 0) AS unallocated,
  i.invoice_total - coalesce(a.allocated, 0) - coalesce(a.shared, 0) - coalesce(a.unallocated, 0) AS difference,
  i.corrections, i.correction_rows, i.effective_total, i.bridge_purchases, i.bridge_commitment_usage, i.bridge_other
-- an invoice key may be NULL (no InvoiceId and no account): matched as equal, as GROUP BY does
FROM inv i LEFT JOIN a ON a.invoice IS NOT DISTINCT FROM i.invoice AND a.account IS NOT DISTINCT FROM i.account
  AND a.period IS NOT DISTINCT FROM i.period AND a.currency IS NOT DISTINCT FROM i.currency
ORDER BY i.period, i.account, i.invoice, i.currency
