-- tag-coverage: for each allocation tag (feature, team, environment, cost center), the share of the
-- period's spend whose resource carries it, and the biggest resources without it. Token spend covered by
-- telemetry is counted separately, since telemetry can attribute it without tags. Coverage is of gross cost
-- (charge rows with a positive cost): credits and refunds would otherwise push it past 100 %; they are in
-- spend (net) and in negative_cost.
-- 1. The period's charges summed per resource and tag set (raw): the tags are read from a few thousand sums, not from
--    every charge row; gross is summed per row first (a credit row is not netted into a positive one).
-- 2. Telemetry's part from the daily allocation rollup (alloc_daily: the same sums as alloc_rows), by method code.
WITH dims AS (SELECT * FROM (VALUES ('feature'), ('team'), ('environment'), ('cost_center')) d(tag)),
raw AS (
  SELECT BillingCurrency AS currency, ResourceId, ResourceName, Tags, x_CostCenter, sum(/*COST*/) AS cost,
    coalesce(sum(/*COST*/) FILTER (WHERE /*COST*/ > 0), 0) AS gross
  FROM billing_rows
  WHERE /*WHERE*/
  GROUP BY ALL
),
rows AS (
  SELECT c.currency, c.cost, c.gross, lower(c.ResourceId) AS resource,
    coalesce(c.ResourceName, regexp_extract(c.ResourceId, '[^/]+$'), '(no resource)') AS resource_name,
    map_from_entries([
      ('feature', nullif(trim(coalesce(Tags->>'feature', Tags->>'Feature', Tags->>'app-feature')), '')),
      ('team', nullif(trim(coalesce(Tags->>'team', Tags->>'Team', Tags->>'owner-team')), '')),
      ('environment', nullif(trim(coalesce(Tags->>'environment', Tags->>'env', Tags->>'Environment', Tags->>'Env')), '')),
      ('cost_center', nullif(trim(coalesce(Tags->>'cost_center', Tags->>'CostCenter', Tags->>'cost-center', Tags->>'costcenter', x_CostCenter)), ''))
    ]) AS tags
  FROM raw c
),
per AS (
  SELECT d.tag, r.currency, r.resource_name, sum(r.cost) AS cost, sum(r.gross) AS gross,
    r.tags[d.tag] IS NOT NULL AS tagged
  FROM rows r CROSS JOIN dims d
  GROUP BY ALL
),
untagged AS (
  SELECT tag, currency,
    string_agg(resource_name || ' ' || CAST(round(gross, 2) AS VARCHAR), ', ' ORDER BY gross DESC) FILTER (WHERE rk <= 3) AS biggest_untagged
  FROM (SELECT *, row_number() OVER (PARTITION BY tag, currency ORDER BY gross DESC) AS rk FROM per WHERE NOT tagged AND gross > 0)
  GROUP BY ALL
),
via_telemetry AS (
  SELECT currency, d.tag, sum(/*ALLOC_COST*/) AS cost
  FROM alloc_daily CROSS JOIN dims d
  WHERE /*DAILY_WHERE*/ AND kind = 'token' AND method_code IN (/*TELEMETRY_METHODS*/)
    AND CASE d.tag WHEN 'feature' THEN feature WHEN 'team' THEN team WHEN 'environment' THEN environment ELSE cost_center END IS NOT NULL
  GROUP BY ALL
)
SELECT p.tag, p.currency,
  sum(p.cost) AS total_cost,
  sum(p.gross) AS gross_cost,
  sum(p.gross) FILTER (WHERE p.tagged) AS tagged_cost,
  round(100 * CAST(coalesce(sum(p.gross) FILTER (WHERE p.tagged), 0) AS DOUBLE) / nullif(CAST(sum(p.gross) AS DOUBLE), 0), 4) AS tagged_pct,
  sum(p.cost) - sum(p.gross) AS negative_cost,
  any_value(t.cost) AS attributed_by_telemetry,
  any_value(u.biggest_untagged) AS biggest_untagged
FROM per p
LEFT JOIN untagged u USING (tag, currency)
LEFT JOIN via_telemetry t USING (tag, currency)
GROUP BY p.tag, p.currency
ORDER BY p.currency, CASE p.tag WHEN 'feature' THEN 1 WHEN 'team' THEN 2 WHEN 'environment' THEN 3 ELSE 4 END
