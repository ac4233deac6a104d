/**
 * What the careful JSONL reader (openai-jsonl.ts) and the fast ones (openai-jsonl-fast.ts) must read the
 * same way, written once: a record's timestamp and its request id. Each reader says how it reaches a
 * top-level key (the careful one through the JSON, the fast ones through typed columns); the rules are here,
 * so the readers cannot drift apart (their property test holds them to it).
 *
 * Timestamp:
 * 1. The text of the first of TEXT_KEYS the record has ("created_at" only when it is not a number: the
 *    Responses API writes epoch seconds there), read strictly by common/timestamps.ts (ISO 8601, or a slash
 *    date with a four-digit year in a known order; years 2000-2100). A text that is not accepted is refused,
 *    naming the key and what was expected, even when "created" would give a time.
 * 2. No such text: "created" (or a numeric "created_at") in epoch seconds, inside the same years.
 * Request id: the first of "id", "response"."id" (only for a record whose usage is the response's: the
 * Responses API's response.completed event), "request_id", "responseId", "requestId" whose text is not a
 * number (OpenAI's chatcmpl-... / resp_..., Anthropic's msg_..., Gemini's responseId, Bedrock's requestId,
 * a gateway's request id). A number, or digits alone, is not taken: logs number their own lines, and line 7
 * of one file is not line 7 of another.
 */
import { code, join, sql, type Sql } from '../../store/sql.js';
import { parsedTimestamp, timestampProblem, YEAR_MAX, YEAR_MIN, type DateOrder } from '../common/timestamps.js';

/** Top-level keys that hold a date-time text, first present wins. */
export const TEXT_KEYS = ['timestamp', 'time', 'created_at', 'ts', 'createTime'] as const;
/** Keys that hold epoch seconds (used only when no TEXT_KEYS text is there). */
export const EPOCH_KEYS = ['created', 'created_at'] as const;
/** Top-level keys that may hold the request id, in order ("response"."id" comes second, see above). */
export const ID_KEYS = ['id', 'request_id', 'responseId', 'requestId'] as const;

/** The request id from the text of a value (NULL when absent): NULL when empty or a number. */
export function idFromText(text: Sql): Sql {
  return sql`CASE WHEN TRY_CAST(${text} AS DOUBLE) IS NULL THEN nullif(${text}, '') END`;
}

/**
 * The request id of a record: `top(k)` the text at top-level key k; `responseId` that of "response"."id"
 * for a record without a top-level usage (NULL when the reader reads no response).
 */
export function requestIdSql(top: (k: string) => Sql, responseId: Sql): Sql {
  const [first, ...rest] = ID_KEYS.map((k) => idFromText(top(k)));
  return sql`coalesce(${join([first!, idFromText(responseId), ...rest], ', ')})`;
}

/** Epoch seconds of 2000-01-01 and of 2101-01-01: the window of common/timestamps.ts. */
const EPOCH_MIN = Date.UTC(YEAR_MIN, 0, 1) / 1000;
const EPOCH_END = Date.UTC(YEAR_MAX + 1, 0, 1) / 1000;

export interface JsonlTimestamp {
  /** The text the timestamp is read from (NULL when there is none: epoch seconds, or nothing). */
  text: Sql;
  /** The UTC TIMESTAMP from `t`, a column holding `text` (evaluated once per row), NULL when not accepted. */
  ts: (t: Sql) => Sql;
  /** Why `ts` is NULL (evaluate only then), naming the key and what was expected. */
  problem: (t: Sql) => Sql;
}

/**
 * `key(k)`: SQL of the text at top-level key k (NULL when absent), as the reader reaches it.
 */
export function jsonlTimestamp(key: (k: string) => Sql, order?: DateOrder): JsonlTimestamp {
  const isNumber = (k: string) => sql`(TRY_CAST(${key(k)} AS DOUBLE) IS NOT NULL)`;
  const textOf = (k: string) => (k === 'created_at' ? sql`CASE WHEN NOT ${isNumber(k)} THEN ${key(k)} END` : key(k));
  const texts = TEXT_KEYS.map(textOf);
  const epoch = sql`TRY_CAST(coalesce(${join(EPOCH_KEYS.map(key), ', ')}) AS DOUBLE)`;
  const fromEpoch = sql`CASE WHEN ${epoch} >= ${code(String(EPOCH_MIN))} AND ${epoch} < ${code(String(EPOCH_END))}
    THEN make_timestamp(CAST(${epoch} * 1e6 AS BIGINT)) END`;
  // what nearly every usage log writes, 2026-10-01T10:00:00Z or with milliseconds (JavaScript's toISOString),
  // tested first with fewer steps (parsedTimestamp gives the same for it: a year 2000-2100 compared as text,
  // then DuckDB's cast checks digits and calendar)
  const usual = (t: Sql) => sql`((${t} LIKE '____-__-__T__:__:__Z' OR ${t} LIKE '____-__-__T__:__:__.___Z') AND ${t} >= '2000'
    AND ${t} < '2101')`;
  const ts = (t: Sql) => sql`CASE WHEN ${usual(t)} THEN TRY_CAST(${t} AS TIMESTAMP)
    WHEN ${t} IS NOT NULL THEN ${parsedTimestamp(t, order)} ELSE ${fromEpoch} END`;
  const which = sql`CASE ${join(TEXT_KEYS.map((k, i) => sql`WHEN ${texts[i]!} IS NOT NULL THEN ${k}`), ' ')} END`;
  const problem = (t: Sql) => sql`CASE
      WHEN ${t} IS NOT NULL THEN ${which} || ' "' || left(${t}, 60) || CASE WHEN length(${t}) > 60 THEN '...' ELSE '' END
        || '" is not an accepted date-time; expected ' || ${timestampProblem(t, order)}
      WHEN ${epoch} IS NOT NULL
        THEN 'created ' || coalesce(${join(EPOCH_KEYS.map(key), ', ')}) || ${` (epoch seconds) is not in the years ${YEAR_MIN} to ${
          YEAR_MAX}`}
      ELSE 'no usable timestamp (expected "timestamp" as ISO 8601 / RFC 3339, or "created" in epoch seconds)'
    END`;
  return { text: sql`coalesce(${join(texts, ', ')})`, ts, problem };
}
