-- 016: charges_daily, the billing ledger summed per day at write time (store/rollup.ts keeps it in step, in the
-- transaction of every ingest, replacement and reclassification): headline reports and the data status read it
-- instead of scanning every billing row. One row per ingestion, billing account and period, charge day, currency,
-- enumerated FOCUS columns, subscription, region and meter; the meter's classification is kept with it.
-- Invariant (check: ledger.rollup): for every ingestion, its sums equal those of its rows in `charges`.
CREATE TABLE charges_daily (
  tl_ingestion_id VARCHAR NOT NULL,
  BillingAccountId VARCHAR, BillingPeriodStart TIMESTAMP, BillingPeriodEnd TIMESTAMP,
  charge_day DATE,                                 -- the day of ChargePeriodStart (UTC)
  BillingCurrency VARCHAR, ChargeCategory VARCHAR, ChargeClass VARCHAR, ChargeFrequency VARCHAR, PricingCategory VARCHAR,
  CommitmentDiscountCategory VARCHAR, CommitmentDiscountStatus VARCHAR, SubAccountId VARCHAR, RegionId VARCHAR, RegionName VARCHAR,
  tl_meter_key UBIGINT NOT NULL,
  ServiceProviderName VARCHAR, ProviderName VARCHAR, HostProviderName VARCHAR, ServiceName VARCHAR, ServiceCategory VARCHAR,
  ServiceSubcategory VARCHAR, x_SkuMeterCategory VARCHAR, x_SkuMeterSubcategory VARCHAR, x_SkuMeterName VARCHAR, SkuMeter VARCHAR,
  x_UsageType VARCHAR, ChargeDescription VARCHAR, ConsumedUnit VARCHAR, PricingUnit VARCHAR,
  tl_is_ai BOOLEAN, tl_unclassified BOOLEAN, tl_provider VARCHAR, tl_model VARCHAR, tl_model_version VARCHAR, tl_token_type VARCHAR,
  tl_tier VARCHAR, tl_scope VARCHAR, tl_rule VARCHAR, tl_block_size BIGINT, tl_quantity_convention VARCHAR,
  tl_rows BIGINT NOT NULL,                         -- billing rows summed
  tl_invoiced_rows BIGINT NOT NULL,                -- of which with an InvoiceId
  BilledCost DECIMAL(38,18), EffectiveCost DECIMAL(38,18), ListCost DECIMAL(38,18), ContractedCost DECIMAL(38,18),
  ConsumedQuantity DECIMAL(38,18), PricingQuantity DECIMAL(38,18),
  tl_tokens DECIMAL(38,6),
  tl_first_charge_start TIMESTAMP, tl_last_charge_end TIMESTAMP
);

-- a store written before this migration: its rows summed once (the same SELECT as store/charges-daily.sql)
INSERT INTO charges_daily BY NAME
SELECT tl_ingestion_id, BillingAccountId, BillingPeriodStart, BillingPeriodEnd, CAST(ChargePeriodStart AS DATE) AS charge_day,
  BillingCurrency, ChargeCategory, ChargeClass, ChargeFrequency, PricingCategory, CommitmentDiscountCategory, CommitmentDiscountStatus,
  SubAccountId, RegionId, RegionName, tl_meter_key, ServiceProviderName, ProviderName, HostProviderName, ServiceName, ServiceCategory,
  ServiceSubcategory, x_SkuMeterCategory, x_SkuMeterSubcategory, x_SkuMeterName, SkuMeter, x_UsageType, ChargeDescription, ConsumedUnit,
  PricingUnit, tl_is_ai, tl_unclassified, tl_provider, tl_model, tl_model_version, tl_token_type, tl_tier, tl_scope, tl_rule, tl_block_size,
  tl_quantity_convention,
  count(*) AS tl_rows, count(InvoiceId) AS tl_invoiced_rows,
  sum(BilledCost) AS BilledCost, sum(EffectiveCost) AS EffectiveCost, sum(ListCost) AS ListCost, sum(ContractedCost) AS ContractedCost,
  sum(ConsumedQuantity) AS ConsumedQuantity, sum(PricingQuantity) AS PricingQuantity, sum(tl_tokens) AS tl_tokens,
  min(ChargePeriodStart) AS tl_first_charge_start, max(ChargePeriodEnd) AS tl_last_charge_end
FROM charges
GROUP BY ALL;
