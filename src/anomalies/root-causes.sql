-- anomalies, root causes: inside each anomaly's cost series (currency, /*KEY*/ = value), the cost per value of
-- each other dimension on the anomaly's days (side 1) and on its reference days (side 0: the same weekdays of
-- the four weeks before it). Every anomaly of one dimension in one statement: /*Q*/ lists (idx, currency, value,
-- day, side).
-- 1. Resource and meter, which only a charge says: the allocation rows summed per anomaly and charge key (an
--    integer: a cheap hash), then named by alloc_charges, one grouping set per dimension (/*CHARGE_SETS*/).
--    /*ROWS*/ is alloc_rows a, joined to alloc_charges c when the anomaly's own key needs it.
-- 2. Feature, team, model and token type: from the daily allocation rollup (/*DAILY*/: alloc_daily a, the same
--    sums; alloc_rows joined to its charges when the key is resource or meter), one grouping set each (/*DAILY_SETS*/).
-- /*CHARGE_DIMENSION*/ and /*DAILY_DIMENSION*/ name each set's dimension, /*CHARGE_VALUE*/ and /*DAILY_VALUE*/ its value.
WITH q AS (/*Q*/),
by_charge AS (
  SELECT q.idx, a.charge_key, sum(a./*COST*/) FILTER (WHERE q.side = 1) AS c1, sum(a./*COST*/) FILTER (WHERE q.side = 0) AS c0
  FROM /*ROWS*/
  JOIN q ON a.day = q.day AND a.currency = q.currency AND /*KEY*/ = q.value
  WHERE a.day BETWEEN /*FIRST*/ AND /*LAST*/
  GROUP BY ALL
),
by_day AS (
  SELECT q.idx, a.feature, a.team, a.model, a.token_type, sum(a./*COST*/) FILTER (WHERE q.side = 1) AS c1,
    sum(a./*COST*/) FILTER (WHERE q.side = 0) AS c0
  FROM /*DAILY*/
  JOIN q ON a.day = q.day AND a.currency = q.currency AND /*KEY*/ = q.value
  WHERE a.day BETWEEN /*FIRST*/ AND /*LAST*/
  GROUP BY ALL
)
SELECT idx, /*CHARGE_DIMENSION*/ AS dimension, /*CHARGE_VALUE*/ AS value,
  CAST(coalesce(sum(c1), 0) AS VARCHAR) AS actual, CAST(coalesce(sum(c0), 0) AS VARCHAR) AS reference
FROM by_charge JOIN alloc_charges USING (charge_key)
GROUP BY GROUPING SETS (/*CHARGE_SETS*/)
UNION ALL
SELECT idx, /*DAILY_DIMENSION*/, /*DAILY_VALUE*/, CAST(coalesce(sum(c1), 0) AS VARCHAR), CAST(coalesce(sum(c0), 0) AS VARCHAR)
FROM by_day
GROUP BY GROUPING SETS (/*DAILY_SETS*/)
