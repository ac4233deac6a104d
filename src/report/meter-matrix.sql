-- meter-matrix: meter category > subcategory > meter, with cost, consumed quantity and unit cost, per
-- currency, with subtotal rows (level 1 category, 2 subcategory, 3 meter). Azure's x_SkuMeter* columns
-- when present, else FOCUS ServiceName / ServiceSubcategory / SkuMeter. Read from the daily rollup (store/rollup.ts).
WITH m AS (
  SELECT
    BillingCurrency AS currency,
    coalesce(x_SkuMeterCategory, ServiceName, '(none)') AS meter_category,
    coalesce(x_SkuMeterSubcategory, ServiceSubcategory, '(none)') AS meter_subcategory,
    coalesce(x_SkuMeterName, SkuMeter, x_UsageType, ChargeDescription, '(none)') AS meter_name,
    ConsumedUnit,
    ConsumedQuantity,
    tl_rows,
    /*COST*/ AS cost
  FROM charges_daily
  WHERE /*WHERE*/
)
SELECT
  currency,
  CASE WHEN GROUPING(meter_subcategory) = 1 THEN 1 WHEN GROUPING(meter_name) = 1 THEN 2 ELSE 3 END AS level,
  meter_category,
  CASE WHEN GROUPING(meter_subcategory) = 0 THEN meter_subcategory END AS meter_subcategory,
  CASE WHEN GROUPING(meter_name) = 0 THEN meter_name END AS meter_name,
  CASE WHEN GROUPING(meter_name) = 0 THEN CASE WHEN count(DISTINCT ConsumedUnit) > 1 THEN '(mixed)' ELSE any_value(ConsumedUnit) END END AS consumed_unit,
  sum(cost) AS cost,
  CASE WHEN GROUPING(meter_name) = 0 THEN sum(ConsumedQuantity) END AS consumed_quantity,
  CASE WHEN GROUPING(meter_name) = 0 AND count(DISTINCT ConsumedUnit) <= 1 AND sum(ConsumedQuantity) <> 0
       -- a rate, rounded to 15 decimals and kept as a decimal: JSON and CSV carry no float noise (0.00001, not
       -- 0.000009999999999999999); per consumed unit as the export counts it (ConsumedUnit says which)
       THEN CAST(round(CAST(sum(cost) AS DOUBLE) / CAST(sum(ConsumedQuantity) AS DOUBLE), 15) AS DECIMAL(38,15)) END AS unit_cost,
  sum(tl_rows) AS charge_rows
FROM m
GROUP BY GROUPING SETS ((currency, meter_category), (currency, meter_category, meter_subcategory), (currency, meter_category, meter_subcategory, meter_name))
ORDER BY currency, meter_category, meter_subcategory NULLS FIRST, meter_name NULLS FIRST
