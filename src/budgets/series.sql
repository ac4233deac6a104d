-- Daily series of one measure (cost in the report's basis, or allocated tokens of some token types) per
-- currency and key, from the stored allocation (every charge, allocated or not, once), cut to a budget's
-- scope (/*WHERE*/) and to days /*FROM*/ (inclusive) .. /*TO*/ (exclusive). /*RELATION*/ is alloc_daily,
-- or alloc_rows joined to its charges when the scope names a resource or provider. Cost sums are exact
-- DECIMAL; tokens are the allocated shares of billed tokens, rounded to whole tokens per day.
SELECT strftime(a.day, '%Y-%m-%d') AS day, a.currency, /*KEY*/ AS key, /*MEASURE*/ AS value
FROM /*RELATION*/
WHERE a.day >= /*FROM*/ AND a.day < /*TO*/ AND /*WHERE*/
GROUP BY ALL
ORDER BY key, currency, day
