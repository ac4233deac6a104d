-- anomalies: the daily cost series of one dimension (alloc_rows: every charge, allocated to feature, team,
-- environment, cost center, model and token type; its charge says resource and meter), per currency and
-- value, in the asked cost basis, exact. /*KEY*/ is the dimension's expression, /*COST*/ the cost column.
SELECT strftime(a.day, '%Y-%m-%d') AS day, a.currency, /*KEY*/ AS key, CAST(sum(a./*COST*/) AS VARCHAR) AS amount
FROM alloc_rows a JOIN alloc_charges c USING (charge_key)
WHERE a.day IS NOT NULL AND /*WHERE*/
GROUP BY ALL
ORDER BY 3, 2, 1
