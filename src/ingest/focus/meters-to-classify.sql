-- The meters of one ingestion that the current rules have not classified yet, plus every stored meter
-- classified by other rules (so a rules change re-classifies the whole ledger at the next ingest).
-- The meter key is a hash of exactly these facts, so any row of a key carries the facts of the key.
WITH new_keys AS (
  -- one row per new meter key: finding them reads one column; the facts are then read for those rows only
  SELECT tl_meter_key, min(rowid) AS rid
  FROM billing_rows
  WHERE tl_ingestion_id = /*ID*/ AND tl_meter_key NOT IN (SELECT meter_key FROM meters)
  GROUP BY tl_meter_key
)
SELECT
  b.tl_meter_key,
  coalesce(ServiceProviderName, ProviderName, HostProviderName) AS provider,
  ServiceName, ServiceCategory, ServiceSubcategory, x_SkuMeterCategory, x_SkuMeterSubcategory, x_SkuMeterName,
  SkuMeter, SkuPriceDetails, x_UsageType, PricingUnit, x_PricingUnitDescription,
  CAST(x_PricingBlockSize AS VARCHAR) AS x_PricingBlockSize, ConsumedUnit
FROM billing_rows b JOIN new_keys k ON b.rowid = k.rid
UNION ALL
SELECT meter_key, provider, ServiceName, ServiceCategory, ServiceSubcategory, x_SkuMeterCategory,
  x_SkuMeterSubcategory, x_SkuMeterName, SkuMeter, SkuPriceDetails, x_UsageType, PricingUnit,
  x_PricingUnitDescription, x_PricingBlockSize, ConsumedUnit
FROM meters
WHERE rules_digest <> /*DIGEST*/
