-- summary: billed and effective totals per billing period and currency, and the AI share of spend.
-- AI share uses the report's cost basis. Rows of all charge categories count (usage, purchases, credits,
-- corrections), as on the invoice. Read from the daily rollup (store/rollup.ts): its sums are the rows'.
SELECT
  strftime(BillingPeriodStart, '%Y-%m') AS billing_period,
  BillingCurrency AS currency,
  sum(BilledCost) AS billed_cost,
  sum(EffectiveCost) AS effective_cost,
  sum(/*COST*/) FILTER (WHERE tl_is_ai) AS ai_cost,
  sum(/*COST*/) FILTER (WHERE tl_token_type IS NOT NULL) AS token_cost,
  sum(/*COST*/) FILTER (WHERE tl_unclassified) AS unclassified_cost,
  CASE WHEN sum(/*COST*/) <> 0
       THEN round(100 * CAST(coalesce(sum(/*COST*/) FILTER (WHERE tl_is_ai), 0) AS DOUBLE) / CAST(sum(/*COST*/) AS DOUBLE), 4) END AS ai_share_pct,
  -- corrections: rows of another charge period on the period's invoice (domain/figures.ts other_periods)
  sum(BilledCost) FILTER (WHERE date_trunc('month', charge_day) <> date_trunc('month', BillingPeriodStart)) AS corrections_billed,
  sum(BilledCost) FILTER (WHERE ChargeCategory = 'Credit') AS credits_billed,
  sum(tl_rows) AS charge_rows
FROM charges_daily
WHERE /*WHERE*/
GROUP BY ALL
ORDER BY billing_period, currency
