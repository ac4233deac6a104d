-- anomalies, drivers: the volume of each anomaly on its days (side 1) and its reference days (side 0), every
-- anomaly of one dimension in one statement (/*Q*/: idx, currency, value, day, side, as drivers.sql): business
-- units of the feature from event_rows (/*UNITS*/: the feature dimension only, else no rows) and telemetry
-- requests of the value from the daily rollup (/*REQUESTS*/: none for token type and meter). Each side is
-- summed over its days; a day on both sides counts on each.
WITH q AS (/*Q*/),
vol_units AS (/*UNITS*/),
vol_requests AS (/*REQUESTS*/)
SELECT q.idx,
  CAST(sum(u.n) FILTER (WHERE q.side = 1) AS VARCHAR) AS units1, CAST(sum(u.n) FILTER (WHERE q.side = 0) AS VARCHAR) AS units0,
  CAST(sum(r.n) FILTER (WHERE q.side = 1) AS VARCHAR) AS requests1, CAST(sum(r.n) FILTER (WHERE q.side = 0) AS VARCHAR) AS requests0
FROM q LEFT JOIN vol_units u ON u.day = q.day AND u.value = q.value
LEFT JOIN vol_requests r ON r.day = q.day AND r.value = q.value
GROUP BY q.idx
