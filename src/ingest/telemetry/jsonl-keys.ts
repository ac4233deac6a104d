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
 * Request id: the first of REQUEST_ID_KEYS that holds a JSON string (OpenAI's chatcmpl-... / resp_...,
 * Anthropic's msg_..., Gemini's responseId, Bedrock's requestId). A number is not taken: logs number their
 * own lines, and line 7 of one file is not line 7 of another.
 */
import { code, join, sql, type Sql } from '../../store/sql.js';
import { parsedTimestamp, timestampProblem, YEAR_MAX, YEAR_MIN, type DateOrder } from '../common/timestamps.js';

/** Top-level keys that hold a date-time text, first present wins. */
export const TEXT_KEYS = ['timestamp', 'time', 'created_at', 'ts', 'createTime'] as const;
/** Keys that hold epoch seconds (used only when no TEXT_KEYS text is there). */
export const EPOCH_KEYS = ['created', 'created_at'] as const;
/** Where a request id may be: a top-level key, or a key of the top-level "response" object. */
export const REQUEST_ID_KEYS: [string, string?][] = [['id'], ['response', 'id'], ['responseId'], ['requestId']];

/** Epoch seconds of 2000-01-01 and of 2101-01-01: the window of common/timestamps.ts. */
const EPOCH_MIN = Date.UTC(YEAR_MIN, 0, 1) / 1000;
const EPOCH_END = Date.UTC(YEAR_MAX + 1, 0, 1) / 1000;

export interface JsonlTimestamp {
  /** The UTC TIMESTAMP, NULL when the record has none that is accepted. */
  ts: Sql;
  /** The text it was read from (NULL for epoch seconds). */
  text: Sql;
  /** Why `ts` is NULL (evaluate only then), naming the key and what was expected. */
  problem: Sql;
}

/**
 * `key(k)`: SQL of the text at top-level key k (NULL when absent), as the reader reaches it.
 */
export function jsonlTimestamp(key: (k: string) => Sql, order?: DateOrder): JsonlTimestamp {
  const isNumber = (k: string) => sql`(TRY_CAST(${key(k)} AS DOUBLE) IS NOT NULL)`;
  const textOf = (k: string) => (k === 'created_at' ? sql`CASE WHEN NOT ${isNumber(k)} THEN ${key(k)} END` : key(k));
  const texts = TEXT_KEYS.map(textOf);
  const text = sql`coalesce(${join(texts, ', ')})`;
  const epoch = sql`TRY_CAST(coalesce(${join(EPOCH_KEYS.map(key), ', ')}) AS DOUBLE)`;
  const fromEpoch = sql`CASE WHEN ${epoch} >= ${code(String(EPOCH_MIN))} AND ${epoch} < ${code(String(EPOCH_END))}
    THEN make_timestamp(CAST(${epoch} * 1e6 AS BIGINT)) END`;
  const ts = sql`CASE WHEN ${text} IS NOT NULL THEN ${parsedTimestamp(text, order)} ELSE ${fromEpoch} END`;
  const which = sql`CASE ${join(TEXT_KEYS.map((k, i) => sql`WHEN ${texts[i]!} IS NOT NULL THEN ${k}`), ' ')} END`;
  const problem = sql`CASE
      WHEN ${text} IS NOT NULL THEN ${which} || ' "' || left(${text}, 60) || CASE WHEN length(${text}) > 60 THEN '...' ELSE '' END
        || '" is not an accepted date-time; expected ' || ${timestampProblem(text, order)}
      WHEN ${epoch} IS NOT NULL THEN 'created ' || CAST(${epoch} AS VARCHAR) || ${` (epoch seconds) is not in the years ${YEAR_MIN} to ${
        YEAR_MAX}`}
      ELSE 'no usable timestamp (expected "timestamp" as ISO 8601 / RFC 3339, or "created" in epoch seconds)'
    END`;
  return { ts, text, problem };
}
