/**
 * `tokenledger ingest telemetry`: token telemetry into the store, with the same guarantees as billing:
 * one transaction per command, re-ingesting the same file is a no-op, bad records are errors naming
 * file, line and what was expected, every row keeps its lineage (file, record, ingestion).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { code, sql, type Sql } from '../../store/sql.js';
import { addTelemetryRollups } from '../../store/telemetry-rollup.js';
import { digestFile, fingerprintFile, gunzipDigest, type FileDigest } from '../common/checksum.js';
import { csvPhysicalLine } from '../common/csv-header.js';
import { badJsonError, firstBadJsonLine, jsonRecordLine, listDataFiles, readFailure } from '../common/files.js';
import { healPendingRows } from '../common/heal.js';
import { fileIngestionId, insertIngestion, logEvent, skipIfSeen } from '../common/ledger-log.js';
import { isOwnSqlError, isReaderError, readerErrorAt, readerMessage } from '../common/reader.js';
import type { OutcomeLine, Source } from '../common/source.js';
import { apimMetricsBadRecord, apimMetricsSelect } from './apim-metrics.js';
import { apimGatewayLogInsert, apimLlmLogBadRecord, apimLlmLogSelect } from './apim-logs.js';
import { csvMappedSelect } from './csv-mapped.js';
import { azureMonitorSelect } from './azure-monitor.js';
import { detectTelemetryFormat, TELEMETRY_FORMATS, type TelemetryFormat } from './detect.js';
import { openaiJsonlSelect } from './openai-jsonl.js';
import { openaiUsageApiSelect } from './openai-usage-api.js';
import { openaiJsonlFastSelect, sampleJsonl, UNSAMPLED, WIDE_DIMENSIONS } from './openai-jsonl-fast.js';
import { otlpMetricsSelect } from './otlp-metrics.js';
import { otlpSpansSelect } from './otlp.js';
import { applyMapping } from './mapping.js';
import { insertSkipping, skippedDetail, type SkippedRecord } from './skip-unusable.js';
import type { TelemetryConfig } from '../../config/config.js';
import type { DateOrder } from '../common/timestamps.js';
import { dropDuplicateIds, duplicateDetail, duplicateIds, type DuplicateIds } from './duplicates.js';

const MARK = 'TL_BAD_RECORD';

export interface TelemetryOutcome extends OutcomeLine {
  format: TelemetryFormat;
  /** --skip-unusable: the records left out, by physical line and reason (the first LISTED_SKIPS; skippedCount is all). */
  skipped?: SkippedRecord[];
  skippedCount?: number;
  /** Records whose request id an earlier file has, per that file (kept, or left out with skipDuplicateIds). */
  duplicates?: { total: number; skipped: boolean; files: DuplicateIds[] };
}

const tsLiteral = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

/** How a JSONL file is read: the sampled fast reader first, then every alias, then record by record. */
type JsonlLevel = 'sampled' | 'full' | 'careful';

/**
 * The reader's SELECT for one file, and whether its rows go to the narrow telemetry_request_rows: a JSONL
 * file whose sample shows only the narrow columns, read by the sampled reader (a row filling another column
 * makes the insert fail, and the file is read again into the wide table).
 */
async function selectFor(store: Store, format: TelemetryFormat, file: string, id: string, at: string, opts: TelemetryOptions,
  level: JsonlLevel): Promise<{ sql: Sql; narrow: boolean }> {
  const cfg = opts.mapping;
  if (format !== 'openai-jsonl') return { sql: await otherSelect(store, format, file, id, at, cfg, opts.dateOrder), narrow: false };
  const aliases = cfg?.dimensions ?? {};
  if (level === 'careful') return { sql: applyMapping(openaiJsonlSelect(file, id, at, aliases, opts.dateOrder), cfg), narrow: false };
  const sample = await sampleJsonl(store, file, aliases, opts.jsonlSampleRecords);
  // a configured default for a dimension the narrow table leaves out needs the wide table
  const narrow = level === 'sampled' && sample.narrow === true &&
    !WIDE_DIMENSIONS.some((d) => cfg?.defaults?.[d as keyof NonNullable<TelemetryConfig['defaults']>] !== undefined);
  return { sql: applyMapping(openaiJsonlFastSelect(file, id, at, aliases, sample, level, { narrow, order: opts.dateOrder }), cfg), narrow };
}

async function otherSelect(store: Store, format: Exclude<TelemetryFormat, 'openai-jsonl'>, file: string, id: string, at: string,
  cfg: TelemetryConfig | undefined, order: DateOrder | undefined): Promise<Sql> {
  const aliases = cfg?.dimensions ?? {};
  switch (format) {
    case 'otlp-spans': return applyMapping(otlpSpansSelect(file, id, at, aliases), cfg);
    case 'otlp-metrics': return applyMapping(otlpMetricsSelect(file, id, at, aliases), cfg);
    case 'openai-usage-api': return applyMapping(openaiUsageApiSelect(file, id, at, aliases), cfg);
    case 'azure-monitor': return applyMapping(azureMonitorSelect(file, id, at, order), cfg);
    case 'apim-llm-log': return applyMapping(await apimLlmLogSelect(store, file, id, at, aliases, order), cfg);
    case 'csv': return applyMapping(await csvMappedSelect(file, cfg, id, at, order), cfg);
    case 'apim-gateway-log': throw new Error('gateway logs are not telemetry rows; see ingestGatewayLog');
    case 'apim-metrics': return applyMapping(await apimMetricsSelect(store, file, id, at, aliases, order), cfg);
    default: {
      const never: never = format;
      throw new Error(`no reader for ${String(never)}`);
    }
  }
}

/**
 * Locate the record behind a failed insert and throw an InputError naming file and line. For JSONL, when
 * the typed reader refused the file but every line is JSON and every record usable by the careful reader,
 * it returns instead: the caller reads the file again with the careful reader.
 */
async function locate(store: Store, e: unknown, file: string, select: Sql, perLine: boolean, jsonLines = false,
  csvRecords = false, badRecord?: () => Promise<number | null>): Promise<void> {
  const msg = (e as Error)?.message ?? String(e);
  if (isOwnSqlError(e)) throw e; // tokenledger's own SQL, not the input
  if (jsonLines) {
    // the fast reader refused the file or a record: find the first line that is not JSON, or the first
    // record the careful reader finds unusable
    const bad = msg.includes(MARK) ? null : await firstBadJsonLine(file);
    if (bad) throw badJsonError(file, bad);
    const [row] = await store.query<{ rn: string; problem: string }>(
      sql`SELECT rn, tl_problem AS problem FROM (SELECT row_number() OVER () AS rn, tl_problem FROM (${select}))
        WHERE tl_problem IS NOT NULL ORDER BY rn LIMIT 1`).catch(async (again: unknown) => {
      // the careful reader cannot read the file either: what DuckDB says of it, located
      if (isReaderError(again)) throw await readerErrorAt(file, again);
      throw again;
    });
    // the record's line: blank lines are not records
    if (row) throw new InputError({ file, line: await jsonRecordLine(file, Number(row.rn)), row: Number(row.rn) }, row.problem);
    return;
  }
  if (/Malformed JSON/i.test(msg) && !msg.includes(MARK)) {
    const bad = await firstBadJsonLine(file);
    throw badJsonError(file, bad, `not valid JSON (${readerMessage(e)}); expected one JSON object per line`);
  }
  if (!msg.includes(MARK)) {
    if (isReaderError(e)) throw await readerErrorAt(file, e);
    throw e;
  }
  if (!perLine) {
    // an aggregate row sums records: the first record with a bad value of its own is named (CSV: its line)
    const n = await badRecord?.().catch(() => null) ?? null;
    const at = n === null ? {} : /\.csv(\.gz)?$/i.test(file) ? { line: (await csvPhysicalLine(file, { record: n })) ?? n + 1 } : { row: n };
    throw new InputError({ file, ...at }, msg.slice(msg.indexOf(MARK) + MARK.length + 1).split('\n')[0]!);
  }
  const [row] = await store.query<{ rn: string; problem: string }>(
    sql`SELECT rn, tl_problem AS problem FROM (SELECT row_number() OVER () AS rn, tl_problem FROM (${select})) WHERE tl_problem IS NOT NULL
      ORDER BY rn LIMIT 1`);
  const problem = row?.problem ?? msg.slice(msg.indexOf(MARK) + MARK.length + 1).split('\n')[0]!;
  // a CSV's n-th record is on line n + 1 (the header is line 1) until blank lines or quoted line breaks
  const line = async (n: number) => (csvRecords ? (await csvPhysicalLine(file, { record: n })) ?? n + 1 : n);
  throw new InputError({ file, ...(row ? { line: await line(Number(row.rn)), row: Number(row.rn) } : {}) }, problem);
}

export interface TelemetryOptions {
  format?: TelemetryFormat | 'auto';
  /** tokenledger.yaml `telemetry:`: attribute aliases, resource / model mapping, defaults. */
  mapping?: TelemetryConfig;
  clock?: () => Date;
  /** Usage logs (openai-jsonl): ingest the usable records and list the others by line and reason, instead of
   * refusing the file (skip-unusable.ts). */
  skipUnusable?: boolean;
  /** How slash dates whose day and month could be swapped are read (--date-order, tokenledger.yaml ingest.date_order). */
  dateOrder?: DateOrder;
  /** Leave out records whose request id another ingested file has (else they are kept and reported). */
  skipDuplicateIds?: boolean;
  /** Records of a JSONL file DuckDB samples to plan the fast read (default 20,000; tests make it small). */
  jsonlSampleRecords?: number;
  /** Called about every 50 ms during an insert: the share of all files' bytes read, and records so far
   * (estimated from the bytes per line of the file's start). */
  onProgress?: (fraction: number, records: number) => void;
}

export async function ingestTelemetry(store: Store, paths: string[], opts: TelemetryOptions = {}): Promise<TelemetryOutcome[]> {
  await healPendingRows(store);
  const files = listDataFiles(paths, 'telemetry');
  const planned: Planned[] = [];
  // checksums are computed on Node's thread while DuckDB reads (see ingestPlanned), at most READ_AHEAD
  // bytes ahead of it: DuckDB's progress on the file says how far it is
  await store.enableProgress();
  for (const file of files) {
    const fingerprint = await fingerprintFile(file);
    const pace = { allowed: READ_AHEAD };
    const digest = digestFile(file, () => pace.allowed);
    digest.catch(() => undefined);
    const format = !opts.format || opts.format === 'auto' ? await detectTelemetryFormat(file, opts.mapping?.csv?.timestamp) : opts.format;
    planned.push({ file, fingerprint, bytes: statSync(file).size, digest, pace, format, recordBytes: bytesPerLine(file) });
  }
  // gateway logs first: LLM log rows of the same command join them on CorrelationId
  planned.sort((a, b) => Number(b.format === 'apim-gateway-log') - Number(a.format === 'apim-gateway-log'));
  const now = (opts.clock ?? (() => new Date()))();
  const at = tsLiteral(now);
  const levels = new Map<string, JsonlLevel>();
  try {
    for (;;) {
      try {
        const outcomes = await ingestPlanned(store, planned, at, levels, opts);
        // records get their numbers now, outside the ingest transaction (see common/heal.ts)
        await healPendingRows(store);
        return outcomes;
      } catch (e) {
        if (!(e instanceof ReadAgain) || levels.get(e.file) === e.level) throw e;
        levels.set(e.file, e.level);
      }
    }
  } finally {
    // checksums still waiting for DuckDB (a failed command) are not wanted any more
    for (const p of planned) if (p.pace.allowed !== Infinity) p.pace.allowed = -1;
  }
}

/** Token telemetry as a source (common/source.ts). */
export const telemetrySource: Source<TelemetryOptions, TelemetryOutcome> = {
  kind: 'telemetry',
  describe: 'token telemetry (usage logs, OTLP spans and metrics, APIM metrics and logs, Azure Monitor, mapped CSV) into telemetry',
  formats: TELEMETRY_FORMATS,
  ingest: (store, paths, options) => ingestTelemetry(store, paths, options),
};

/** A JSONL file to read again with a slower reader (see openai-jsonl-fast.ts): the command starts again. */
class ReadAgain extends Error {
  constructor(readonly file: string, readonly level: JsonlLevel) {
    super(`${file}: to be read with the ${level} JSONL reader`);
  }
}

type Planned = { file: string; fingerprint: string; bytes: number; digest: Promise<FileDigest>; pace: { allowed: number };
  format: TelemetryFormat; recordBytes: number };

/** Average bytes per line in the first 64 KiB: how the progress bar turns bytes read into records. */
function bytesPerLine(file: string): number {
  if (file.endsWith('.gz')) return 0;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    let lines = 0;
    for (let i = 0; i < n; i++) if (head[i] === 10) lines++;
    return lines ? n / lines : 0;
  } finally {
    closeSync(fd);
  }
}

/** How far the checksum may read ahead of DuckDB in a file (what the page cache surely holds meanwhile). */
const READ_AHEAD = 256 * 2 ** 20;

/** One transaction over the planned files; `levels` says which JSONL files need a slower reader. */
async function ingestPlanned(store: Store, planned: Planned[], at: string, levels: Map<string, JsonlLevel>,
  opts: TelemetryOptions): Promise<TelemetryOutcome[]> {
  return store.transaction(async () => {
    const out: TelemetryOutcome[] = [];
    const totalBytes = planned.reduce((a, p) => a + p.bytes, 0) || 1;
    let doneBytes = 0;
    let doneRecords = 0;
    for (const { file, fingerprint, bytes, digest: digesting, pace, format, recordBytes } of planned) {
      // 1. Only a file of the same size as one already ingested (in an earlier command or earlier in this
      //    one) can be a re-ingest: its checksum is awaited before anything is read. Any other file is
      //    read while its checksum is computed, and is named by its fingerprint meanwhile.
      let ingestionId = fileIngestionId('tel', at, fingerprint);
      const [sameSize] = await store.query(sql`SELECT 1 AS x FROM telemetry_files WHERE bytes = ${bytes} LIMIT 1`);
      if (sameSize) {
        pace.allowed = Infinity;
        const { sha256 } = await digesting;
        const seen = await skipIfSeen(store, 'telemetry', sha256, at, file);
        if (seen) {
          out.push({ source: file, action: 'skipped', format, rows: 0, ...seen });
          continue;
        }
        // another file of this command with the same size, start and end: named by its checksum instead
        const [taken] = await store.query(sql`SELECT 1 AS x FROM ingestions WHERE ingestion_id = ${ingestionId}`);
        if (taken) ingestionId = fileIngestionId('tel', at, sha256);
      }
      if (format === 'apim-gateway-log') {
        pace.allowed = Infinity;
        out.push(await ingestGatewayLog(store, file, await digesting, ingestionId, at, opts.dateOrder));
        continue;
      }
      const level = levels.get(file) ?? 'sampled';
      // a reader failing while the statement is planned (a query-API JSON cut short) is the file's fault
      const { sql: select, narrow } = await selectFor(store, format, file, ingestionId, at, opts, level)
        .catch(async (e: unknown) => { throw (await readFailure(file, e)) ?? e; });
      const gzip = file.endsWith('.gz') ? gunzipDigest(file) : Promise.resolve(null);
      gzip.catch(() => undefined);
      const insert = narrow
        ? sql`INSERT INTO telemetry_request_rows SELECT ${NARROW_COLUMNS} FROM (${select})
          WHERE CASE WHEN tl_problem IS NOT NULL THEN error(${MARK + ' '} || tl_problem)
                     WHEN NOT tl_narrow_fits THEN error(${`${MARK} ${UNSAMPLED}`}) ELSE true END`
        : sql`INSERT INTO telemetry_wide_rows SELECT ${ROW_COLUMNS} FROM (${select})
          WHERE CASE WHEN tl_problem IS NOT NULL THEN error(${MARK + ' '} || tl_problem) ELSE true END`;
      // --skip-unusable: the careful reader takes the usable records and lists the others
      const skipping = opts.skipUnusable === true && format === 'openai-jsonl';
      let skips: Awaited<ReturnType<typeof insertSkipping>> | null = null;
      const following = setInterval(() => {
        const p = store.progress();
        pace.allowed = p.percentage < 0 ? Infinity : Math.max(pace.allowed, (p.percentage / 100) * bytes + READ_AHEAD);
        const within = Math.max(0, p.percentage / 100) * bytes;
        opts.onProgress?.((doneBytes + within) / totalBytes, doneRecords + (recordBytes ? Math.round(within / recordBytes) : 0));
      }, 50);
      try {
        if (skipping && level === 'careful') skips = await insertSkipping(store, file, ingestionId, select, ROW_COLUMNS);
        else await store.query(insert);
      } catch (e) {
        // the checksum stays where it is: a file read again takes it further, a failed command abandons it
        clearInterval(following);
        await gzip;
        // a failed statement aborts the transaction: locate the record outside it, then start again (the
        // command's earlier files were not committed, so the command as a whole fails or is redone)
        await store.query('ROLLBACK');
        const jsonl = format === 'openai-jsonl';
        try {
          // a row with metadata keys the sample did not show: every alias is looked up next time
          if (jsonl && level === 'sampled' && String((e as Error)?.message).includes(UNSAMPLED)) throw new ReadAgain(file, 'full');
          // skipping: unusable records go to the careful reader, which leaves them out; a line that is not JSON is still an error
          if (skipping && level !== 'careful') {
            const bad = String((e as Error)?.message).includes(MARK) ? null : await firstBadJsonLine(file);
            if (bad) {
              throw new InputError({ file, line: bad.line },
                `not valid JSON: ${JSON.stringify(bad.text)}; expected one JSON object per line`);
            }
            throw new ReadAgain(file, 'careful');
          }
          const slow = jsonl
            ? applyMapping(openaiJsonlSelect(file, ingestionId, at, opts.mapping?.dimensions ?? {}, opts.dateOrder), opts.mapping)
            : select;
          const badRecord = format === 'apim-metrics' ? () => apimMetricsBadRecord(store, file, opts.dateOrder)
            : format === 'apim-llm-log' ? () => apimLlmLogBadRecord(store, file, opts.dateOrder) : undefined;
          await locate(store, e, file, slow, jsonl || format === 'otlp-spans' || format === 'csv', jsonl && level !== 'careful',
            format === 'csv', badRecord);
        } finally {
          await store.query('BEGIN TRANSACTION');
        }
        // every record is usable, the typed reader just could not take one: the command starts again (the
        // rollback undid its earlier files too), reading this file with the careful reader
        throw new ReadAgain(file, 'careful');
      }
      clearInterval(following);
      pace.allowed = Infinity;
      const unzipped = await gzip;
      // 2. the checksum, computed meanwhile, is what the ingestion records (and what a re-ingest matches)
      const digest = await digesting;
      // the same content under another name or compression (a .jsonl.gz of an ingested .jsonl, or the reverse)
      const contentChecksum = unzipped?.sha256 ?? digest.sha256;
      const same = await skipIfSeen(store, 'telemetry', contentChecksum, at, file);
      if (same) {
        for (const t of [code('telemetry_wide_rows'), code('telemetry_request_rows')])
          await store.query(sql`DELETE FROM ${t} WHERE tl_ingestion_id = ${ingestionId}`);
        out.push({ source: file, action: 'skipped', format, rows: 0, ...same });
        continue;
      }
      // 3. records another file gave already (by request id): reported, or left out when asked
      const dupes = await duplicateIds(store, ingestionId);
      const dropDupes = dupes.total > 0 && opts.skipDuplicateIds === true;
      if (dropDupes) await dropDuplicateIds(store, ingestionId, skips !== null);
      const dupeNote = duplicateDetail(dupes, dropDupes);
      const duplicates = dupes.total ? { duplicates: { ...dupes, skipped: dropDupes } } : {};
      const [{ n, first, last }] = (await store.query<{ n: string; first: string | null; last: string | null }>(
        sql`SELECT count(*) AS n, CAST(min(ts) AS VARCHAR) AS first, CAST(max(ts) AS VARCHAR) AS last FROM telemetry_rows
          WHERE tl_ingestion_id = ${ingestionId}`)) as [{ n: string; first: string | null; last: string | null }];
      const rows = Number(n);
      const skippedNote = skips ? skippedDetail(skips.reasons) : '';
      if (rows === 0 && dropDupes) {
        // every record was ingested before from other files: nothing to add (and nothing recorded)
        const earlier = dupes.files[0]!.ingestionId;
        await logEvent(store, at, 'skipped', earlier, file, 0, dupeNote);
        out.push({ source: file, action: 'skipped', format, rows: 0, ingestionId: earlier, detail: dupeNote, ...duplicates });
        continue;
      }
      if (rows === 0 && skips?.count) throw new InputError({ file }, `no usable records in the file: ${skippedNote}`);
      if (rows === 0) {
        const what = format === 'otlp-spans' ? 'no spans with gen_ai.usage.* attributes'
          : format === 'otlp-metrics' ? 'no gen_ai.client.token.usage data points' : 'no telemetry records';
        throw new InputError({ file }, `${what} in the file`);
      }
      const detail = `${format}, ${first?.slice(0, 10)} to ${last?.slice(0, 10)}${skippedNote ? `; ${skippedNote}` : ''}${
        dupeNote ? `; ${dupeNote}` : ''}`;
      // records read while skipping carry their record numbers already
      await recordIngestion(store,
        { id: ingestionId, file, checksum: digest.sha256, contentChecksum, bytes: digest.bytes, rows, at, format, detail,
          numbered: skips !== null || dropDupes,
          ...fileFacts(format, opts.mapping) });
      // 4. the rollups the telemetry reports read, in this transaction: they commit or roll back with the rows
      await addTelemetryRollups(store, ingestionId);
      doneBytes += bytes;
      doneRecords += rows;
      out.push({ source: file, action: 'ingested', ingestionId, format, rows, detail,
        ...(skips ? { skipped: skips.listed, skippedCount: skips.count } : {}), ...duplicates });
    }
    return out;
  });
}

/** What is the same for every row of a file of this format (stored once, in telemetry_files). */
function fileFacts(format: TelemetryFormat, cfg: TelemetryConfig | undefined): { grain: 'request' | 'aggregate'; cacheSplit: boolean } {
  switch (format) {
    case 'openai-jsonl': case 'otlp-spans': return { grain: 'request', cacheSplit: true };
    case 'apim-llm-log': case 'apim-gateway-log': return { grain: 'request', cacheSplit: false };
    case 'otlp-metrics': case 'apim-metrics': case 'azure-monitor': return { grain: 'aggregate', cacheSplit: false };
    case 'openai-usage-api': return { grain: 'aggregate', cacheSplit: true };
    case 'csv': return { grain: cfg?.csv?.requests ? 'aggregate' : 'request', cacheSplit: Boolean(cfg?.csv?.cached_tokens) };
    default: {
      const never: never = format;
      throw new Error(`no facts for ${String(never)}`);
    }
  }
}

/** The row-level columns of telemetry_wide_rows, in table order, taken from a reader's SELECT. */
const ROW_COLUMNS = code('tl_ingestion_id, tl_source_row, ts, resource_id, deployment, model, model_version, feature, team, environment, '
  + 'cost_center, user_id, requests, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, status, ' +
  'attributes, request_id');
/** Those of telemetry_request_rows (migration 008); the reader says by tl_narrow_fits whether a row fits. */
const NARROW_COLUMNS = code(
  'tl_ingestion_id, tl_source_row, ts, resource_id, model, model_version, feature, team, environment, input_tokens, cached_input_tokens, ' +
    'output_tokens, request_id');

async function recordIngestion(store: Store,
  o: { id: string; file: string; checksum: string; bytes: number; rows: number; at: string; format: TelemetryFormat; detail: string;
    numbered: boolean; grain: string; cacheSplit: boolean; contentChecksum?: string }) {
  await insertIngestion(store, {
    id: o.id, kind: 'telemetry', format: o.format, source: o.file, checksum: o.checksum, files: 1, rows: o.rows,
    ...(o.contentChecksum ? { contentChecksum: o.contentChecksum } : {}),
    scope: `telemetry:${o.file}`, at: o.at,
  });
  await store.query(
    sql`INSERT INTO telemetry_files VALUES (${o.id}, ${o.file}, ${o.checksum}, ${o.bytes}, ${o.rows}, ${o.numbered},
      CAST(${o.at} AS TIMESTAMP),
    ${o.format}, ${o.grain}, ${o.cacheSplit}, 0)`);
  await logEvent(store, o.at, 'ingested', o.id, o.file, o.rows, o.detail);
}

/** A gateway log is kept for enrichment (apim_gateway_log), not as telemetry rows. */
async function ingestGatewayLog(store: Store, file: string, digest: { sha256: string; bytes: number }, id: string,
  at: string, order: DateOrder | undefined): Promise<TelemetryOutcome> {
  try {
    await store.query(await apimGatewayLogInsert(store, file, id, order, async (record, problem) => {
      const line = /\.csv(\.gz)?$/i.test(file) ? (await csvPhysicalLine(file, { record })) ?? record + 1 : null;
      throw new InputError({ file, ...(line === null ? { row: record } : { line, row: record }) }, problem);
    }));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw await readerErrorAt(file, e);
  }
  const [{ n }] =
    (await store.query<{ n: string }>(sql`SELECT count(*) AS n FROM apim_gateway_log WHERE tl_ingestion_id = ${id}`)) as [{ n: string }];
  const rows = Number(n);
  if (rows === 0) throw new InputError({ file }, 'no gateway log rows with a CorrelationId');
  const detail = 'apim-gateway-log, kept to enrich APIM LLM log rows (CorrelationId)';
  await recordIngestion(store,
    { id, file, checksum: digest.sha256, bytes: digest.bytes, rows, at, format: 'apim-gateway-log', detail, numbered: true,
      grain: 'request', cacheSplit: false });
  return { source: file, action: 'ingested', ingestionId: id, format: 'apim-gateway-log', rows, detail };
}
