-- chargeback: per month, currency and key (team, cost center...): direct cost by class, shared platform
-- and overhead, total. Shared cost landed on a feature goes to the feature's teams in proportion to the
-- feature's direct cost (/*TEAM_SPLIT*/). Unspread shared cost without the key is __shared__; anything
-- else without the key is __unallocated__. The lines of a month add up to its charges. Share is of the
-- month's gross cost (lines of the economics ledger with a positive cost; credits and other negative
-- amounts are in the totals and in negative_cost).
, team_split AS /*TEAM_SPLIT*/,
lines AS (
  SELECT month, currency, /*KEY*/ AS k, source, cost_class, cost FROM econ WHERE source <> 'shared'
  UNION ALL
  SELECT month, currency, /*KEY*/, 'shared', cost_class, cost FROM team_split
),
keyed AS (
  SELECT month, currency, coalesce(k, CASE WHEN source = 'unshared' THEN '__shared__' ELSE '__unallocated__' END) AS key, source, cost_class, cost
  FROM lines
)
SELECT strftime(month, '%Y-%m') AS month, currency, key,
  coalesce(sum(cost) FILTER (WHERE source <> 'shared' AND cost_class = 'token'), 0) AS token,
  coalesce(sum(cost) FILTER (WHERE source <> 'shared' AND cost_class = 'gpu'), 0) AS gpu,
  coalesce(sum(cost) FILTER (WHERE source <> 'shared' AND cost_class = 'platform'), 0) AS platform,
  coalesce(sum(cost) FILTER (WHERE source <> 'shared' AND cost_class = 'overhead'), 0) AS overhead,
  coalesce(sum(cost) FILTER (WHERE source <> 'shared' AND cost_class = 'other'), 0) AS other,
  coalesce(sum(cost) FILTER (WHERE source = 'shared' AND cost_class = 'platform'), 0) AS shared_platform,
  coalesce(sum(cost) FILTER (WHERE source = 'shared' AND cost_class = 'overhead'), 0) AS shared_overhead,
  coalesce(sum(cost) FILTER (WHERE source = 'shared' AND cost_class NOT IN ('platform', 'overhead')), 0) AS shared_other,
  sum(cost) AS total,
  round(100 * CAST(coalesce(sum(cost) FILTER (WHERE cost > 0), 0) AS DOUBLE)
    / nullif(CAST(sum(sum(cost) FILTER (WHERE cost > 0)) OVER (PARTITION BY month, currency) AS DOUBLE), 0), 4) AS share_pct,
  coalesce(sum(cost) FILTER (WHERE cost > 0), 0) AS gross_cost,
  coalesce(sum(cost) FILTER (WHERE cost < 0), 0) AS negative_cost
FROM keyed
GROUP BY month, currency, key
ORDER BY month, currency, key IN ('__shared__', '__unallocated__'), key = '__unallocated__', sum(cost) DESC, key
