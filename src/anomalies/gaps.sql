-- anomalies: days whose data is missing, so that a drop on them reads as a possible ingestion gap:
-- billing days without usage rows inside a billing period (check/missing-days.sql, any account, from the daily
-- rollup), and days on which a resource has token charges but no telemetry at all (telemetry lost for that
-- resource), in the days the series cover.
WITH billing AS (
  SELECT DISTINCT CAST(day AS DATE) AS day FROM (/*MISSING_DAYS*/)
),
billed AS (
  SELECT DISTINCT CAST(ChargePeriodStart AS DATE) AS day, lower(ResourceId) AS rid FROM charges
  WHERE tl_token_type IS NOT NULL AND /*WHERE_CHARGES*/
),
seen AS (SELECT DISTINCT day, lower(resource_id) AS rid FROM telemetry_resource_daily WHERE /*WHERE_TELEMETRY*/),
-- not named telemetry: a scope shadows that relation under its own name in the same WITH clause (ledger/scope.ts)
telemetry_gaps AS (
  SELECT DISTINCT b.day FROM billed b WHERE NOT EXISTS (SELECT 1 FROM seen s WHERE s.day = b.day AND s.rid = b.rid)
    AND EXISTS (SELECT 1 FROM seen s WHERE s.rid = b.rid)
)
SELECT strftime(day, '%Y-%m-%d') AS day, 'billing' AS source FROM billing
UNION ALL
SELECT strftime(day, '%Y-%m-%d'), 'telemetry' FROM telemetry_gaps
ORDER BY 1, 2
