/**
 * `tokenledger ingest events`: business events into the store with the guarantees of the other ingests:
 * one transaction per command, the same file again is a no-op, a bad record is an error naming file,
 * line and what was expected, and nothing is written.
 */
import { extname } from 'node:path';
import type { EventsConfig } from '../../config/economics.js';
import { InputError, UsageError } from '../../domain/errors.js';
import { literal, type Store } from '../../store/db.js';
import { digestFile, verifyGzip } from '../focus/checksum.js';
import { isReaderError, readerError } from '../focus/read-file.js';
import { fileIngestionId, insertIngestion, logEvent, skipIfSeen } from '../ledger-log.js';
import { listTelemetryFiles } from '../telemetry/discover.js';
import { firstBadJsonLine } from '../telemetry/ingest.js';
import { csvEventsSelect, jsonlEventsSelect } from './select.js';

export type EventsFormat = 'csv' | 'jsonl';

export interface EventsOutcome {
  source: string;
  action: 'ingested' | 'skipped';
  ingestionId: string;
  format: EventsFormat;
  rows: number;
  detail: string;
}

const MARK = 'TL_BAD_EVENT';

export function eventsFormatOf(file: string): EventsFormat {
  const ext = extname(file.toLowerCase().replace(/\.gz$/, ''));
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  throw new UsageError(`${file}: cannot tell the events format from the extension; expected .csv, .jsonl or .ndjson (optionally .gz)`);
}

/** The record number of the n-th JSON record as a line number (blank lines are skipped by the reader). */
async function jsonRecordLine(file: string, record: number): Promise<number> {
  const { createReadStream } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  const { createGunzip } = await import('node:zlib');
  const input = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let n = 0;
  let seen = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() !== '' && ++seen === record) { input.destroy(); return n; }
  }
  return record;
}

async function locate(store: Store, e: unknown, file: string, format: EventsFormat, select: string): Promise<never> {
  const msg = (e as Error)?.message ?? String(e);
  if (e instanceof InputError) throw e;
  if (/^(Binder|Parser|Catalog) Error/.test(msg)) throw e;
  if (format === 'jsonl' && !msg.includes(MARK)) {
    const bad = await firstBadJsonLine(file);
    throw new InputError({ file, ...(bad ? { line: bad.line } : {}) }, `not valid JSON${bad ? `: ${JSON.stringify(bad.text)}` : ''}; expected one JSON object per line`);
  }
  if (!msg.includes(MARK)) {
    if (isReaderError(e)) throw readerError(file, e);
    throw e;
  }
  const [row] = await store.query<{ r: string; problem: string }>(`SELECT tl_source_row AS r, tl_problem AS problem FROM (${select}) WHERE tl_problem IS NOT NULL ORDER BY tl_source_row LIMIT 1`);
  if (!row) throw new InputError({ file }, msg.slice(msg.indexOf(MARK) + MARK.length + 1).split('\n')[0]!);
  const line = format === 'jsonl' ? await jsonRecordLine(file, Number(row.r)) : Number(row.r);
  throw new InputError({ file, line }, row.problem);
}

export async function ingestEvents(store: Store, paths: string[], opts: { config?: EventsConfig; clock?: () => Date } = {}): Promise<EventsOutcome[]> {
  const files = listTelemetryFiles(paths, 'events');
  const planned: { file: string; format: EventsFormat; digest: { sha256: string; bytes: number } }[] = [];
  for (const file of files) planned.push({ file, format: eventsFormatOf(file), digest: await digestFile(file) });
  const at = (opts.clock ?? (() => new Date()))().toISOString().replace('T', ' ').replace('Z', '');
  return store.transaction(async () => {
    const out: EventsOutcome[] = [];
    for (const { file, format, digest } of planned) {
      const id = fileIngestionId('evt', at, digest.sha256);
      const seen = await skipIfSeen(store, 'events', digest.sha256, at, file);
      if (seen) {
        out.push({ source: file, action: 'skipped', format, rows: 0, ...seen });
        continue;
      }
      if (file.endsWith('.gz')) await verifyGzip(file);
      const select = format === 'csv' ? await csvEventsSelect(file, opts.config) : jsonlEventsSelect(file, opts.config);
      try {
        await store.query(`INSERT INTO event_rows SELECT ${literal(id)}, tl_source_row, ts, unit, feature, count, outcome, correlation_id, attributes
          FROM (${select}) WHERE CASE WHEN tl_problem IS NOT NULL THEN error(${literal(MARK + ' ')} || tl_problem) ELSE true END`);
      } catch (e) {
        await store.query('ROLLBACK');
        try {
          await locate(store, e, file, format, select);
        } finally {
          await store.query('BEGIN TRANSACTION');
        }
      }
      const [s] = await store.query<{ n: string; units: string | null; first: string | null; last: string | null; types: string | null }>(
        `SELECT count(*) AS n, sum(count) AS units, CAST(min(ts) AS VARCHAR) AS first, CAST(max(ts) AS VARCHAR) AS last,
           string_agg(DISTINCT unit, ', ' ORDER BY unit) AS types FROM event_rows WHERE tl_ingestion_id = $id`, { id });
      const rows = Number(s!.n);
      if (rows === 0) throw new InputError({ file }, 'no event records in the file');
      const detail = `${format}, ${s!.units} units (${s!.types}), ${s!.first?.slice(0, 10)} to ${s!.last?.slice(0, 10)}`;
      await insertIngestion(store, { id, kind: 'events', format, source: file, checksum: digest.sha256, files: 1, rows, scope: `events:${file}`, at });
      await store.query('INSERT INTO event_files VALUES ($id, $path, $sum, $bytes, $rows, $format)', { id, path: file, sum: digest.sha256, bytes: digest.bytes, rows, format });
      await logEvent(store, at, 'ingested', id, file, rows, detail);
      out.push({ source: file, action: 'ingested', ingestionId: id, format, rows, detail });
    }
    return out;
  });
}
