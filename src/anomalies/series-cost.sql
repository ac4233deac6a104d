-- anomalies: the daily cost series of one dimension (every charge, allocated to feature, team, environment,
-- cost center, model and token type), per currency and value, in the asked cost basis, exact. /*KEY*/ is the
-- dimension's expression, /*COST*/ the cost column. /*RELATION*/ is the daily rollup (alloc_daily), or for
-- resource and meter, which only a charge says, alloc_rows joined to its charges.
SELECT strftime(a.day, '%Y-%m-%d') AS day, a.currency, /*KEY*/ AS key, CAST(sum(a./*COST*/) AS VARCHAR) AS amount
FROM /*RELATION*/
WHERE a.day IS NOT NULL AND /*WHERE*/
GROUP BY ALL
ORDER BY 3, 2, 1
