/**
 * Business events (tickets resolved, documents processed, leads qualified) as rows: one SELECT per file
 * format over DuckDB's own readers, every field typed and checked, a readable problem per bad record.
 * Plain names work with no configuration: timestamp, unit, feature, count (default 1), outcome,
 * correlation_id; tokenledger.yaml `events.columns` names other columns.
 */
import type { EventsConfig } from '../../config/economics.js';
import { InputError } from '../../domain/errors.js';
import { code, ident, join, sql, type Sql } from '../../store/sql.js';
import { readCsvHeader } from '../common/csv-header.js';
import { COUNT_MAX, inCountRange, wholeNumber } from '../common/numbers.js';
import { tableFunction } from '../common/reader.js';
import { parsedTimestamp, timestampProblem, type DateOrder } from '../common/timestamps.js';
import { jsonLinesFormat } from '../common/files.js';

export type EventField = 'timestamp' | 'unit' | 'feature' | 'count' | 'outcome' | 'correlation_id';

/** The names each field goes by when the config says nothing (first present wins). */
export const EVENT_ALIASES: Record<EventField, string[]> = {
  timestamp: ['timestamp', 'time', 'ts', 'event_time', 'date', 'created_at'],
  unit: ['unit', 'unit_type', 'unitType', 'event', 'event_type'],
  feature: ['feature', 'feature_name', 'app_feature'],
  count: ['count', 'units', 'quantity', 'n'],
  outcome: ['outcome', 'status', 'result'],
  correlation_id: ['correlation_id', 'correlationId', 'request_id', 'trace_id'],
};

/**
 * The typed columns and the check every format shares; the reader gives t_* text columns. `rowNumber`:
 * the record's line (CSV) or number (JSONL) when the caller needs it now (to locate a bad record); the
 * insert writes 0 and the rows are numbered after the commit (common/heal.ts).
 */
function typed(fromClause: Sql, attributes: Sql, defaultUnit: string | undefined, rowNumber: Sql, order?: DateOrder): Sql {
  const unit = defaultUnit ? sql`coalesce(t_unit, ${defaultUnit})` : code('t_unit');
  const noUnit = `no unit; expected a unit type such as ticket, document or lead${defaultUnit ? ''
    : ' (or set events.default_unit in tokenledger.yaml)'}`;
  return sql`
WITH f AS (
  SELECT CAST(${rowNumber} AS BIGINT) AS tl_source_row,
    nullif(trim(t_ts), '') AS ts_text, ${parsedTimestamp(code('trim(t_ts)'), order)} AS t_time,
    lower(nullif(trim(${unit}), '')) AS t_unit_v, nullif(trim(t_feature), '') AS t_feature_v,
    nullif(trim(t_count), '') AS count_text, ${wholeNumber(code('trim(t_count)'))} AS t_count_n,
    lower(nullif(trim(t_outcome), '')) AS t_outcome_v, nullif(trim(t_corr), '') AS t_corr_v, ${attributes} AS attributes
  FROM ${fromClause}
)
SELECT tl_source_row, coalesce(t_time, TIMESTAMP '1970-01-01') AS ts, coalesce(t_unit_v, '') AS unit, t_feature_v AS feature,
  CAST(CASE WHEN count_text IS NULL THEN 1 WHEN ${inCountRange(code('t_count_n'))} THEN t_count_n ELSE 0 END AS BIGINT) AS count,
  t_outcome_v AS outcome, t_corr_v AS correlation_id, attributes,
  CASE
    WHEN ts_text IS NULL THEN 'no timestamp; expected an ISO 8601 date-time such as 2026-10-01T10:00:00Z'
    WHEN t_time IS NULL THEN 'timestamp ' || ts_text || ' is not a date-time; expected ' || ${timestampProblem(code('ts_text'), order)}
    WHEN t_unit_v IS NULL THEN ${noUnit}
    WHEN count_text IS NOT NULL AND NOT coalesce(${inCountRange(code('t_count_n'))}, false)
      THEN 'count ' || count_text || ${` is not a whole number of at least 0 (and at most ${COUNT_MAX})`}
  END AS tl_problem
FROM f`;
}

/** CSV events: the header names the columns (config first, then the plain names, case-insensitive). */
export async function csvEventsSelect(file: string, cfg: EventsConfig | undefined, numbered = false, order?: DateOrder): Promise<Sql> {
  const header = await readCsvHeader(file);
  const find = (field: EventField): string | null => {
    const configured = cfg?.columns?.[field];
    const names = configured ? [configured] : EVENT_ALIASES[field];
    for (const n of names) {
      const hit = header.find((h) => h.trim().toLowerCase() === n.toLowerCase());
      if (hit) return hit;
    }
    if (configured)
      throw new InputError({ file, line: 1 },
        `column ${configured} (events.columns.${field} in tokenledger.yaml) is not in the header; found ${header.slice(0, 12).join(', ')}`);
    return null;
  };
  const cols = Object.fromEntries((Object.keys(EVENT_ALIASES) as EventField[]).map((f) => [f, find(f)])) as
    Record<EventField, string | null>;
  if (!cols.timestamp)
    throw new InputError({ file, line: 1 },
      `no timestamp column; expected one of ${EVENT_ALIASES.timestamp.join(', ')} (or events.columns.timestamp in tokenledger.yaml)`);
  if (!cols.unit && !cfg?.default_unit)
    throw new InputError({ file, line: 1 },
      `no unit column; expected one of ${EVENT_ALIASES.unit.join(', ')} (or events.columns.unit / events.default_unit in ` +
        `tokenledger.yaml)`);
  const used = new Set(Object.values(cols).filter(Boolean));
  const rest = header.filter((h) => !used.has(h));
  const c = (f: EventField) => (cols[f] ? ident(cols[f]!) : code('CAST(NULL AS VARCHAR)'));
  // the other columns as attributes: each name once as a value (the key) and once as an identifier
  const attributes = rest.length ? sql`json_object(${join(rest.map((h) => sql`${h}, ${ident(h)}`), ', ')})` : code('CAST(NULL AS JSON)');
  const from = sql`(SELECT *, ${c('timestamp')} AS t_ts, ${c('unit')} AS t_unit, ${c('feature')} AS t_feature, ${c('count')} AS t_count,
    ${c('outcome')} AS t_outcome, ${c('correlation_id')} AS t_corr FROM ${tableFunction(file, 'csv', header)})`;
  // data lines start at 2 (the header is line 1)
  return typed(from, attributes, cfg?.default_unit, code(numbered ? 'row_number() OVER () + 1' : '0'), order);
}

/** JSONL events: one object per line; fields at the top level, attributes in `attributes` or `metadata`. */
export function jsonlEventsSelect(file: string, cfg: EventsConfig | undefined, numbered = false, order?: DateOrder): Sql {
  // field names (built in, or from tokenledger.yaml) are values: JSON keys looked up per record
  const get = (field: EventField) => {
    const names = cfg?.columns?.[field] ? [cfg.columns[field]!] : EVENT_ALIASES[field];
    return sql`coalesce(${join(names.map((n) => sql`j->>${n}`), ', ')})`;
  };
  const from = sql`(SELECT ${get('timestamp')} AS t_ts, ${get('unit')} AS t_unit, ${get('feature')} AS t_feature,
    ${get('count')} AS t_count,
    ${get('outcome')} AS t_outcome, ${get('correlation_id')} AS t_corr, coalesce(j->'attributes', j->'metadata') AS t_attrs
    FROM read_json_objects(${file}, format = ${jsonLinesFormat(file)}) AS r(j))`;
  return typed(from, code('t_attrs'), cfg?.default_unit, code(numbered ? 'row_number() OVER ()' : '0'), order);
}
