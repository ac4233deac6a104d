-- Pre-scan of one file (its typed SELECT, substituted below): the distinct meters, with the billing accounts,
-- periods and currencies they appear in and their row counts. Classification runs once per meter, and
-- replacement needs the accounts and periods, before a single row is written.
SELECT
  tl_meter_key,
  coalesce(ServiceProviderName, ProviderName, HostProviderName) AS provider,
  ServiceName, ServiceCategory, ServiceSubcategory, x_SkuMeterCategory, x_SkuMeterSubcategory,
  x_SkuMeterName, SkuMeter, SkuPriceDetails, x_UsageType, PricingUnit, x_PricingUnitDescription,
  CAST(x_PricingBlockSize AS VARCHAR) AS x_PricingBlockSize, ConsumedUnit,
  list(DISTINCT BillingAccountId) FILTER (WHERE BillingAccountId IS NOT NULL) AS accounts,
  list(DISTINCT strftime(BillingPeriodStart, '%Y-%m-%d')) AS periods,
  list(DISTINCT BillingCurrency) AS currencies,
  count(*) AS row_count
FROM (/*SOURCE*/)
GROUP BY ALL
