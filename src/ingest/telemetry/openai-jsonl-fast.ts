/**
 * The fast reader of OpenAI-style JSONL usage logs. DuckDB's JSON reader parses each line once into typed
 * columns; the per-row SQL after it is what makes an ingest slower than a plain read_json, so this file
 * keeps it small, and leaves every record it is not sure of to the careful reader (openai-jsonl.ts).
 *
 * Three readers, tried in order for a file (ingest.ts restarts the command with the next one):
 * 1. `sampled`: the first records (sampleJsonl) say which metadata / attributes keys to look up, which
 *    top-level keys to read, and whether the file fits the narrow telemetry_request_rows; a row with a key
 *    or a column the sample did not show fails with UNSAMPLED (a count of keys per row checks it).
 * 2. `full`: every alias looked up, every column kept (the wide table).
 * 3. the careful reader, record by record as JSON: names the bad record, or ingests a file whose records
 *    are all usable although the typed reader refused one (a timestamp only "created" gives...).
 * In both fast readers, model names and resource IDs seen in the sample take their normalized form from a
 * list. They only accept a record the careful one accepts, with the same values (a property test holds
 * them to it); any other record makes the insert fail and the careful reader decide.
 */
import { duckdb } from '../../store/packages.js';

const { structValue } = duckdb;
import type { Store } from '../../store/db.js';
import { code, ident, join, sql, type Sql } from '../../store/sql.js';
import { textList } from '../common/reader.js';
import { jsonLinesFormat } from '../common/files.js';
import { datedSql, lineage, modelSql, versionSql, wholeNumberSql as whole } from './model.js';
import { DIMENSIONS, type Aliases } from './openai-jsonl.js';
import { EPOCH_KEYS, ID_KEYS, jsonlTimestamp, requestIdSql, TEXT_KEYS } from './jsonl-keys.js';
import type { DateOrder } from '../common/timestamps.js';

/** The error text a row with unsampled metadata / attributes keys raises under the sampled reader. */
export const UNSAMPLED = 'TL_UNSAMPLED_KEYS';

/**
 * What DuckDB's sample of a JSONL file shows: its top-level keys (lower case, from DuckDB's own schema
 * detection) and the keys of the `metadata` and `attributes` objects in the first records. A part that
 * cannot be told is null, and the reader then looks up every alias there.
 */
export interface JsonlSample {
  top: Set<string> | null;
  metadata: string[] | null;
  attributes: string[] | null;
  /** Raw model names in the sample with their normalized model and version, and raw resource IDs with
   * their lowered form, as this reader's own SQL computes them: a row with one of these takes the answer
   * from a list (lower(), the dated test and the split were a fifth of the per-row work). */
  models?: { raw: string; model: string; version: string | null }[] | null;
  resources?: { raw: string; id: string }[] | null;
  /** The sample fills none of the columns telemetry_request_rows leaves out (migration 008). */
  narrow?: boolean;
}

/** Dimensions and gateway ids a narrow file never has, and token splits it never reports. */
export const WIDE_DIMENSIONS = ['deployment', 'cost_center', 'user_id', 'status'] as const;
const WIDE_KEYS = ['api_id', 'backend_id'];
const WIDE_TOKENS = /reasoning_tokens|cache_write_tokens|cache_creation_input_tokens/;

/** Records read for the sample; the most keys worth checking per row, and values worth a list. */
const SAMPLE_RECORDS = 20_000;
const MAX_SAMPLED_KEYS = 32;
const MAX_SAMPLED_VALUES = 64;

export async function sampleJsonl(store: Store, file: string, extra: Aliases = {}, records = SAMPLE_RECORDS): Promise<JsonlSample> {
  const sample: JsonlSample = { top: null, metadata: null, attributes: null };
  let types = '';
  try {
    const cols = await store.columns(sql`SELECT * FROM read_json(${file}, format = ${jsonLinesFormat(file)}, sample_size = ${records})`);
    sample.top = new Set(cols.map((c) => c.name.toLowerCase()));
    types = cols.map((c) => c.type).join(' ');
  } catch {
    return sample;
  }
  try {
    const [row] = await store.query<{ m: string[] | null; a: string[] | null }>(sql`
      SELECT list_distinct(flatten(list(map_keys(metadata)))) AS m, list_distinct(flatten(list(map_keys(attributes)))) AS a
      FROM (SELECT metadata, attributes FROM read_json(${file}, format = ${jsonLinesFormat(file)},
              columns = {'metadata': 'MAP(VARCHAR, VARCHAR)', 'attributes': 'MAP(VARCHAR, VARCHAR)'}) LIMIT ${records})`);
    const keep = (keys: string[] | null | undefined) => (keys && keys.length <= MAX_SAMPLED_KEYS ? [...keys].sort() : null);
    sample.metadata = row ? keep(row.m ?? []) : null;
    sample.attributes = row ? keep(row.a ?? []) : null;
  } catch {
    // a record the MAP cannot hold: the insert fails on it too, and the careful reader names it
    return sample;
  }
  try {
    const first = openaiJsonlFastSelect(file, '', '1970-01-01 00:00:00', extra, sample, 'sampled', { limit: records });
    const models = await store.query<{ raw: string; model: string; version: string | null }>(
      sql`SELECT DISTINCT tl_raw_model AS raw, model, model_version AS version FROM (${first}) WHERE tl_raw_model IS NOT NULL
        AND model IS NOT NULL LIMIT ${MAX_SAMPLED_VALUES + 1}`);
    const resources = await store.query<{ raw: string; id: string }>(
      sql`SELECT DISTINCT tl_raw_resource AS raw, resource_id AS id FROM (${first}) WHERE tl_raw_resource IS NOT NULL
        LIMIT ${MAX_SAMPLED_VALUES + 1}`);
    sample.models = models.length <= MAX_SAMPLED_VALUES ? models : null;
    sample.resources = resources.length <= MAX_SAMPLED_VALUES ? resources : null;
    const wide = [...WIDE_DIMENSIONS.flatMap((d) => [...(extra[d] ?? []), ...DIMENSIONS[d]!]), ...WIDE_KEYS];
    const seen = (keys: string[] | null, lower = false) => keys === null ||
      keys.some((k) => wide.some((w) => (lower ? w.toLowerCase() === k : w === k)));
    sample.narrow = !seen([...sample.top], true) && !seen(sample.metadata) && !seen(sample.attributes) && !WIDE_TOKENS.test(types);
  } catch {
    // the first records do not read: the insert fails on them too, and the careful reader names them
  }
  return sample;
}

const CONTAINERS = ['metadata', 'attributes'] as const;
/** Top-level keys both readers read the same way (jsonl-keys.ts): every timestamp spelling and every id key,
 * read always (a key the file lacks costs next to nothing; one the sample missed would give another value). */
const TIME_KEYS = [...new Set<string>([...TEXT_KEYS, ...EPOCH_KEYS])];

/** SQL of a dimension value cleaned as the careful reader does: spaces trimmed, '' as NULL. trim() runs
 * only on values starting or ending with a space (on every value it was the costliest step of the read). */
const clean = (x: string): Sql => code(`CASE WHEN ${x} = '' OR ${x} LIKE ' %' OR ${x} LIKE '% ' THEN nullif(trim(${x}), '') ELSE ${x} END`);

/**
 * The fast SELECT for one file (columns as every telemetry reader gives them, `tl_problem` NULL on rows it
 * takes). `sample` null or `mode` 'full': every alias is looked up.
 */
export function openaiJsonlFastSelect(file: string, ingestionId: string, ingestedAt: string, extra: Aliases = {}, sample?: JsonlSample,
  mode: 'sampled' | 'full' = 'sampled', o: { limit?: number; narrow?: boolean; order?: DateOrder | undefined } = {}): Sql {
  const narrow = o.narrow === true && mode === 'sampled';
  const present = sample?.top ?? null;
  // DuckDB matches JSON keys to these columns without regard to case, so one column per spelling
  const keys = new Map<string, string>();
  const addKey = (k: string) => { if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k); };
  // "response" (Responses API objects) only when sampled or in full mode: a record needing it lacks a usage
  // (refused, read carefully) or a model (then model may come from it: UNSAMPLED, read in full)
  // (the response's id is a record's id only when its usage is the response's: such a record is refused without it)
  const response = mode === 'full' || !present || present.has('response');
  for (const k of ['model', 'metadata', 'attributes', 'usage', ...(response ? ['response'] : []), ...TIME_KEYS, ...ID_KEYS]) addKey(k);
  // every extra column costs parse time: aliases are read only if the file uses them (DuckDB's own sample)
  for (const name of Object.keys(DIMENSIONS)) {
    for (const [i, a] of [...(extra[name] ?? []), ...DIMENSIONS[name]!].entries()) {
      if (i === 0 || name === 'environment' || !present || present.has(a.toLowerCase())) addKey(a);
    }
  }
  const top = (a: string) => keys.get(a.toLowerCase());
  // a top-level key is a column of the reader: an identifier (aliases from tokenledger.yaml included)
  const col = (k: string) => ident(k);
  // token counts as their JSON text, judged by wholeNumberSql as the careful reader judges them (typed, the
  // reader would take 12.5 as 12 with BIGINT and true as 1 with DOUBLE; the text costs no more to read);
  // timestamps and ids as text (the strict parser reads the timestamps)
  const detail = (...f: string[]) => `STRUCT(${f.map((x) => `${x} VARCHAR`).join(', ')})`;
  const usage = `STRUCT(prompt_tokens VARCHAR, completion_tokens VARCHAR, input_tokens VARCHAR, output_tokens VARCHAR, ` +
    `cache_creation_input_tokens VARCHAR, cache_read_input_tokens VARCHAR, `
    + `prompt_tokens_details ${detail('cached_tokens', 'cache_write_tokens')}, input_tokens_details ${detail('cached_tokens',
      'cache_write_tokens')}, `
    + `completion_tokens_details ${detail('reasoning_tokens')}, output_tokens_details ${detail('reasoning_tokens')})`;
  const special: Record<string, string> = {
    metadata: 'MAP(VARCHAR, VARCHAR)', attributes: 'MAP(VARCHAR, VARCHAR)', usage,
    response: `STRUCT(model VARCHAR, usage ${usage}, id VARCHAR)`,
  };
  // the reader's columns (names from the sample and the configuration) as one STRUCT value
  const columns = structValue(Object.fromEntries([...keys.values()].map((k) => [k, special[k] ?? 'VARCHAR'])));

  // 1. lookups: every alias, or (sampled) only those the sample showed, with the per-row check; the keys
  //    looked up in metadata / attributes are values (parameters)
  const sampled = mode === 'sampled' && sample ? { metadata: sample.metadata, attributes: sample.attributes }
    : { metadata: null, attributes: null };
  const lookups = (aliases: string[]): Sql[] => CONTAINERS.flatMap((c) =>
    aliases.filter((a) => sampled[c] === null || sampled[c]!.includes(a)).map((a) => sql`${code(c)}[${a}]`));
  // a row's keys are all sampled ones when the sampled keys it has are as many as it has keys
  const unsampled = CONTAINERS.filter((c) => sampled[c] !== null).map((c) => sql`cardinality(${code(c)}) <> ${
    sampled[c]!.length ? join(sampled[c]!.map((k) => sql`(${code(c)}[${k}] IS NOT NULL)::INTEGER`), ' + ') : code('0')}`);
  const firstOf = (exprs: Sql[]): Sql | null =>
    (exprs.length === 0 ? null : exprs.length === 1 ? exprs[0]! : sql`coalesce(${join(exprs, ', ')})`);
  const dim = (name: string) => {
    const aliases = [...(extra[name] ?? []), ...DIMENSIONS[name]!];
    const tops = [...new Set(aliases.map(top).filter((c): c is string => c !== undefined))].map(col);
    return firstOf([...tops, ...lookups(aliases)]);
  };
  const dims = ['resource_id', 'deployment', 'feature', 'team', 'environment', 'cost_center', 'user_id', 'status'];
  const raw = Object.fromEntries(dims.map((d) => [d, dim(d)]));
  // 2. a dimension cleaned where it is used (see clean), so a column the insert does not keep is never computed
  const cleaned = (d: string) => (raw[d] ? clean(`d_${d}`) : code('CAST(NULL AS VARCHAR)'));
  const model = firstOf([col('model'), ...lookups(['model'])])!;
  const gateway = (k: string) => firstOf(lookups([k])) ?? code('CAST(NULL AS VARCHAR)');
  const u = (path: string) => (response ? `coalesce(usage.${path}, response.usage.${path})` : `usage.${path}`);
  const time = jsonlTimestamp((k) => col(top(k)!), o.order);
  const requestId = requestIdSql((k) => col(top(k)!),
    code(response ? 'CASE WHEN usage IS NULL THEN response.id END' : 'CAST(NULL AS VARCHAR)'));
  // 3. sampled model names and resource IDs: their normalized forms from a list (values: one parameter each)
  const modelList = sample?.models?.length ? sample.models : null;
  const resourceList = sample?.resources?.length ? sample.resources : null;
  const write = `coalesce(${u('prompt_tokens_details.cache_write_tokens')}, ${u('input_tokens_details.cache_write_tokens')}, ${u(
    'cache_creation_input_tokens')}, '0')`;
  const reason = `coalesce(${u('completion_tokens_details.reasoning_tokens')}, ${u('output_tokens_details.reasoning_tokens')}, '0')`;
  const narrowFits =
    join([...WIDE_DIMENSIONS.filter((d) => raw[d]).map((d) => `d_${d} IS NULL`), 'd_api_id IS NULL', 'd_backend_id IS NULL',
    `TRY_CAST(${write} AS DOUBLE) = 0`, `TRY_CAST(${reason} AS DOUBLE) = 0`].map(code), ' AND ');
  const noList = code('CAST([] AS VARCHAR[])');
  const dimColumns = join(dims.filter((d) => raw[d]).map((d) => sql`${raw[d]!} AS ${code(`d_${d}`)}`), ',\n    ');
  const refused = [...unsampled, ...(response ? [] : [sql`${model} IS NULL`])];
  return sql`
WITH r AS (
  SELECT * FROM read_json(${file}, format = ${jsonLinesFormat(file)}, columns = ${columns})${o.limit ? sql` LIMIT ${o.limit}` : code('')}
), d AS (
  SELECT *,
    ${dimColumns},
    ${model} AS d_model,
    ${gateway('api_id')} AS d_api_id, ${gateway('backend_id')} AS d_backend_id,
    ${refused.length ? join(refused, ' OR ') : code('false')} AS unsampled_keys,
    ${time.text} AS t_ts_text, ${requestId} AS t_request_id,
    -- Anthropic's exclusive shape (input_tokens without the cache counts beside it): left to the careful reader
    ${code(`(${u('prompt_tokens')}) IS NULL AND (${u('completion_tokens')}) IS NULL
      AND ((${u('cache_read_input_tokens')}) IS NOT NULL OR (${u('cache_creation_input_tokens')}) IS NOT NULL)`)} AS exclusive_shape
  FROM r
), f AS (
  SELECT *,
    -- the strict parser (common/timestamps.ts) over the first timestamp text, or epoch seconds
    ${time.ts(code('t_ts_text'))} AS t_ts,
    ${cleaned('resource_id')} AS c_resource_id,
    ${whole(`coalesce(${u('prompt_tokens')}, ${u('input_tokens')})`)} AS t_in,
    ${whole(`coalesce(${u('completion_tokens')}, ${u('output_tokens')})`)} AS t_out,
    ${whole(`coalesce(${u('prompt_tokens_details.cached_tokens')}, ${u('input_tokens_details.cached_tokens')}, ${
      u('cache_read_input_tokens')}, '0')`)} AS t_cached,
    ${whole(write)} AS t_write,
    ${whole(reason)} AS t_reason
  FROM d
), g AS (
  SELECT *, ${modelList ? sql`list_position(${textList(modelList.map((m) => m.raw))}, m0)` : code('CAST(NULL AS INTEGER)')} AS mi,
    ${resourceList ? sql`list_position(${textList(resourceList.map((r) => r.raw))}, c_resource_id)` : code('CAST(NULL AS INTEGER)')} AS ri
  -- the deployment is cleaned only where it stands in for a missing model (coalesce goes no further than it must)
  FROM (SELECT *, coalesce(nullif(d_model, ''), ${code(response ? "nullif(response.model, ''), " : '')}${cleaned('deployment')}) AS m0
    FROM f)
), h AS (
  -- names not in the sampled list: normalized here (CASE evaluates THEN only on the rows it selects)
  SELECT *, CASE WHEN mi IS NULL THEN lower(${clean('m0')}) END AS raw_model FROM g
), i AS (
  SELECT *, CASE WHEN mi IS NULL THEN ${datedSql('raw_model')} END AS dated FROM h
)
SELECT
  ${lineage(ingestionId, file, ingestedAt)}, 'openai-jsonl' AS format, coalesce(t_ts, TIMESTAMP '1970-01-01') AS ts, 'request' AS grain,
  CASE WHEN ri IS NOT NULL THEN ${resourceList ? textList(resourceList.map((r) => r.id)) : noList}[ri]
    ELSE lower(c_resource_id) END AS resource_id,
  ${cleaned('deployment')} AS deployment,
  CASE WHEN mi IS NOT NULL THEN ${modelList ? textList(modelList.map((m) => m.model)) : noList}[mi]
    ELSE ${modelSql('raw_model', 'dated')} END AS model,
  CASE WHEN mi IS NOT NULL THEN ${modelList ? textList(modelList.map((m) => m.version)) : noList}[mi]
    ELSE ${versionSql('raw_model', 'dated')} END AS model_version,
  m0 AS tl_raw_model, c_resource_id AS tl_raw_resource,
  ${cleaned('feature')} AS feature, ${cleaned('team')} AS team, ${cleaned('environment')} AS environment,
  ${cleaned('cost_center')} AS cost_center, ${cleaned('user_id')} AS user_id,
  CAST(1 AS BIGINT) AS requests,
  t_in AS input_tokens, t_cached AS cached_input_tokens, t_write AS cache_write_tokens,
  t_out AS output_tokens, t_reason AS reasoning_tokens,
  ${cleaned('status')} AS status,
  -- the record stays in its file (file and line are the lineage); gateway ids are kept for mapping
  CASE WHEN d_api_id IS NOT NULL OR d_backend_id IS NOT NULL
       THEN json_object('api_id', d_api_id, 'backend_id', d_backend_id) END AS attributes,
  true AS cache_split, t_request_id AS request_id,
  -- the careful reader names what is wrong with a record; here it is only refused
  CASE
    WHEN unsampled_keys THEN ${UNSAMPLED}
    WHEN exclusive_shape THEN 'a record the fast reader does not take'
    WHEN NOT coalesce(t_ts IS NOT NULL AND (mi IS NOT NULL OR raw_model IS NOT NULL) AND t_in >= 0 AND t_out >= 0 AND t_cached >= 0
              AND ${code(narrow ? 't_cached <= t_in'
                : 't_write >= 0 AND t_reason >= 0 AND t_cached + t_write <= t_in AND t_reason <= t_out')}, false)
      THEN 'a record the fast reader does not take'
  END AS tl_problem,
  -- 4. narrow: the row leaves empty every column telemetry_request_rows does not have (raw values, so that
  --    the columns it does not store are never computed)
  ${narrow ? sql`(${narrowFits})` : code('true')} AS tl_narrow_fits
FROM i`;
}
