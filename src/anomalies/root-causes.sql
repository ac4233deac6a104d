-- anomalies, root causes: inside each anomaly's cost series (currency, /*KEY*/ = value), the cost per value of
-- each other dimension on the anomaly's days (side 1) and on its reference days (side 0: the same weekdays of
-- the four weeks before it). Every anomaly of one dimension in one scan: /*Q*/ lists (idx, currency, value,
-- day, side), and there is one grouping set per anomaly and other dimension (/*SETS*/), named by /*DIMENSION*/.
WITH q(idx, currency, value, day, side) AS (VALUES /*Q*/),
r AS (
  SELECT q.idx, q.side, a.feature, a.team, a.model, a.token_type, c.ResourceName, c.x_SkuMeterName, a./*COST*/ AS cost
  FROM alloc_rows a JOIN alloc_charges c USING (charge_key)
  JOIN q ON a.day = q.day AND a.currency = q.currency AND /*KEY*/ = q.value
  WHERE a.day BETWEEN /*FIRST*/ AND /*LAST*/
)
SELECT idx, /*DIMENSION*/ AS dimension, /*VALUE_OF*/ AS value,
  CAST(coalesce(sum(cost) FILTER (WHERE side = 1), 0) AS VARCHAR) AS actual,
  CAST(coalesce(sum(cost) FILTER (WHERE side = 0), 0) AS VARCHAR) AS reference
FROM r
GROUP BY GROUPING SETS (/*SETS*/)
