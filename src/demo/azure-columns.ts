/**
 * The column set of Microsoft Cost Management's "Cost and usage details (FOCUS)" export, version
 * 1.2-preview: 106 columns in the order Microsoft documents them (finops-toolkit open data,
 * FocusCost_1.2-preview.metadata.json). The demo writes exactly these columns.
 */
export const AZURE_FOCUS_1_2_PREVIEW_COLUMNS = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingAccountType', 'BillingCurrency',
  'BillingPeriodEnd', 'BillingPeriodStart', 'CapacityReservationId', 'CapacityReservationStatus',
  'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd',
  'ChargePeriodStart', 'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName',
  'CommitmentDiscountQuantity', 'CommitmentDiscountStatus', 'CommitmentDiscountType',
  'CommitmentDiscountUnit', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice',
  'EffectiveCost', 'InvoiceId', 'InvoiceIssuerName', 'ListCost', 'ListUnitPrice', 'PricingCategory',
  'PricingCurrency', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId',
  'RegionName', 'ResourceId', 'ResourceName', 'ResourceType', 'ServiceCategory', 'ServiceName',
  'ServiceSubcategory', 'SkuId', 'SkuMeter', 'SkuPriceDetails', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'SubAccountType', 'Tags', 'x_AccountId', 'x_AccountName', 'x_AccountOwnerId',
  'x_AmortizationClass', 'x_BilledCostInUsd', 'x_BilledUnitPrice', 'x_BillingAccountId',
  'x_BillingAccountName', 'x_BillingExchangeRate', 'x_BillingExchangeRateDate', 'x_BillingProfileId',
  'x_BillingProfileName', 'x_ContractedCostInUsd', 'x_CostAllocationRuleName', 'x_CostCenter',
  'x_CustomerId', 'x_CustomerName', 'x_EffectiveCostInUsd', 'x_EffectiveUnitPrice', 'x_InvoiceIssuerId',
  'x_InvoiceSectionId', 'x_InvoiceSectionName', 'x_ListCostInUsd', 'x_PartnerCreditApplied',
  'x_PartnerCreditRate', 'x_PricingBlockSize', 'x_PricingSubcategory', 'x_PricingUnitDescription',
  'x_PublisherCategory', 'x_PublisherId', 'x_ResellerId', 'x_ResellerName', 'x_ResourceGroupName',
  'x_ResourceType', 'x_ServiceModel', 'x_ServicePeriodEnd', 'x_ServicePeriodStart', 'x_SkuDescription',
  'x_SkuDetails', 'x_SkuIsCreditEligible', 'x_SkuMeterCategory', 'x_SkuMeterId', 'x_SkuMeterName',
  'x_SkuMeterSubcategory', 'x_SkuOfferId', 'x_SkuOrderId', 'x_SkuOrderName', 'x_SkuPartNumber',
  'x_SkuPlanName', 'x_SkuRegion', 'x_SkuServiceFamily', 'x_SkuTerm', 'x_SkuTier',
] as const;

export type AzureFocusColumn = (typeof AZURE_FOCUS_1_2_PREVIEW_COLUMNS)[number];
