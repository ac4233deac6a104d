-- Moves the rows of one file (its typed SELECT, substituted below) into billing_rows, joined with their meter classification, and
-- derives raw token counts without trusting one quantity convention:
--   1. ConsumedQuantity / PricingQuantity = block size: FOCUS convention, tokens = ConsumedQuantity.
--   2. unit price x PricingQuantity = cost: PricingQuantity is in blocks, tokens = PricingQuantity x block.
--   3. unit price x PricingQuantity / block = cost: PricingQuantity holds raw tokens.
--   4. unit price x ConsumedQuantity = cost: ConsumedQuantity is in blocks, tokens = ConsumedQuantity x block.
--   5. none holds: tokens = ConsumedQuantity, flagged QuantityConventionUnresolved.
-- The unit price / cost pair is the first with a non-zero cost among list, contracted, billed, effective.
-- Original quantities are never changed; each derivation is listed in tl_source_changes.
-- CSV rows get their row number afterwards, from their insertion order (number-rows.sql).
INSERT INTO billing_rows
WITH j AS (
  SELECT s.*, m.is_ai, m.unclassified, m.reason, m.model, m.model_version, m.token_type, m.tier, m.scope,
         m.rule_id, m.block_size,
         CASE WHEN m.token_type IS NOT NULL THEN CAST(s.ConsumedQuantity AS DOUBLE) END AS cq,
         CASE WHEN m.token_type IS NOT NULL THEN CAST(s.PricingQuantity AS DOUBLE) END AS pq,
         CASE WHEN m.token_type IS NULL THEN NULL
              WHEN coalesce(s.ListCost, 0) <> 0 AND s.ListUnitPrice IS NOT NULL THEN 1
              WHEN coalesce(s.ContractedCost, 0) <> 0 AND s.ContractedUnitPrice IS NOT NULL THEN 2
              WHEN coalesce(s.BilledCost, 0) <> 0 AND s.x_BilledUnitPrice IS NOT NULL THEN 3
              WHEN coalesce(s.EffectiveCost, 0) <> 0 AND s.x_EffectiveUnitPrice IS NOT NULL THEN 4
         END AS pair
  FROM (/*SOURCE*/) s LEFT JOIN tl_meter m ON s.tl_meter_key = m.meter_key
), k AS (
  SELECT *,
    CAST(CASE pair WHEN 1 THEN ListUnitPrice WHEN 2 THEN ContractedUnitPrice WHEN 3 THEN x_BilledUnitPrice WHEN 4 THEN x_EffectiveUnitPrice END AS DOUBLE) AS up,
    CAST(CASE pair WHEN 1 THEN ListCost WHEN 2 THEN ContractedCost WHEN 3 THEN BilledCost WHEN 4 THEN EffectiveCost END AS DOUBLE) AS uc
  FROM j
), k2 AS (
  SELECT *, greatest(0.005, 0.01 * abs(uc)) AS tol FROM k
), c AS (
  SELECT *,
    (cq IS NOT NULL AND pq IS NOT NULL AND pq <> 0 AND abs(cq / pq - block_size) <= 0.01 * block_size) AS ratio_ok,
    (up IS NOT NULL AND pq IS NOT NULL AND abs(up * pq - uc) <= tol) AS pq_blocks,
    (up IS NOT NULL AND pq IS NOT NULL AND block_size > 1 AND abs(up * pq / block_size - uc) <= tol) AS pq_tokens,
    (up IS NOT NULL AND cq IS NOT NULL AND block_size > 1 AND abs(up * cq - uc) <= tol) AS cq_blocks
  FROM k2
), d AS (
  SELECT *,
    CASE WHEN token_type IS NULL THEN NULL
         WHEN ratio_ok THEN 'focus'
         WHEN pq_blocks AND NOT pq_tokens THEN 'pq_blocks'
         WHEN pq_tokens AND NOT pq_blocks THEN 'pq_tokens'
         WHEN cq_blocks THEN 'cq_blocks'
         ELSE 'unresolved'
    END AS convention
  FROM c
)
SELECT
  tl_ingestion_id, tl_source_file, tl_source_part, tl_source_row, tl_ingested_at,
  /*TYPED_COLUMNS*/,
  "Tags", tl_extra_values,
  coalesce(is_ai, false), coalesce(unclassified, false), reason,
  coalesce(ServiceProviderName, ProviderName, HostProviderName),
  model, model_version, token_type, tier, scope, rule_id, block_size,
  CAST(CASE convention
         WHEN 'focus' THEN ConsumedQuantity
         WHEN 'pq_blocks' THEN PricingQuantity * block_size
         WHEN 'pq_tokens' THEN PricingQuantity
         WHEN 'cq_blocks' THEN ConsumedQuantity * block_size
         WHEN 'unresolved' THEN coalesce(ConsumedQuantity, PricingQuantity * block_size)
       END AS DECIMAL(38,6)),
  list_filter([
    tl_tags_fix,
    CASE WHEN convention = 'pq_blocks' THEN 'TokensFromPricingQuantity' END,
    CASE WHEN convention = 'pq_blocks' AND cq IS NOT NULL AND block_size > 1 AND abs(cq - pq) <= 1e-9 * greatest(1, abs(pq)) THEN 'ConsumedQuantityInPricingBlocks'
         WHEN convention = 'pq_blocks' AND cq IS NOT NULL AND abs(cq - pq * block_size) > 0.01 * greatest(1, abs(pq * block_size)) THEN 'ConsumedQuantityInconsistent' END,
    CASE WHEN convention = 'pq_tokens' THEN 'PricingQuantityInTokens' END,
    CASE WHEN convention = 'cq_blocks' THEN 'ConsumedQuantityInPricingBlocks' END,
    CASE WHEN convention = 'unresolved' THEN 'QuantityConventionUnresolved' END
  ], x -> x IS NOT NULL)
FROM d
