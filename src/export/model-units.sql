-- fact_unit_costs in one cost basis (export model runs it for effective and for billed): unit_costs of
-- the economics ledger (economics.sql), each row's cost further split over the teams of its feature, per
-- month, currency, unit type, feature, team, cost class and source (direct / shared). Appended to the
-- economics WITH clause. The team split is exact: a team's share of a unit row is the team's part of the
-- feature's cost (the same month, currency, class, source, kind, model and token type), taken whole when the
-- unit type has the whole feature, else rounded at 9 decimals with the largest team taking the remainder,
-- so the teams of a unit row add up to it to the last digit and the unit totals equal report unit-economics.
-- Shared cost has no team (NULL): chargeback gives it to teams by their direct cost of the feature.
, mu_rows AS (SELECT row_number() OVER () AS mu_id, * FROM unit_costs WHERE tl_split),
mu_team AS (
  SELECT month, currency, feature, cost_class, source, kind, model, token_type, team, sum(cost) AS team_cost, sum(tokens) AS team_tokens
  FROM econ WHERE feature IS NOT NULL GROUP BY ALL
),
mu_j AS (
  SELECT u.mu_id, u.month, u.currency, u.unit, u.feature, u.cost_class, u.source, u.kind, u.token_type, t.team,
    u.cost AS unit_cost, t.team_cost, sum(t.team_cost) OVER (PARTITION BY u.mu_id) AS pool_cost,
    u.tokens AS unit_tokens, t.team_tokens, sum(t.team_tokens) OVER (PARTITION BY u.mu_id) AS pool_tokens,
    row_number() OVER (PARTITION BY u.mu_id ORDER BY abs(t.team_cost) DESC, t.team NULLS LAST) AS rk
  FROM mu_rows u JOIN mu_team t
    ON t.month = u.month AND t.currency IS NOT DISTINCT FROM u.currency AND t.feature = u.feature
   AND t.cost_class IS NOT DISTINCT FROM u.cost_class AND t.source = u.source AND t.kind IS NOT DISTINCT FROM u.kind
   AND t.model IS NOT DISTINCT FROM u.model AND t.token_type IS NOT DISTINCT FROM u.token_type
),
mu_a AS (
  SELECT *, CASE WHEN unit_cost = pool_cost THEN team_cost
                 ELSE CAST(round(CAST(team_cost AS DOUBLE) * CAST(unit_cost AS DOUBLE) / CAST(pool_cost AS DOUBLE), 9) AS DECIMAL(38,18)) END AS approx
  FROM mu_j
),
mu_c AS (
  SELECT *, CASE WHEN rk = 1 THEN unit_cost - (sum(approx) OVER (PARTITION BY mu_id) - approx) ELSE approx END AS cost,
    CASE WHEN pool_tokens <> 0 THEN unit_tokens * team_tokens / pool_tokens ELSE 0 END AS tokens
  FROM mu_a
)
SELECT strftime(month, '%Y-%m') AS month, currency, unit, feature, team, cost_class, source,
  sum(cost) AS cost,
  coalesce(sum(tokens) FILTER (WHERE kind = 'token' AND token_type IN ('input', 'cached_input', 'cache_write')), 0) AS input_tokens,
  coalesce(sum(tokens) FILTER (WHERE kind = 'token' AND token_type = 'output'), 0) AS output_tokens
FROM mu_c GROUP BY ALL
