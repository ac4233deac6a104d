/**
 * Exact proportional splits in SQL, used wherever an amount is spread over keys (shared costs over
 * features, a feature's cost over unit types, shared cost over teams). OpenCost rounds shares and
 * lets the remainder vanish; a CFO-grade split may not.
 *
 * 1. Number the pools (rows of `pools`), join each with its weights (rows of `weights` with the same
 *    `by` values and a positive weight).
 * 2. Each share is amount x weight / total weight, rounded at 9 decimals as a decimal (DECIMAL(38,9), then
 *    DECIMAL(38,18)): no binary noise below the 9th decimal.
 * 3. The share with the largest weight (ties broken by target) takes amount - sum(other shares), so the
 *    shares of every pool add up to its amount to the last digit.
 * 4. Pools without any positive weight come out once, unsplit, with tl_split = false and NULL targets.
 * Columns listed in `scaled` (token counts) are split in proportion without rounding.
 */
export interface SplitSpec {
  pools: string;
  weights: string;
  by: string[];
  targets: string[];
  amounts: string[];
  scaled?: string[];
}

export function exactSplitSql(s: SplitSpec): string {
  const scaled = s.scaled ?? [];
  // through DECIMAL(38,9) first: a DOUBLE rounded to 9 decimals is still binary (312.552690138 would be stored as
  // 312.552690138000007168); the decimal cast makes it the 9-decimal number itself
  const approx = s.amounts.map((a) => `CAST(CAST(CAST(${a} AS DOUBLE) * tl_w / tl_wt AS DECIMAL(38,9)) AS DECIMAL(38,18)) AS tl_${a}`)
    .join(', ');
  const fixed = s.amounts.map(
    (a) => `CASE WHEN tl_rk = 1 THEN ${a} - (sum(tl_${a}) OVER (PARTITION BY tl_pool) - tl_${a}) ELSE tl_${a} END AS ${a}`).join(', ');
  const scale = scaled.map((c) => `${c} * tl_w / tl_wt AS ${c}`).join(', ');
  const exclude = [...s.amounts, ...s.amounts.map((a) => `tl_${a}`), ...scaled, 'tl_rk'].join(', ');
  return `(
WITH tl_p AS (SELECT *, row_number() OVER () AS tl_pool FROM (${s.pools})),
tl_j AS (
  SELECT tl_p.*, ${s.targets.map((t) => `w.${t}`).join(', ')}, w.weight AS tl_w,
    sum(w.weight) OVER (PARTITION BY tl_p.tl_pool) AS tl_wt,
    row_number() OVER (PARTITION BY tl_p.tl_pool ORDER BY w.weight DESC, ${s.targets.map((t) => `w.${t}`).join(', ')}) AS tl_rk
  FROM tl_p JOIN (${s.weights}) w USING (${s.by.join(', ')})
  WHERE w.weight > 0
),
tl_a AS (SELECT *, ${approx} FROM tl_j)
SELECT * EXCLUDE (${exclude}), ${fixed}${scale ? `, ${scale}` : ''}, true AS tl_split FROM tl_a
UNION ALL BY NAME
SELECT *, ${s.targets.map((t) => `CAST(NULL AS VARCHAR) AS ${t}`).join(', ')}, CAST(NULL AS DOUBLE) AS tl_w, ` +
`CAST(NULL AS DOUBLE) AS tl_wt, false AS tl_split
FROM tl_p WHERE tl_pool NOT IN (SELECT tl_pool FROM tl_j)
)`;
}
