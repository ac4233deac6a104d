-- check completeness.allocation-daily: the stored allocation's daily rollup (alloc_daily, migration 017) against
-- the allocation rows it sums, per day and currency (rows, billed and effective cost, tokens as the rollup sums
-- them). A row is a day whose sums differ.
WITH l AS (
  SELECT day, currency, count(*) AS n, sum(billed_cost) AS billed, sum(effective_cost) AS eff,
    sum(CAST(allocated_tokens AS DECIMAL(18,3))) AS tok
  FROM alloc_rows GROUP BY ALL
),
r AS (
  SELECT day, currency, sum(alloc_rows) AS n, sum(billed_cost) AS billed, sum(effective_cost) AS eff, sum(allocated_tokens) AS tok
  FROM alloc_daily GROUP BY ALL
)
SELECT strftime(day, '%Y-%m-%d') AS day, currency, coalesce(l.n, 0) AS ln, coalesce(r.n, 0) AS rn,
  CAST(coalesce(l.eff, 0) AS VARCHAR) AS le, CAST(coalesce(r.eff, 0) AS VARCHAR) AS re
FROM l FULL JOIN r USING (day, currency)
WHERE coalesce(l.n, 0) <> coalesce(r.n, 0) OR coalesce(l.billed, 0) <> coalesce(r.billed, 0)
  OR coalesce(l.eff, 0) <> coalesce(r.eff, 0) OR coalesce(l.tok, 0) <> coalesce(r.tok, 0)
ORDER BY day NULLS FIRST, currency
