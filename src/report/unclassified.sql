-- unclassified: AI-looking meters the rules could not classify, biggest first, so users can extend rules.
SELECT
  BillingCurrency AS currency,
  coalesce(tl_provider, '') AS provider,
  ServiceName AS service_name,
  x_SkuMeterSubcategory AS meter_subcategory,
  coalesce(x_SkuMeterName, SkuMeter, x_UsageType) AS meter_name,
  any_value(SkuPriceDetails) AS sku_price_details,
  any_value(coalesce(x_PricingUnitDescription, PricingUnit)) AS pricing_unit,
  tl_unclassified_reason AS reason,
  sum(/*COST*/) AS cost,
  count(*) AS charge_rows,
  min(tl_source_file || ':' || tl_source_row) AS example_row
FROM charges
WHERE tl_unclassified AND /*WHERE*/
GROUP BY ALL
ORDER BY abs(sum(/*COST*/)) DESC, meter_name
