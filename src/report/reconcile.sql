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
a AS (
  SELECT a.tl_ingestion_id, a.tl_source_part, a.tl_source_row,
    sum(a.billed_cost) FILTER (WHERE a.feature IS NOT NULL) AS allocated,
    sum(a.billed_cost) FILTER (WHERE a.feature IS NULL AND c.cost_class IN ('platform', 'overhead')) AS shared,
    sum(a.billed_cost) FILTER (WHERE a.feature IS NULL AND c.cost_class NOT IN ('platform', 'overhead')) AS unallocated
  FROM alloc_rows a
  -- only the shares of the period's rows: the period's rows are the join's build side, not the whole allocation
  SEMI JOIN b USING (tl_ingestion_id, tl_source_part, tl_source_row)
  JOIN (SELECT charge_key, /*CLASS*/ AS cost_class FROM alloc_charges) c USING (charge_key)
  GROUP BY ALL
)
SELECT invoice, bool_or(has_invoice_id) AS has_invoice_id, account, period, currency,
  sum(BilledCost) AS invoice_total,
  coalesce(sum(allocated), 0) AS allocated,
  coalesce(sum(shared), 0) AS shared,
  coalesce(sum(unallocated), 0) AS unallocated,
  sum(BilledCost) - coalesce(sum(allocated), 0) - coalesce(sum(shared), 0) - coalesce(sum(unallocated), 0) AS difference,
  coalesce(sum(BilledCost) FILTER (WHERE correction), 0) AS corrections,
  count(*) FILTER (WHERE correction) AS correction_rows,
  sum(EffectiveCost) AS effective_total,
  coalesce(sum(EffectiveCost - BilledCost) FILTER (WHERE ChargeCategory = 'Purchase'), 0) AS bridge_purchases,
  coalesce(sum(EffectiveCost - BilledCost) FILTER (WHERE ChargeCategory <> 'Purchase' AND CommitmentDiscountId IS NOT NULL), 0) AS bridge_commitment_usage,
  coalesce(sum(EffectiveCost - BilledCost) FILTER (WHERE ChargeCategory <> 'Purchase' AND CommitmentDiscountId IS NULL), 0) AS bridge_other
FROM b LEFT JOIN a USING (tl_ingestion_id, tl_source_part, tl_source_row)
GROUP BY invoice, account, period, currency
ORDER BY period, account, invoice, currency
