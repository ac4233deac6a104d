-- sensitivity: cost per unit before and after a change in response length, retries or model, from the
-- unit's measured token mix (tokens per unit by model and token type) and the rates it paid. Output
-- tokens scale with response length; every token type scales with retries (a retry is a whole call);
-- with a target model, every token is priced at that model's measured rate for its token type (cached
-- input and cache writes at its input rate when it has none). Other costs per unit stay as measured.
, mix AS (
  SELECT unit, currency, model, token_type, sum(cost) AS cost, sum(tokens) AS tokens
  FROM unit_costs WHERE tl_split AND source = 'direct' AND kind = 'token' AND unit IS NOT NULL AND /*UNIT*/
  GROUP BY ALL
),
target AS (
  SELECT currency, token_type, CAST(sum(cost) AS DOUBLE) / nullif(sum(tokens), 0) AS rate
  FROM am WHERE kind = 'token' AND model = /*MODEL*/ GROUP BY ALL
),
priced AS (
  SELECT m.*,
    m.tokens * (1 + /*RETRIES*/) * CASE WHEN m.token_type = 'output' THEN 1 + /*LENGTH*/ ELSE 1 END AS tokens_after,
    CASE WHEN /*MODEL*/ IS NULL THEN CAST(m.cost AS DOUBLE) / nullif(m.tokens, 0)
         ELSE coalesce(t.rate, ti.rate) END AS rate_after
  FROM mix m
  LEFT JOIN target t ON t.currency = m.currency AND t.token_type = m.token_type
  LEFT JOIN target ti ON ti.currency = m.currency AND ti.token_type = 'input' AND m.token_type IN ('cached_input', 'cache_write')
),
tok AS (
  SELECT unit, currency, sum(cost) AS token_before, -- each row's product is rounded to a DECIMAL before the sum, so the sum does not depend on the order
  -- DuckDB's parallel aggregation adds rows in (a DOUBLE sum's last bits do)
  sum(CAST(tokens_after * rate_after AS DECIMAL(38, 12))) AS token_after,
    count(*) FILTER (WHERE rate_after IS NULL AND tokens > 0) AS unpriced
  FROM priced GROUP BY ALL
),
alltot AS (SELECT unit, currency, sum(cost) AS total FROM unit_costs WHERE tl_split AND unit IS NOT NULL AND /*UNIT*/ GROUP BY ALL),
eu AS (SELECT unit, sum(units) AS units, sum(ok_units) AS ok_units FROM ev GROUP BY ALL)
SELECT a.unit, a.currency, e.units, e.ok_units,
  CAST(coalesce(t.token_before, 0) AS DOUBLE) / nullif(e.units, 0) AS token_per_unit_before,
  coalesce(t.token_after, 0) / nullif(e.units, 0) AS token_per_unit_after,
  CAST(a.total - coalesce(t.token_before, 0) AS DOUBLE) / nullif(e.units, 0) AS other_per_unit,
  CAST(a.total AS DOUBLE) / nullif(e.units, 0) AS cost_per_unit_before,
  (CAST(a.total - coalesce(t.token_before, 0) AS DOUBLE) + coalesce(t.token_after, 0)) / nullif(e.units, 0) AS cost_per_unit_after,
  round(100 * ((CAST(a.total - coalesce(t.token_before, 0) AS DOUBLE) + coalesce(t.token_after, 0)) / nullif(CAST(a.total AS DOUBLE), 0) - 1), 2) AS change_pct,
  CAST(a.total AS DOUBLE) / nullif(e.ok_units, 0) AS cost_per_success_before,
  (CAST(a.total - coalesce(t.token_before, 0) AS DOUBLE) + coalesce(t.token_after, 0)) / nullif(e.ok_units, 0) AS cost_per_success_after,
  coalesce(t.unpriced, 0) AS unpriced
FROM alltot a LEFT JOIN tok t USING (unit, currency) LEFT JOIN eu e USING (unit)
ORDER BY a.unit, a.currency
