-- estimate: telemetry tokens per day, feature, model and price type (prompt tokens without a cache split, cache writes
-- included, priced as uncached input), priced at the resolved price of the model on the deployment type the invoice bills
-- its resource on (else Global Standard, assumed). Days without token charges of the model are estimated; days with
-- them measure the estimate's accuracy against the billed cost of the same days and model. Telemetry of self-hosted
-- models (served from a compute resource) is left out: its cost is the VM's hours (report gpu), already billed.
-- The estimated days are read per feature from their records (/*EST_WHERE*/: only the days with telemetry and no billing
-- of some model, few); the accuracy per model from the daily rollup (telemetry_resource_daily), which has no feature.
WITH dt AS (SELECT * FROM /*DEPLOYMENT_TYPES*/),
agg AS (
  -- with its deployment type, the token types unpivoted after the sum
  SELECT 'records' AS part, CAST(t.ts AS DATE) AS day, coalesce(t.feature, '__unallocated__') AS feature, t.model,
    coalesce(dt.deployment_type, 'global-standard') AS deployment, dt.deployment_type IS NULL AS assumed,
    sum(CASE WHEN t.cache_split THEN t.input_tokens - t.cached_input_tokens ELSE t.input_tokens END) AS input,
    sum(CASE WHEN t.cache_split THEN t.cached_input_tokens ELSE 0 END) AS cached_input, sum(t.output_tokens) AS output
  FROM telemetry t LEFT JOIN dt ON dt.rid = lower(t.resource_id) AND dt.model = t.model
  -- self-hosted traffic (a compute resource: a GPU VM or a Kubernetes pool) is paid by the hour, not per token
  WHERE t.model IS NOT NULL AND NOT regexp_matches(coalesce(t.resource_id, ''), '/providers/microsoft\.(compute|containerservice)/', 'i')
    AND /*EST_WHERE*/
  GROUP BY ALL
  UNION ALL
  SELECT 'rollup', r.day, NULL, r.model, coalesce(dt.deployment_type, 'global-standard'), dt.deployment_type IS NULL,
    sum(CASE WHEN r.cache_split THEN r.input_tokens - r.cached_input_tokens ELSE r.input_tokens END),
    sum(CASE WHEN r.cache_split THEN r.cached_input_tokens ELSE 0 END), sum(r.output_tokens)
  FROM telemetry_resource_daily r LEFT JOIN dt ON dt.rid = lower(r.resource_id) AND dt.model = r.model
  WHERE r.model IS NOT NULL AND NOT regexp_matches(coalesce(r.resource_id, ''), '/providers/microsoft\.(compute|containerservice)/', 'i')
    AND /*TEL_WHERE*/
  GROUP BY ALL
),
tel AS (
  SELECT part, day, feature, model, deployment, assumed, price_type, tokens
  FROM agg UNPIVOT (tokens FOR price_type IN (input, cached_input, output))
  WHERE tokens <> 0
),
billed AS (SELECT * FROM /*BILLED*/),
priced AS (
  SELECT tel.*, p.currency, p.origin, p.entry,
    CAST(tel.tokens * p.per_million * CAST(0.000001 AS DECIMAL(38,6)) AS DECIMAL(38,18)) AS est,
    bd.day IS NOT NULL AS is_billed
  FROM tel
  LEFT JOIN (SELECT DISTINCT day, model FROM billed) bd ON bd.day = tel.day AND bd.model = tel.model
  LEFT JOIN /*PRICES*/ p ON p.model = tel.model AND p.deployment = tel.deployment AND p.token_type = tel.price_type
),
acc AS (
  SELECT model, currency, sum(est) AS est, count(DISTINCT day) AS days, sum(tokens) AS tokens, bool_or(est IS NULL) AS unpriced
  FROM priced WHERE is_billed AND part = 'rollup' GROUP BY model, currency
),
acc_billed AS (
  SELECT b.model, b.currency, sum(b.cost) AS cost
  FROM billed b SEMI JOIN (SELECT DISTINCT day, model FROM priced WHERE is_billed AND part = 'rollup') d ON d.day = b.day AND d.model = b.model
  GROUP BY ALL
)
SELECT 'estimated' AS status, feature, model, string_agg(DISTINCT deployment || CASE WHEN assumed THEN ' (assumed)' ELSE '' END, ', '
    ORDER BY deployment || CASE WHEN assumed THEN ' (assumed)' ELSE '' END) AS deployment,
  CAST(min(day) AS VARCHAR) AS first_day, CAST(max(day) AS VARCHAR) AS last_day, count(DISTINCT day) AS days, sum(tokens) AS tokens, currency,
  sum(est) AS estimated_cost, NULL::DECIMAL(38,18) AS billed_cost, NULL::DOUBLE AS error_pct,
  string_agg(DISTINCT coalesce(CASE WHEN origin = 'invoice' THEN 'invoice' ELSE entry END, 'no price'), ', '
    ORDER BY coalesce(CASE WHEN origin = 'invoice' THEN 'invoice' ELSE entry END, 'no price')) AS price_from, bool_or(est IS NULL) AS unpriced
FROM priced WHERE NOT is_billed AND part = 'records'
GROUP BY feature, model, currency
UNION ALL
-- the same estimate per day and currency (the report's meta estimated_days: the overview's daily chart plots them)
SELECT 'day', NULL, NULL, NULL, CAST(day AS VARCHAR), CAST(day AS VARCHAR), 1, sum(tokens), currency, sum(est), NULL, NULL, NULL,
  bool_or(est IS NULL)
FROM priced WHERE NOT is_billed AND part = 'records'
GROUP BY day, currency
UNION ALL
SELECT 'accuracy', NULL, a.model, NULL, NULL, NULL, a.days, a.tokens, coalesce(a.currency, b.currency), a.est, b.cost,
  CASE WHEN b.cost <> 0 AND a.est IS NOT NULL THEN round(100 * CAST(a.est - b.cost AS DOUBLE) / CAST(b.cost AS DOUBLE), 2) END,
  NULL, a.unpriced
FROM acc a LEFT JOIN acc_billed b ON b.model = a.model AND b.currency IS NOT DISTINCT FROM coalesce(a.currency, b.currency)
ORDER BY status DESC, feature NULLS LAST, model, first_day
