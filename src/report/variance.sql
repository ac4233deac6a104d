-- variance: the change in spend between two months (/*BASE*/ -> /*CUR*/), per unit type and currency,
-- split into volume (units), intensity (tokens per unit), rate (cost per token; for costs not metered in
-- tokens, cost per unit) and shared (shared cost landed on the unit). Token cost T = U x I x R is split
-- by the Shapley decomposition of the three factors (symmetric, no order bias):
--   volume    = dU (2 I0 R0 + I1 R0 + I0 R1 + 2 I1 R1) / 6
--   intensity = dI (2 U0 R0 + U1 R0 + U0 R1 + 2 U1 R1) / 6
--   rate      = dR (2 U0 I0 + U1 I0 + U0 I1 + 2 U1 I1) / 6
-- other direct cost D = U x d: volume dU (d0 + d1) / 2, rate dd (U0 + U1) / 2. A unit type missing in
-- one month: the whole change is volume. Every part is rounded to cents and rate takes the rounding, so
-- that in every row volume + intensity + rate + shared + outside = change, to the cent; cost outside any
-- unit type (features without units, unshared, unallocated) is "outside". The total row sums the rows.
, u AS (
  SELECT month, currency, unit,
    coalesce(sum(cost) FILTER (WHERE source = 'direct' AND kind = 'token'), 0) AS t,
    coalesce(sum(tokens) FILTER (WHERE source = 'direct' AND kind = 'token'), 0) AS k,
    coalesce(sum(cost) FILTER (WHERE source = 'direct' AND kind <> 'token'), 0) AS d,
    coalesce(sum(cost) FILTER (WHERE source = 'shared'), 0) AS s,
    sum(cost) AS total
  FROM unit_costs WHERE tl_split AND month IN (/*BASE*/, /*CUR*/) GROUP BY ALL
),
n AS (SELECT month, unit, CAST(sum(units) AS DOUBLE) AS units FROM ev WHERE month IN (/*BASE*/, /*CUR*/) GROUP BY ALL),
keys AS (SELECT DISTINCT currency, unit FROM u),
p AS (
  SELECT k.currency, k.unit,
    coalesce(n0.units, 0) AS u0, coalesce(n1.units, 0) AS u1,
    coalesce(a.t, 0) AS t0, coalesce(b.t, 0) AS t1, coalesce(a.k, 0) AS k0, coalesce(b.k, 0) AS k1,
    coalesce(a.d, 0) AS d0, coalesce(b.d, 0) AS d1, coalesce(a.s, 0) AS s0, coalesce(b.s, 0) AS s1,
    coalesce(a.total, 0) AS before, coalesce(b.total, 0) AS after
  FROM keys k
  LEFT JOIN u a ON a.currency = k.currency AND a.unit = k.unit AND a.month = /*BASE*/
  LEFT JOIN u b ON b.currency = k.currency AND b.unit = k.unit AND b.month = /*CUR*/
  LEFT JOIN n n0 ON n0.unit = k.unit AND n0.month = /*BASE*/
  LEFT JOIN n n1 ON n1.unit = k.unit AND n1.month = /*CUR*/
),
f AS (
  SELECT *,
    u0 > 0 AND u1 > 0 AND k0 > 0 AND k1 > 0 AS both_t, u0 > 0 AND u1 > 0 AS both_u,
    CASE WHEN u0 > 0 THEN k0 / u0 END AS i0, CASE WHEN u1 > 0 THEN k1 / u1 END AS i1,
    CASE WHEN k0 > 0 THEN CAST(t0 AS DOUBLE) / k0 END AS r0, CASE WHEN k1 > 0 THEN CAST(t1 AS DOUBLE) / k1 END AS r1,
    CASE WHEN u0 > 0 THEN CAST(d0 AS DOUBLE) / u0 END AS e0, CASE WHEN u1 > 0 THEN CAST(d1 AS DOUBLE) / u1 END AS e1
  FROM p
),
parts AS (
  SELECT *,
    -- a whole change that is volume is rounded as DECIMAL (exact halves), Shapley parts as DOUBLE
    CASE WHEN both_t THEN CAST(round((u1 - u0) * (2 * i0 * r0 + i1 * r0 + i0 * r1 + 2 * i1 * r1) / 6, 2) AS DECIMAL(38,2)) ELSE CAST(round(t1 - t0, 2) AS DECIMAL(38,2)) END
    + CASE WHEN both_u THEN CAST(round((u1 - u0) * (e0 + e1) / 2, 2) AS DECIMAL(38,2)) ELSE CAST(round(d1 - d0, 2) AS DECIMAL(38,2)) END AS volume,
    CAST(round(CASE WHEN both_t THEN (i1 - i0) * (2 * u0 * r0 + u1 * r0 + u0 * r1 + 2 * u1 * r1) / 6 ELSE 0 END, 2) AS DECIMAL(38,2)) AS intensity,
    CAST(round(s1 - s0, 2) AS DECIMAL(38,2)) AS shared,
    CAST(round(after - before, 2) AS DECIMAL(38,2)) AS change
  FROM f
),
unit_rows AS (
  SELECT currency, unit, u0 AS units_before, u1 AS units_after,
    i0 AS tokens_per_unit_before, i1 AS tokens_per_unit_after, r0 * 1e6 AS cost_per_1m_before, r1 * 1e6 AS cost_per_1m_after,
    before, after, change, volume, intensity, change - volume - intensity - shared AS rate, shared, CAST(0 AS DECIMAL(38,2)) AS outside
  FROM parts
),
totals AS (
  SELECT currency,
    coalesce(sum(cost) FILTER (WHERE month = /*BASE*/), 0) AS before,
    coalesce(sum(cost) FILTER (WHERE month = /*CUR*/), 0) AS after
  FROM econ WHERE month IN (/*BASE*/, /*CUR*/) GROUP BY ALL
),
outside_rows AS (
  SELECT t.currency, '(outside units)' AS unit,
    t.before - coalesce(sum(r.before), 0) AS before, t.after - coalesce(sum(r.after), 0) AS after,
    CAST(round(t.after - t.before, 2) AS DECIMAL(38,2)) - coalesce(sum(r.change), 0) AS change
  FROM totals t LEFT JOIN unit_rows r USING (currency) GROUP BY t.currency, t.before, t.after
),
all_rows AS (
  SELECT *, 0 AS ord FROM unit_rows
  UNION ALL BY NAME
  SELECT currency, unit, before, after, change, 0 AS volume, 0 AS intensity, 0 AS rate, 0 AS shared, change AS outside, 1 AS ord FROM outside_rows
)
SELECT * EXCLUDE (ord) FROM (
  SELECT * FROM all_rows
  UNION ALL BY NAME
  SELECT currency, 'TOTAL' AS unit, sum(before) AS before, sum(after) AS after,
    sum(change) AS change, sum(volume) AS volume, sum(intensity) AS intensity, sum(rate) AS rate, sum(shared) AS shared, sum(outside) AS outside, 2 AS ord
  FROM all_rows GROUP BY currency
) WHERE /*UNIT*/
ORDER BY currency, ord, unit
