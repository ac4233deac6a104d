-- The meters of one ingestion that the current rules have not classified yet, plus every stored meter
-- classified by other rules (so a rules change re-classifies the whole ledger at the next ingest).
-- The meter key is a hash of exactly these facts, so any_value() returns the facts of the key.
SELECT
  tl_meter_key,
  any_value(coalesce(ServiceProviderName, ProviderName, HostProviderName)) AS provider,
  any_value(ServiceName) AS ServiceName, any_value(ServiceCategory) AS ServiceCategory,
  any_value(ServiceSubcategory) AS ServiceSubcategory, any_value(x_SkuMeterCategory) AS x_SkuMeterCategory,
  any_value(x_SkuMeterSubcategory) AS x_SkuMeterSubcategory, any_value(x_SkuMeterName) AS x_SkuMeterName,
  any_value(SkuMeter) AS SkuMeter, any_value(SkuPriceDetails) AS SkuPriceDetails, any_value(x_UsageType) AS x_UsageType,
  any_value(PricingUnit) AS PricingUnit, any_value(x_PricingUnitDescription) AS x_PricingUnitDescription,
  any_value(CAST(x_PricingBlockSize AS VARCHAR)) AS x_PricingBlockSize, any_value(ConsumedUnit) AS ConsumedUnit
FROM billing_rows
WHERE tl_ingestion_id = $id AND tl_meter_key NOT IN (SELECT meter_key FROM meters)
GROUP BY tl_meter_key
UNION ALL
SELECT meter_key, provider, ServiceName, ServiceCategory, ServiceSubcategory, x_SkuMeterCategory,
  x_SkuMeterSubcategory, x_SkuMeterName, SkuMeter, SkuPriceDetails, x_UsageType, PricingUnit,
  x_PricingUnitDescription, x_PricingBlockSize, ConsumedUnit
FROM meters
WHERE rules_digest <> $digest
