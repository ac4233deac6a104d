-- driver: per month, currency and unit type, what the driver-based forecast multiplies: units, token cost
-- (t), allocated tokens (k), other direct cost (d) and shared cost (s) landed on the unit type
-- (unit_costs of the economics ledger, whose WITH clause precedes this SELECT).
, du AS (
  SELECT month, currency, unit,
    coalesce(sum(cost) FILTER (WHERE source = 'direct' AND kind = 'token'), 0) AS t,
    coalesce(sum(tokens) FILTER (WHERE source = 'direct' AND kind = 'token'), 0) AS k,
    coalesce(sum(cost) FILTER (WHERE source = 'direct' AND kind <> 'token'), 0) AS d,
    coalesce(sum(cost) FILTER (WHERE source = 'shared'), 0) AS s
  FROM unit_costs WHERE tl_split GROUP BY ALL
),
dn AS (SELECT month, unit, sum(units) AS units FROM ev GROUP BY ALL)
SELECT strftime(du.month, '%Y-%m') AS month, du.currency, du.unit, CAST(dn.units AS DOUBLE) AS units,
  CAST(du.t AS DOUBLE) AS t, CAST(du.k AS DOUBLE) AS k, CAST(du.d AS DOUBLE) AS d, CAST(du.s AS DOUBLE) AS s
FROM du JOIN dn USING (month, unit)
ORDER BY du.unit, du.currency, du.month
