-- prices: what the invoice itself says a token costs, per model, deployment type (scope-tier), token type and
-- currency over the period: the charges' cost in the report's basis and their tokens (negotiated discounts
-- included). The division is done exactly in TypeScript (domain/decimal.ts divideDecimals). Read from the daily rollup.
SELECT tl_model AS model,
  coalesce(tl_scope, 'unknown') || '-' || tl_tier AS deployment,
  tl_token_type AS token_type,
  BillingCurrency AS currency,
  CAST(sum(tl_tokens) AS VARCHAR) AS tokens,
  CAST(sum(/*COST*/) AS VARCHAR) AS cost,
  min(charge_day) AS first_day,
  max(charge_day) AS last_day
FROM charges_daily
WHERE tl_token_type IN ('input', 'cached_input', 'output') AND tl_model IS NOT NULL AND tl_tier IS NOT NULL AND /*WHERE*/
GROUP BY ALL
HAVING sum(tl_tokens) > 0
ORDER BY model, deployment, token_type, currency
