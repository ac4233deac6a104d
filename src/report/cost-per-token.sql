-- cost-per-token: tokens and cost of classified token charges, per model, token type, tier, scope and
-- currency (never summed across currencies), plus the optional --by dimensions. /*SOURCE*/ is the daily rollup
-- (charges_daily, whose sums are the rows') unless a --by needs the rows (resource); /*ROWS*/ counts rows in it.
SELECT
  /*BY_SELECT*/
  tl_provider AS provider,
  tl_model AS model,
  tl_model_version AS model_version,
  tl_token_type AS token_type,
  tl_tier AS tier,
  tl_scope AS scope,
  BillingCurrency AS currency,
  sum(tl_tokens) AS tokens,
  sum(/*COST*/) AS cost,
  CASE WHEN sum(tl_tokens) <> 0
       THEN round(CAST(sum(/*COST*/) AS DOUBLE) * 1000000 / CAST(sum(tl_tokens) AS DOUBLE), 6) END AS cost_per_1m_tokens,
  /*ROWS*/ AS charge_rows
FROM /*SOURCE*/
WHERE tl_token_type IS NOT NULL AND /*WHERE*/
GROUP BY ALL
ORDER BY currency, /*BY_ORDER*/ provider, model, model_version NULLS FIRST, token_type, tier, scope
