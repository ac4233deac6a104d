-- Charges of a new bare file that are already in the ledger from another file: per earlier active ingestion
-- of another scope sharing a billing account and billing period, how many of the new ingestion's charge
-- identities (account, sub account, charge period, category, resource, meter, SKU, quantities, costs) it holds.
-- EARLIER: those ingestions (overlap-candidates.sql), found first: without any, the new rows are not hashed.
WITH earlier AS (
  SELECT ingestion_id, source, scope_key, CAST(ingested_at AS VARCHAR) AS ingested_at FROM ingestions
  WHERE list_contains(/*EARLIER*/, ingestion_id)
),
ident AS (
  SELECT tl_ingestion_id AS id, hash(BillingAccountId, SubAccountId, ChargePeriodStart, ChargePeriodEnd, ChargeCategory, ChargeClass,
    ResourceId, tl_meter_key, SkuId, SkuPriceId, ConsumedQuantity, PricingQuantity, BilledCost, EffectiveCost) AS k
  FROM billing_rows
  WHERE tl_ingestion_id = /*ID*/ OR tl_ingestion_id IN (SELECT ingestion_id FROM earlier)
),
fresh AS (SELECT DISTINCT k FROM ident WHERE id = /*ID*/)
SELECT e.ingestion_id, e.source, e.scope_key, e.ingested_at, count(DISTINCT i.k) AS shared, (SELECT count(*) FROM fresh) AS charges
FROM earlier e JOIN ident i ON i.id = e.ingestion_id JOIN fresh f ON f.k = i.k
GROUP BY ALL
ORDER BY shared DESC, e.ingested_at
