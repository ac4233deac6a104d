-- What unit economics leaves out, per month and currency: cost of features in no unit type, shared cost
-- no rule spread, cost nobody could claim. Appended to the economics ledger (economics.sql).
, outside AS (
  SELECT month, currency, 'features without a unit type' AS what, string_agg(DISTINCT feature, ', ' ORDER BY feature) AS detail, sum(cost) AS cost
  FROM unit_costs WHERE NOT tl_split GROUP BY ALL
  UNION ALL
  SELECT month, currency, 'shared cost not spread (' || string_agg(DISTINCT cost_class, ', ' ORDER BY cost_class) || ')', string_agg(DISTINCT basis, '; ' ORDER BY basis), sum(cost)
  FROM econ WHERE source = 'unshared' GROUP BY ALL
  UNION ALL
  SELECT month, currency, 'unallocated', string_agg(DISTINCT basis, '; ' ORDER BY basis), sum(cost)
  FROM econ WHERE source = 'unallocated' GROUP BY ALL
)
SELECT strftime(month, '%Y-%m') AS month, currency, what, detail, cost FROM outside WHERE cost <> 0 ORDER BY month, currency, what
