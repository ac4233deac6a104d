-- unit-economics: per unit type, month and currency: units, successful units, tokens and cost per unit by
-- cost class, cost per unit and per successful unit. Appended to the economics ledger (economics.sql).
, uc AS (
  SELECT month, currency, unit,
    sum(cost) AS total_cost,
    coalesce(sum(cost) FILTER (WHERE cost_class = 'token'), 0) AS token_cost,
    coalesce(sum(cost) FILTER (WHERE cost_class = 'gpu'), 0) AS gpu_cost,
    coalesce(sum(cost) FILTER (WHERE cost_class = 'platform'), 0) AS platform_cost,
    coalesce(sum(cost) FILTER (WHERE cost_class = 'overhead'), 0) AS overhead_cost,
    coalesce(sum(cost) FILTER (WHERE cost_class = 'other'), 0) AS other_cost,
    coalesce(sum(cost) FILTER (WHERE source = 'shared'), 0) AS shared_cost,
    coalesce(sum(tokens) FILTER (WHERE kind = 'token' AND token_type IN ('input', 'cached_input', 'cache_write')), 0) AS input_tokens,
    coalesce(sum(tokens) FILTER (WHERE kind = 'token' AND token_type = 'output'), 0) AS output_tokens
  FROM unit_costs WHERE tl_split
  GROUP BY ALL
),
eu AS (SELECT month, unit, sum(units) AS units, sum(ok_units) AS ok_units, sum(records) AS records FROM ev GROUP BY ALL),
j AS (
  SELECT coalesce(uc.month, eu.month) AS month, uc.currency, coalesce(uc.unit, eu.unit) AS unit,
    coalesce(eu.units, 0) AS units, coalesce(eu.ok_units, 0) AS ok_units, coalesce(eu.records, 0) AS records, uc.* EXCLUDE (month, currency, unit)
  FROM uc FULL JOIN eu ON uc.month = eu.month AND uc.unit = eu.unit
)
SELECT strftime(month, '%Y-%m') AS month, unit, currency, units, ok_units,
  round(100.0 * ok_units / nullif(units, 0), 2) AS success_pct,
  round(input_tokens / nullif(units, 0), 1) AS input_tokens_per_unit,
  round(output_tokens / nullif(units, 0), 1) AS output_tokens_per_unit,
  round(output_tokens / nullif(records, 0), 1) AS output_tokens_per_event,
  CAST(token_cost AS DOUBLE) / nullif(units, 0) AS token_per_unit,
  CAST(gpu_cost AS DOUBLE) / nullif(units, 0) AS gpu_per_unit,
  CAST(platform_cost AS DOUBLE) / nullif(units, 0) AS platform_per_unit,
  CAST(overhead_cost AS DOUBLE) / nullif(units, 0) AS overhead_per_unit,
  CAST(other_cost AS DOUBLE) / nullif(units, 0) AS other_per_unit,
  CAST(total_cost AS DOUBLE) / nullif(units, 0) AS cost_per_unit,
  CAST(total_cost AS DOUBLE) / nullif(ok_units, 0) AS cost_per_success,
  total_cost, shared_cost
FROM j
WHERE /*UNIT*/
ORDER BY month, unit, currency
