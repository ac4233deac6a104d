-- Row-level conformance findings, one row per finding with its file and line: ListCost and ContractedCost
-- against unit price x PricingQuantity, EffectiveCost against BilledCost on usage without a commitment
-- discount (prepaid drawdown rows excepted), placeholder values in key columns, and quantities the normalizer could not resolve.
-- Tolerance: a cent, or 0.1% of the cost, whichever is larger.
WITH r AS (
  SELECT tl_source_file AS file, tl_source_row + 1 AS line, b.*,
    greatest(0.01, 0.001 * abs(CAST(ListCost AS DOUBLE))) AS tol_list,
    greatest(0.01, 0.001 * abs(CAST(ContractedCost AS DOUBLE))) AS tol_contracted,
    greatest(0.01, 0.001 * abs(CAST(BilledCost AS DOUBLE))) AS tol_billed,
    -- products as DOUBLE: DECIMAL(38,18) x DECIMAL(38,18) would need 36 decimals and overflow
    CAST(ListUnitPrice AS DOUBLE) * CAST(PricingQuantity AS DOUBLE) AS list_product,
    CAST(ContractedUnitPrice AS DOUBLE) * CAST(PricingQuantity AS DOUBLE) AS contracted_product,
    -- a drawdown of prepaid funds (the FOCUS spec's SaaS examples): usage with BilledCost 0 and EffectiveCost
    -- above 0, either priced in a virtual currency (PricingCurrency "Token" billed in USD: the tokens were
    -- bought before) or covered by a prepaid purchase of the same account and currency (ChargeCategory
    -- Purchase, BilledCost above 0, EffectiveCost 0, its charge period spanning this one's)
    (b.ChargeCategory = 'Usage' AND b.BilledCost = 0 AND b.EffectiveCost > 0 AND (
      (b.PricingCurrency IS NOT NULL AND b.PricingCurrency <> b.BillingCurrency)
      OR EXISTS (SELECT 1 FROM billing_rows p WHERE p.ChargeCategory = 'Purchase' AND p.BilledCost > 0 AND p.EffectiveCost = 0
        AND p.BillingAccountId = b.BillingAccountId AND p.BillingCurrency = b.BillingCurrency
        AND p.ChargePeriodStart <= b.ChargePeriodStart AND p.ChargePeriodEnd >= b.ChargePeriodEnd))) AS tl_drawdown
  FROM charges b
)
SELECT 'conformance.list-cost' AS check_id, file, line,
  format('ListCost {} but ListUnitPrice {} x PricingQuantity {} = {}', ListCost, ListUnitPrice, PricingQuantity, list_product) AS detail
FROM r WHERE ListCost IS NOT NULL AND ListUnitPrice IS NOT NULL AND PricingQuantity IS NOT NULL
  AND abs(CAST(ListCost AS DOUBLE) - list_product) > tol_list
UNION ALL
SELECT 'conformance.contracted-cost', file, line,
  format('ContractedCost {} but ContractedUnitPrice {} x PricingQuantity {} = {}', ContractedCost, ContractedUnitPrice, PricingQuantity, contracted_product)
FROM r WHERE ContractedCost IS NOT NULL AND ContractedUnitPrice IS NOT NULL AND PricingQuantity IS NOT NULL
  AND abs(CAST(ContractedCost AS DOUBLE) - contracted_product) > tol_contracted
UNION ALL
SELECT 'conformance.effective-vs-billed', file, line, format('usage without a commitment discount: BilledCost {} but EffectiveCost {}', BilledCost, EffectiveCost)
FROM r WHERE ChargeCategory = 'Usage' AND CommitmentDiscountId IS NULL AND abs(CAST(EffectiveCost - BilledCost AS DOUBLE)) > tol_billed
  AND NOT r.tl_drawdown
UNION ALL
SELECT 'conformance.placeholders', file, line, format('{} is the placeholder {}', c.name, c.value)
FROM r, (SELECT unnest([
    {'name': 'BillingAccountId', 'value': r.BillingAccountId}, {'name': 'SubAccountId', 'value': r.SubAccountId},
    {'name': 'ResourceId', 'value': r.ResourceId}, {'name': 'RegionId', 'value': r.RegionId},
    {'name': 'ServiceName', 'value': r.ServiceName}, {'name': 'ChargeDescription', 'value': r.ChargeDescription}]) AS c)
WHERE lower(trim(c.value)) IN ('-2', '-1', 'unassigned', 'unknown', 'n/a', 'none', 'null')
UNION ALL
SELECT 'conformance.normalizer-flags', file, line, 'token quantity convention unresolved (ConsumedQuantity and prices disagree)'
FROM r WHERE list_contains(tl_source_changes, 'QuantityConventionUnresolved')
UNION ALL
SELECT 'info.prepaid-drawdown', file, line, format('prepaid drawdown: BilledCost {}, EffectiveCost {}', BilledCost, EffectiveCost)
FROM r WHERE ChargeCategory = 'Usage' AND CommitmentDiscountId IS NULL AND tl_drawdown
