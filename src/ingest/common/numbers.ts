/**
 * Numbers written as text, read exactly, in SQL: how many decimal places a number needs (money beyond 18
 * is refused, not rounded) and whole counts (tokens, events) that are whole in fact, not after a cast that
 * rounds "2.0000004" to 2 or overflows BIGINT with an internal error. Shared by every ingest.
 */
import { sql, type Sql } from '../../store/sql.js';

/** The largest count a BIGINT column holds. */
export const COUNT_MAX = '9223372036854775807';

/**
 * How many decimal places the number written as `v` needs (digits after the point once trailing zeros
 * go, less the exponent): "1.50" 1, "1.5e-20" 21, "1500e-20" 17, "2.0" 0, "20" -1. Meant for the slow
 * path (exponents, long fractions): it runs three regular expressions.
 */
export function decimalsNeeded(v: Sql): Sql {
  const frac = sql`length(regexp_extract(${v}, '\\.([0-9]*[1-9])0*([eE]|\\s*$)', 1))`;
  const zeros = sql`length(regexp_extract(${v}, '[1-9](0*)(\\.0*)?([eE][+-]?[0-9]+)?\\s*$', 1))`;
  const exp = sql`coalesce(TRY_CAST(nullif(regexp_extract(${v}, '[eE]([+-]?[0-9]+)\\s*$', 1), '') AS INTEGER), 0)`;
  return sql`CASE WHEN TRY_CAST(${v} AS DOUBLE) = 0 THEN 0 WHEN ${frac} > 0 THEN ${frac} - ${exp} ELSE -${zeros} - ${exp} END`;
}

/**
 * Text -> HUGEINT when it is a whole number ("12", "+4", "12.0", "1e3"), NULL otherwise (not a number, a
 * fraction however small, beyond 38 digits). Plain digits take a fast path; the caller checks the range
 * (0 to COUNT_MAX) and says what it expected.
 */
export function wholeNumber(v: Sql): Sql {
  return sql`CASE WHEN regexp_full_match(${v}, '[+-]?[0-9]{1,38}(\\.0*)?') THEN TRY_CAST(split_part(ltrim(${v}, '+'), '.', 1) AS HUGEINT)
    WHEN ${decimalsNeeded(v)} <= 0 THEN TRY_CAST(TRY_CAST(${v} AS DECIMAL(38,0)) AS HUGEINT) END`;
}

/** A whole number from 0 to COUNT_MAX (what a BIGINT count column holds). */
export function inCountRange(n: Sql): Sql {
  return sql`(${n} BETWEEN 0 AND CAST(${COUNT_MAX} AS HUGEINT))`;
}
