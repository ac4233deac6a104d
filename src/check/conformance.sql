-- Row-level conformance findings, one row per finding with its file and line: ListCost and ContractedCost
-- against unit price x PricingQuantity, EffectiveCost against BilledCost on usage without a commitment
-- discount, placeholder values in key columns, and quantities the normalizer could not resolve.
-- Tolerance: a cent, or 0.1% of the cost, whichever is larger.
WITH r AS (
  SELECT tl_source_file AS file, tl_source_row + 1 AS line, b.*,
    greatest(0.01, 0.001 * abs(CAST(ListCost AS DOUBLE))) AS tol_list,
    greatest(0.01, 0.001 * abs(CAST(ContractedCost AS DOUBLE))) AS tol_contracted,
    greatest(0.01, 0.001 * abs(CAST(BilledCost AS DOUBLE))) AS tol_billed,
    -- products as DOUBLE: DECIMAL(38,18) x DECIMAL(38,18) would need 36 decimals and overflow
    CAST(ListUnitPrice AS DOUBLE) * CAST(PricingQuantity AS DOUBLE) AS list_product,
    CAST(ContractedUnitPrice AS DOUBLE) * CAST(PricingQuantity AS DOUBLE) AS contracted_product
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
