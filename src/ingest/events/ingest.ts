/**
 * `tokenledger ingest events`: business events into the store with the guarantees of the other ingests:
 * one transaction per command, the same file again is a no-op, a bad record is an error naming file,
 * line and what was expected, and nothing is written.
 */
import { extname } from 'node:path';
import type { EventsConfig } from '../../config/economics.js';
import { InputError, UsageError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { sql, type Sql } from '../../store/sql.js';
import { contentDigest, digestFile } from '../common/checksum.js';
import { csvPhysicalLine } from '../common/csv-header.js';
import { badJsonError, firstBadJsonLine, jsonRecordLine, listDataFiles } from '../common/files.js';
import { healPendingRows } from '../common/heal.js';
import { fileIngestionId, insertIngestion, logEvent, skipIfSeen } from '../common/ledger-log.js';
import { isOwnSqlError, isReaderError, readerErrorAt, readerMessage } from '../common/reader.js';
import type { OutcomeLine, Source } from '../common/source.js';
import { csvEventsSelect, jsonlEventsSelect } from './select.js';
import type { DateOrder } from '../common/timestamps.js';

export type EventsFormat = 'csv' | 'jsonl';

export interface EventsOutcome extends OutcomeLine {
  format: EventsFormat;
}

export interface EventsOptions { config?: EventsConfig; clock?: () => Date; dateOrder?: DateOrder }

const MARK = 'TL_BAD_EVENT';

export function eventsFormatOf(file: string): EventsFormat {
  const ext = extname(file.toLowerCase().replace(/\.gz$/, ''));
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  throw new UsageError(`${file}: cannot tell the events format from the extension; expected .csv, .jsonl or .ndjson (optionally .gz)`);
}

/**
 * Name the record behind a failed insert: a line that is not JSON, a reader error at its line, or the
 * first record with a problem, found by a second, numbered read of the file (`select` numbers its rows).
 */
async function locate(store: Store, e: unknown, file: string, format: EventsFormat, select: Sql): Promise<never> {
  const msg = (e as Error)?.message ?? String(e);
  if (e instanceof InputError) throw e;
  if (isOwnSqlError(e)) throw e;
  if (format === 'jsonl' && !msg.includes(MARK)) {
    const bad = await firstBadJsonLine(file);
    if (bad || isReaderError(e)) throw badJsonError(file, bad, `cannot read the file as JSON lines: ${readerMessage(e)}`);
    throw e;
  }
  if (!msg.includes(MARK)) {
    if (isReaderError(e)) throw await readerErrorAt(file, e);
    throw e;
  }
  // the numbered read runs over the whole file: a line the first read never reached (a truncated last line)
  // can fail it, and is then the error to name
  const [row] = await store.query<{ r: string; problem: string }>(
    sql`SELECT tl_source_row AS r, tl_problem AS problem FROM (${select}) WHERE tl_problem IS NOT NULL ORDER BY tl_source_row LIMIT 1`)
    .catch(async (again: unknown) => {
      if (!isReaderError(again)) throw again;
      if (format === 'jsonl')
        throw badJsonError(file, await firstBadJsonLine(file), `cannot read the file as JSON lines: ${readerMessage(again)}`);
      throw await readerErrorAt(file, again);
    });
  if (!row) throw new InputError({ file }, msg.slice(msg.indexOf(MARK) + MARK.length + 1).split('\n')[0]!);
  // CSV rows are numbered by record + 1 here: the physical line differs after blank lines or quoted line breaks
  const line = format === 'jsonl' ? await jsonRecordLine(file, Number(row.r))
    : (await csvPhysicalLine(file, { record: Number(row.r) - 1 })) ?? Number(row.r);
  throw new InputError({ file, line }, row.problem);
}

export async function ingestEvents(store: Store, paths: string[], opts: EventsOptions = {}): Promise<EventsOutcome[]> {
  await healPendingRows(store);
  const files = listDataFiles(paths, 'events');
  const planned: { file: string; format: EventsFormat; digest: { sha256: string; bytes: number } }[] = [];
  for (const file of files) planned.push({ file, format: eventsFormatOf(file), digest: await digestFile(file, undefined, {
    utf8: !file.endsWith('.gz'), expected: 'events: a header row and rows (CSV), or one JSON object per line (JSONL)' }) });
  const at = (opts.clock ?? (() => new Date()))().toISOString().replace('T', ' ').replace('Z', '');
  const outcomes = await store.transaction(async () => {
    const out: EventsOutcome[] = [];
    for (const { file, format, digest } of planned) {
      const id = fileIngestionId('evt', at, digest.sha256);
      const seen = await skipIfSeen(store, 'events', digest.sha256, at, file);
      if (seen) {
        out.push({ source: file, action: 'skipped', format, rows: 0, ...seen });
        continue;
      }
      // a .gz is checked (and its content identified: a copy of an ingested file is skipped) before it is read
      const content = await contentDigest(file, digest, { utf8: true });
      const same = content.sha256 !== digest.sha256 ? await skipIfSeen(store, 'events', content.sha256, at, file) : null;
      if (same) {
        out.push({ source: file, action: 'skipped', format, rows: 0, ...same });
        continue;
      }
      // rows are inserted with record number 0 and numbered after the commit (common/heal.ts)
      const select = (numbered: boolean) =>
        (format === 'csv' ? csvEventsSelect(file, opts.config, numbered, opts.dateOrder)
          : Promise.resolve(jsonlEventsSelect(file, opts.config, numbered, opts.dateOrder)));
      try {
        await store.query(
          sql`INSERT INTO event_rows SELECT CAST(${id} AS VARCHAR), tl_source_row, ts, unit, feature, count, outcome, correlation_id,
            attributes
          FROM (${await select(false)}) WHERE CASE WHEN tl_problem IS NOT NULL THEN error(${MARK + ' '} || tl_problem) ELSE true END`);
      } catch (e) {
        if (e instanceof InputError) throw e;
        await store.query('ROLLBACK');
        try {
          await locate(store, e, file, format, await select(true));
        } finally {
          await store.query('BEGIN TRANSACTION');
        }
      }
      const [s] = await store.query<{ n: string; units: string | null; first: string | null; last: string | null; types: string | null }>(
        sql`SELECT count(*) AS n, sum(count) AS units, CAST(min(ts) AS VARCHAR) AS first, CAST(max(ts) AS VARCHAR) AS last,
           string_agg(DISTINCT unit, ', ' ORDER BY unit) AS types FROM event_rows WHERE tl_ingestion_id = ${id}`);
      const rows = Number(s!.n);
      if (rows === 0) throw new InputError({ file }, 'no event records in the file');
      const detail = `${format}, ${s!.units} units (${s!.types}), ${s!.first?.slice(0, 10)} to ${s!.last?.slice(0, 10)}`;
      await insertIngestion(store,
        { id, kind: 'events', format, source: file, checksum: digest.sha256, contentChecksum: content.sha256, files: 1, rows,
          scope: `events:${file}`, at });
      await store.query(sql`INSERT INTO event_files VALUES (${id}, ${file}, ${digest.sha256}, ${digest.bytes}, ${rows}, ${format})`);
      await logEvent(store, at, 'ingested', id, file, rows, detail);
      out.push({ source: file, action: 'ingested', ingestionId: id, format, rows, detail });
    }
    return out;
  });
  // records get their numbers now, outside the ingest transaction
  await healPendingRows(store);
  return outcomes;
}

/** Business events as a source (common/source.ts). */
export const eventsSource: Source<EventsOptions, EventsOutcome> = {
  kind: 'events',
  describe: 'business events (tickets, documents, leads...) as CSV or JSONL into event_rows',
  formats: ['csv', 'jsonl'],
  ingest: (store, paths, options) => ingestEvents(store, paths, options),
};
