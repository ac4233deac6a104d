-- anomalies, drivers: inside one cost series, on the anomaly's days (1) and its reference days (0): the
-- token cost and allocated tokens (alloc_rows, kind token), and the volume: business units of the feature
-- when it has events (/*UNITS*/), else telemetry requests of the series' value (/*REQUESTS*/).
WITH t AS (
  SELECT
    CAST(coalesce(sum(a./*COST*/) FILTER (WHERE a.day IN (/*WINDOW*/)), 0) AS VARCHAR) AS c1,
    CAST(coalesce(sum(a./*COST*/) FILTER (WHERE a.day IN (/*REFERENCE*/)), 0) AS VARCHAR) AS c0,
    -- allocated tokens are doubles: summed as decimals, so that the sum does not depend on the scan's order
    CAST(coalesce(sum(CAST(a.allocated_tokens AS DECIMAL(38,6))) FILTER (WHERE a.day IN (/*WINDOW*/)), 0) AS VARCHAR) AS k1,
    CAST(coalesce(sum(CAST(a.allocated_tokens AS DECIMAL(38,6))) FILTER (WHERE a.day IN (/*REFERENCE*/)), 0) AS VARCHAR) AS k0
  FROM alloc_rows a JOIN alloc_charges c USING (charge_key)
  WHERE a.day BETWEEN /*FIRST*/ AND /*LAST*/ AND a.kind = 'token' AND a.currency = /*CURRENCY*/ AND /*KEY*/ = /*VALUE*/
),
u AS (/*UNITS*/),
r AS (/*REQUESTS*/)
SELECT t.*, u.u1 AS units1, u.u0 AS units0, r.u1 AS requests1, r.u0 AS requests0 FROM t, u, r
