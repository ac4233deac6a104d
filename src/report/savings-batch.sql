-- savings, batch candidates: the time profile of each feature and model's request-level telemetry in the month, in the
-- local time of savings.batch.timezone. Per feature and model: requests, tokens (prompt + output), the tokens of requests
-- outside business hours (Monday-Friday, [start, end) hours), the tokens of requests in minutes with at least
-- burst_requests requests of that feature and model, the tokens outside business hours or in such minutes, and the
-- distinct hours it was active in per day it was active. Aggregate rows have no time profile and are left out.
-- per minute first: whether a request is off hours or in a burst is a property of its minute (no window over requests);
-- read from the minute rollup (telemetry_minute, UTC minutes: every time zone's offset is whole minutes); each distinct
-- UTC minute is converted to local time once (z: a month has 44,640 of them, a year store 860k rows in a month)
WITH t AS (
  SELECT feature, model, minute, requests, input_tokens + output_tokens AS tokens
  FROM telemetry_minute
  WHERE feature IS NOT NULL AND model IS NOT NULL AND /*TEL_WHERE*/
),
z AS (SELECT minute AS utc, date_trunc('minute', timezone(/*ZONE*/, timezone('UTC', minute))) AS minute FROM (SELECT DISTINCT minute FROM t)),
m AS (
  SELECT t.feature, t.model, z.minute, sum(t.requests) AS requests, sum(t.tokens) AS tokens
  FROM t JOIN z ON z.utc = t.minute
  GROUP BY ALL
),
flagged AS (
  SELECT m.*, isodow(minute) > 5 OR hour(minute) < /*START*/ OR hour(minute) >= /*END*/ AS off_hours,
    requests >= /*BURST*/ AS in_burst
  FROM m
)
SELECT feature, model, CAST(sum(requests) AS DOUBLE) AS requests, CAST(sum(tokens) AS DOUBLE) AS tokens,
  CAST(sum(CASE WHEN off_hours THEN tokens ELSE 0 END) AS DOUBLE) AS off_hours,
  CAST(sum(CASE WHEN in_burst THEN tokens ELSE 0 END) AS DOUBLE) AS in_bursts,
  CAST(sum(CASE WHEN off_hours OR in_burst THEN tokens ELSE 0 END) AS DOUBLE) AS offline,
  count(DISTINCT date_trunc('hour', minute)) / count(DISTINCT CAST(minute AS DATE)) AS hours_per_day
FROM flagged
GROUP BY ALL
ORDER BY feature, model
