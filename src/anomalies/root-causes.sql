-- anomalies, root causes: inside one cost series (currency, /*KEY*/ = value), the cost per value of another
-- dimension (/*OTHER_KEY*/) on the anomaly's days and on its reference days (the same weekdays of the four
-- weeks before it). One SELECT per other dimension, joined with UNION ALL by the caller.
SELECT /*DIMENSION*/ AS dimension, /*OTHER_KEY*/ AS value,
  CAST(coalesce(sum(a./*COST*/) FILTER (WHERE strftime(a.day, '%Y-%m-%d') IN (/*WINDOW*/)), 0) AS VARCHAR) AS actual,
  CAST(coalesce(sum(a./*COST*/) FILTER (WHERE strftime(a.day, '%Y-%m-%d') IN (/*REFERENCE*/)), 0) AS VARCHAR) AS reference
FROM alloc_rows a JOIN alloc_charges c USING (charge_key)
WHERE a.currency = /*CURRENCY*/ AND /*KEY*/ = /*VALUE*/ AND strftime(a.day, '%Y-%m-%d') IN (/*WINDOW*/, /*REFERENCE*/)
GROUP BY ALL
