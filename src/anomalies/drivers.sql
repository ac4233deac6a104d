-- anomalies, drivers: inside each anomaly's cost series, on its days (1) and its reference days (0), the
-- token cost and allocated tokens (alloc_rows, kind token); every anomaly of one dimension in one scan (/*Q*/:
-- idx, currency, value, day, side, as root-causes.sql), from /*RELATION*/: the daily rollup alloc_daily a (the same
-- sums), or alloc_rows joined to its charges when the key is resource or meter. The volumes are volumes.sql.
WITH q AS (/*Q*/)
SELECT q.idx,
  CAST(coalesce(sum(a./*COST*/) FILTER (WHERE q.side = 1), 0) AS VARCHAR) AS c1,
  CAST(coalesce(sum(a./*COST*/) FILTER (WHERE q.side = 0), 0) AS VARCHAR) AS c0,
  -- allocated tokens are summed as decimals, so that the sum does not depend on the scan's order
  CAST(coalesce(sum(CAST(a.allocated_tokens AS DECIMAL(38,6))) FILTER (WHERE q.side = 1), 0) AS VARCHAR) AS k1,
  CAST(coalesce(sum(CAST(a.allocated_tokens AS DECIMAL(38,6))) FILTER (WHERE q.side = 0), 0) AS VARCHAR) AS k0
FROM /*RELATION*/
JOIN q ON a.day = q.day AND a.currency = q.currency AND /*KEY*/ = q.value
WHERE a.day BETWEEN /*FIRST*/ AND /*LAST*/ AND a.kind = 'token'
GROUP BY q.idx
