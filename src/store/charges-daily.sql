-- The daily rollup of `charges` (what charges_daily stores, see rollup.ts): one row per ingestion, billing
-- account and period, charge day, currency, the enumerated FOCUS columns, subscription, region and meter (with
-- the meter's classification and facts, which depend on the meter key only), summing money, quantities and
-- derived tokens. Resources, tags and lineage are not kept: what needs them reads charges.
-- /*WHERE*/ picks the rows summed (an ingestion, meters, or everything).
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
WHERE /*WHERE*/
GROUP BY ALL
