/**
 * Generic CSV telemetry, read through the column mapping of tokenledger.yaml (`telemetry.csv`): any
 * export with a timestamp, a model or deployment and prompt / completion token counts. Prompt tokens
 * include cached tokens, completion tokens include reasoning tokens, as in every other format. With a
 * `requests` column the rows are aggregates; without, one row is one request.
 */
import type { TelemetryConfig } from '../../config/config.js';
import { InputError } from '../../domain/errors.js';
import { code, ident, sql, type Sql } from '../../store/sql.js';
import { readCsvHeader } from '../common/csv-header.js';
import { tableFunction } from '../common/reader.js';
import { lineage, modelColumns, tokenChecks, wholeNumberSql } from './model.js';
import { parsedTimestamp, timestampProblem, type DateOrder } from '../common/timestamps.js';

export async function csvMappedSelect(file: string, cfg: TelemetryConfig | undefined, ingestionId: string,
  ingestedAt: string, order?: DateOrder): Promise<Sql> {
  const map = cfg?.csv;
  if (!map) {
    throw new InputError({ file }, 'generic CSV telemetry needs a column mapping', {
      hint: 'Add telemetry.csv to tokenledger.yaml (timestamp, model or deployment, prompt_tokens, completion_tokens); `tokenledger ' +
        'init` shows an example.',
    });
  }
  const header = await readCsvHeader(file, { wholeFile: true });
  const find = (name: string | undefined, key: string): string | null => {
    if (!name) return null;
    const hit = header.find((h) => h.trim().toLowerCase() === name.toLowerCase());
    if (!hit) throw new InputError({ file, line: 1 },
      `column ${name} (telemetry.csv.${key} in tokenledger.yaml) is not in the header; found ${header.slice(0, 10).join(', ')}`);
    return hit;
  };
  const c = (key: keyof NonNullable<TelemetryConfig['csv']>): Sql => {
    const col = find(map[key], key);
    return col ? ident(col) : code('NULL');
  };
  const text = (key: keyof NonNullable<TelemetryConfig['csv']>) => sql`nullif(trim(${c(key)}), '')`;
  const int = (key: keyof NonNullable<TelemetryConfig['csv']>, dflt: string) =>
    sql`coalesce(${wholeNumberSql(c(key))}, CASE WHEN nullif(trim(${c(key)}), '') IS NULL THEN ${code(dflt)} END)`;
  return sql`
WITH f AS (
  SELECT *,
    ${parsedTimestamp(sql`trim(${c('timestamp')})`, order)} AS t_ts, ${c('timestamp')} AS t_ts_text,
    lower(coalesce(${text('model')}, ${text('deployment')})) AS t_model,
    ${int('prompt_tokens', 'NULL')} AS t_in, ${int('completion_tokens', 'NULL')} AS t_out,
    ${int('cached_tokens', '0')} AS t_cached, ${int('cache_write_tokens', '0')} AS t_write, ${int('reasoning_tokens', '0')} AS t_reason,
    ${map.requests ? int('requests', 'NULL') : code('1')} AS t_requests
  FROM ${tableFunction(file, 'csv', header)}
)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'csv' AS format, coalesce(t_ts, TIMESTAMP '1970-01-01') AS ts,
  ${code(map.requests ? "'aggregate'" : "'request'")} AS grain,
  lower(${text('resource_id')}) AS resource_id, ${text('deployment')} AS deployment,
  ${modelColumns('t_model')},
  ${text('feature')} AS feature, ${text('team')} AS team, ${text('environment')} AS environment, ${text('cost_center')} AS cost_center,
  ${text('user_id')} AS user_id,
  CAST(coalesce(t_requests, 0) AS BIGINT) AS requests,
  coalesce(t_in, 0) AS input_tokens, coalesce(t_cached, 0) AS cached_input_tokens, coalesce(t_write, 0) AS cache_write_tokens,
  coalesce(t_out, 0) AS output_tokens, coalesce(t_reason, 0) AS reasoning_tokens, CAST(NULL AS VARCHAR) AS status,
  json_object('timestamp', t_ts_text) AS attributes, ${code(map.cached_tokens ? 'true' : 'false')} AS cache_split,
  ${text('request_id')} AS request_id,
  CASE
    WHEN t_ts IS NULL THEN ${`column ${map.timestamp}: `} || coalesce(t_ts_text, 'empty') || ' is not a date-time; expected '
      || ${timestampProblem(code("coalesce(trim(t_ts_text), '')"), order)}
    WHEN t_model IS NULL THEN 'no model or deployment'
    WHEN t_requests IS NULL OR t_requests < 0 THEN 'the request count is not a whole number of at least 0'
    ${tokenChecks({ input: 't_in', output: 't_out', cached: 't_cached', write: 't_write', reasoning: 't_reason' })}
  END AS tl_problem
FROM f`;
}
