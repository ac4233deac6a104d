-- The economics ledger of a set of months: every cent of the materialized allocation (alloc_month) with
-- its cost class, shared platform and overhead costs spread by the sharing rules, and the share of each
-- feature's cost that belongs to each unit type. Reports append their final SELECT. Inputs are read as
-- main.* (the whole ledger, never a scope's shadow): a scope cuts the result (econ), not the basis.
--   cls      cost class and sharing rule of each charge (config rules, tags, built-in rules)
--   am       alloc_month of the months, in the report's cost basis
--   ev       business events per month, unit and feature (units, successful units, records)
--   pools    unclaimed charges (no feature) taken by a sharing rule, per month, currency, rule, class
--   weights  the basis of each rule per month and feature (tokens, units, percentages, fixed + units)
--   shared   pools split exactly over features (tl_split = false: the rule had no basis that month)
--   econ     feature-level ledger: direct, shared, and what stays unshared / unallocated (in scope)
--   unit_costs econ's feature costs split over unit types (tl_split = false: the feature is in no unit)
WITH
cls AS (SELECT charge_key, cost_class, /*RULE*/ AS share_rule FROM (SELECT *, /*CLASS*/ AS cost_class FROM main.alloc_charges)),
am AS (
  SELECT a.month, a.currency, a.kind, a.feature, a.team, a.environment, a.cost_center, a.model, a.token_type, a.unallocated,
         c.cost_class, c.share_rule, a./*COST*/ AS cost, a.tokens
  FROM main.alloc_month a JOIN cls c USING (charge_key)
  WHERE /*MONTHS*/
),
months AS (SELECT DISTINCT month FROM am UNION SELECT DISTINCT CAST(date_trunc('month', ts) AS DATE) FROM main.event_rows WHERE /*EV_WHERE*/),
ev AS (
  SELECT CAST(date_trunc('month', ts) AS DATE) AS month, unit, feature, sum(count) AS units,
         coalesce(sum(count) FILTER (WHERE /*SUCCESS*/), 0) AS ok_units, count(*) AS records
  FROM main.event_rows WHERE /*EV_WHERE*/
  GROUP BY ALL
),
-- configured unit types and their features
cfg_units(unit, feature) AS (/*CFG_UNITS*/),
-- units per feature: events name their feature; events without one belong to their unit type's features
evf AS (
  SELECT month, unit, feature, sum(units) AS units FROM (
    SELECT e.month, e.unit, coalesce(e.feature, c.feature) AS feature,
           CAST(e.units AS DOUBLE) / CASE WHEN e.feature IS NULL THEN (SELECT count(*) FROM cfg_units x WHERE x.unit = e.unit) ELSE 1 END AS units
    FROM ev e LEFT JOIN cfg_units c ON e.feature IS NULL AND c.unit = e.unit
  ) WHERE feature IS NOT NULL GROUP BY ALL
),
pool0 AS (
  SELECT month, currency, share_rule AS rule, cost_class, sum(cost) AS cost
  FROM am WHERE feature IS NULL AND share_rule IS NOT NULL GROUP BY ALL
),
pools AS (/*POOLS*/),
weights AS (/*WEIGHTS*/),
shared AS /*SHARED_SPLIT*/,
econ_all AS (
  SELECT month, currency, feature, team, environment, cost_center, cost_class, 'direct' AS source, CAST(NULL AS VARCHAR) AS rule,
         CAST(NULL AS VARCHAR) AS basis, kind, model, token_type, cost, tokens
  FROM am WHERE feature IS NOT NULL
  UNION ALL BY NAME
  SELECT month, currency, feature, cost_class, 'shared' AS source, rule,
         /*BASIS_TEXT*/ AS basis, 'shared' AS kind, cost, 0.0 AS tokens
  FROM shared WHERE tl_split
  UNION ALL BY NAME
  SELECT month, currency, team, environment, cost_center, cost_class,
         CASE WHEN unallocated AND kind = 'token' THEN 'unallocated' WHEN cost_class IN ('platform', 'overhead') THEN 'unshared' ELSE 'unallocated' END AS source,
         CAST(NULL AS VARCHAR) AS rule,
         CASE WHEN cost_class IN ('platform', 'overhead') AND NOT (unallocated AND kind = 'token') THEN 'no sharing rule'
              WHEN kind = 'token' AND unallocated THEN 'no telemetry'
              WHEN kind = 'token' THEN 'telemetry without a feature'
              WHEN unallocated THEN 'untagged'
              ELSE 'tags without a feature' END AS basis,
         kind, model, token_type, cost, tokens
  FROM am WHERE feature IS NULL AND share_rule IS NULL
  UNION ALL BY NAME
  SELECT month, currency, cost_class, 'unshared' AS source, rule, 'rule ' || rule || ': no basis this month' AS basis, 'shared' AS kind, cost, 0.0 AS tokens
  FROM shared WHERE NOT tl_split
),
-- econ: econ_all, or under a scope its rows in scope, with shared cost first split to the feature's
-- teams, environments and cost centers by their direct cost (so a team sees its part of the pools)
/*ECON*/,
-- which unit types a feature's cost belongs to, per month: configured features (split by the unit types'
-- volume when several claim one feature), else the features the events name (by their volume)
ufw AS (
  SELECT m.month, c.feature, c.unit,
         CASE WHEN (SELECT count(*) FROM cfg_units x WHERE x.feature = c.feature) = 1 THEN 1.0
              ELSE coalesce((SELECT CAST(sum(units) AS DOUBLE) FROM ev WHERE ev.month = m.month AND ev.unit = c.unit), 0) END AS weight
  FROM months m CROSS JOIN cfg_units c
  UNION ALL
  SELECT month, feature, unit, CAST(sum(units) AS DOUBLE) AS weight FROM ev
  WHERE feature IS NOT NULL AND unit NOT IN (SELECT unit FROM cfg_units) AND feature NOT IN (SELECT feature FROM cfg_units)
  GROUP BY ALL
),
unit_costs AS /*UNIT_SPLIT*/
