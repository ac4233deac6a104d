-- shared-costs: every shared pool of the period and where it went: per month, currency, rule and class,
-- each receiving feature with its amount and the basis numbers used; pools no rule spread stay visible.
SELECT * FROM (
  SELECT strftime(month, '%Y-%m') AS month, currency, coalesce(rule, '(no rule)') AS rule_name, cost_class,
    coalesce(feature, CASE WHEN source = 'unshared' THEN '__shared__' ELSE '__unallocated__' END) AS feature_key,
    sum(cost) AS cost, basis
  FROM econ
  WHERE source IN ('shared', 'unshared')
  GROUP BY ALL
)
ORDER BY month, currency, rule_name = '(no rule)', rule_name, cost_class, feature_key = '__shared__', cost DESC, feature_key
