-- The distinct meters of the staged rows: classification runs once per meter, not once per row.
SELECT DISTINCT
  tl_meter_key,
  coalesce(ServiceProviderName, ProviderName, HostProviderName) AS provider,
  ServiceName, ServiceCategory, ServiceSubcategory, x_SkuMeterCategory, x_SkuMeterSubcategory,
  x_SkuMeterName, SkuMeter, SkuPriceDetails, x_UsageType, PricingUnit, x_PricingUnitDescription,
  CAST(x_PricingBlockSize AS VARCHAR) AS x_PricingBlockSize, ConsumedUnit
FROM tl_stage
