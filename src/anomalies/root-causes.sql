-- anomalies, root causes: inside one cost series (currency, /*KEY*/ = value), the cost per value of each other
-- dimension on the anomaly's days and on its reference days (the same weekdays of the four weeks before
-- it), in one scan: one grouping set per dimension (/*SETS*/), named by /*DIMENSION*/.
WITH r AS (
  SELECT a.feature, a.team, a.model, a.token_type, c.ResourceName, c.x_SkuMeterName, a.day, a./*COST*/ AS cost
  FROM alloc_rows a JOIN alloc_charges c USING (charge_key)
  WHERE a.day BETWEEN /*FIRST*/ AND /*LAST*/ AND a.currency = /*CURRENCY*/ AND /*KEY*/ = /*VALUE*/ AND a.day IN (/*WINDOW*/, /*REFERENCE*/)
)
SELECT /*DIMENSION*/ AS dimension, /*VALUE_OF*/ AS value,
  CAST(coalesce(sum(cost) FILTER (WHERE day IN (/*WINDOW*/)), 0) AS VARCHAR) AS actual,
  CAST(coalesce(sum(cost) FILTER (WHERE day IN (/*REFERENCE*/)), 0) AS VARCHAR) AS reference
FROM r
GROUP BY GROUPING SETS (/*SETS*/)
