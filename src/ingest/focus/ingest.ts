/**
 * `tokenledger ingest focus`: FOCUS exports into the billing ledger, exactly once.
 *
 * Guarantees: the whole command is one transaction (bad input leaves the store exactly as it was); an
 * export already in the store is skipped and says so; a newer export of the same scope and billing period
 * replaces the older one's rows for that period; an older one is skipped. Every row keeps its lineage.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { detectFocusVersion, missingSpecColumns, REQUIRED_FOR_INGEST, type FocusVersion } from '../../domain/focus-columns.js';
import { InputError, TokenledgerError } from '../../domain/errors.js';
import type { CompiledRules } from '../../normalize/rules-schema.js';
import { literal, loadSql, type Store } from '../../store/db.js';
import { combineDigests, digestFile, type FileDigest } from './checksum.js';
import { ERROR_MARK, TYPED_COLUMNS, type SourceColumn } from './columns.js';
import { discoverExports, type DataFormat, type ExportUnit } from './discover.js';
import { classifyMeters, type MeterRow } from './classify-meters.js';
import { fileSelect, isReaderError, locateBadRow, readColumns, readerError } from './read-file.js';

export interface IngestOptions {
  rules: CompiledRules;
  /** Force the replacement scope for files without a manifest. */
  scope?: string;
  /**
   * Called when a file starts (currentBytes = its uncompressed size) and when it is staged: bytes done of
   * bytes total, rows so far. A caller may add DuckDB's own progress within the current file.
   */
  onProgress?: (p: IngestProgress) => void;
  clock?: () => Date;
}

export interface IngestProgress { doneBytes: number; totalBytes: number; currentBytes: number; file: string; rows: number }

type Tracker = { begin(file: string, bytes: number): void; end(file: string, rows: number, bytes: number): void };

export interface Replacement { ingestionId: string; rows: number; periods: string[] }

export interface IngestOutcome {
  source: string;
  action: 'ingested' | 'skipped';
  ingestionId: string;
  rows: number;
  focusVersion?: FocusVersion;
  replaced: Replacement[];
  detail: string;
}

const FINALIZE = loadSql(import.meta.url, 'finalize.sql').replace('/*TYPED_COLUMNS*/', TYPED_COLUMNS.map((c) => `"${c.name}"`).join(', '));
const METERS = loadSql(import.meta.url, 'meters.sql');
const NUMBER_ROWS = loadSql(import.meta.url, 'number-rows.sql');

function tsLiteral(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Turn DuckDB's error() from a bad value into an InputError naming file, line and column: the fast scan
 * says which column and value; a second, numbered scan of that file finds the row.
 */
async function toInputError(store: Store, e: unknown, file: { path: string; format: DataFormat }, header: string[]): Promise<unknown> {
  const msg = (e as Error)?.message ?? '';
  const i = msg.indexOf(ERROR_MARK);
  if (i < 0) return e;
  const [, , column = '?', expected, ...rest] = msg.slice(i).split('\u001f');
  const value = rest.join('\u001f').split('\n')[0]!;
  const isNull = value === 'NULL' && expected?.startsWith('a value');
  const row = await locateBadRow(store, file.path, file.format, header, column, isNull ? null : value).catch(() => null);
  const shown = value.slice(0, 80);
  return new InputError(
    { file: file.path, ...(row !== null && file.format === 'csv' ? { line: row + 1 } : {}), ...(row !== null ? { row } : {}), column },
    `expected ${expected}, found ${isNull ? 'an empty value' : JSON.stringify(shown)}`,
  );
}

export async function ingestFocus(store: Store, paths: string[], opts: IngestOptions): Promise<IngestOutcome[]> {
  const units = discoverExports(paths);
  const digests: FileDigest[][] = [];
  let totalBytes = 0;
  for (const u of units) {
    const parts: FileDigest[] = [];
    for (const f of u.files) parts.push(await digestFile(f.path));
    totalBytes += parts.reduce((a, p) => a + p.rawBytes, 0);
    digests.push(parts);
  }
  const clock = opts.clock ?? (() => new Date());
  const state = { doneBytes: 0, totalBytes, rows: 0 };
  const tracker: Tracker = {
    begin: (file, bytes) => opts.onProgress?.({ doneBytes: state.doneBytes, totalBytes, currentBytes: bytes, file, rows: state.rows }),
    end: (file, rows, bytes) => {
      state.doneBytes += bytes;
      state.rows += rows;
      opts.onProgress?.({ doneBytes: state.doneBytes, totalBytes, currentBytes: 0, file, rows: state.rows });
    },
  };
  return store.transaction(async () => {
    const outcomes: IngestOutcome[] = [];
    for (const [i, unit] of units.entries()) {
      const parts = digests[i]!;
      outcomes.push(await ingestUnit(store, unit, parts, opts, clock(), tracker));
    }
    return outcomes;
  });
}

async function logEvent(store: Store, at: string, action: string, ingestionId: string | null, source: string, rows: number | null, detail: string) {
  await store.query('INSERT INTO ingestion_events VALUES (CAST($at AS TIMESTAMP), $action, $id, $source, $rows, $detail)', {
    at, action, id: ingestionId, source, rows, detail,
  });
}

/**
 * Ingest one export (a file, or a manifest folder of parts).
 * 1. Same checksum already ingested: skip, log it.
 * 2. Read each part's columns; refuse missing required columns; detect the FOCUS version.
 * 3. Pre-scan every part: typed values (located parse errors), distinct meters, accounts, periods,
 *    currencies, row counts; check the manifest's row counts. Nothing is written yet.
 * 4. Find earlier ingestions of the same scope and billing periods: if one is newer, skip this one;
 *    otherwise delete their rows for those periods (replacement).
 * 5. Classify the distinct meters, insert each part into billing_rows in one pass, record the ingestion.
 */
async function ingestUnit(
  store: Store, unit: ExportUnit, digests: FileDigest[], opts: IngestOptions, now: Date, tracker: Tracker,
): Promise<IngestOutcome> {
  const partSums = digests.map((d) => d.sha256);
  const checksum = combineDigests(partSums);
  const at = tsLiteral(now);
  const ingestionId = `ing-${at.slice(0, 19).replace(/[-: ]/g, '')}-${checksum.slice(0, 10)}`;
  const seen = await store.query<{ ingestion_id: string; ingested_at: string; status: string }>(
    "SELECT ingestion_id, ingested_at, status FROM ingestions WHERE kind = 'focus' AND checksum = $c", { c: checksum });
  if (seen.length) {
    const s = seen[0]!;
    const detail = `same content as ${s.ingestion_id} (ingested ${s.ingested_at}, ${s.status}); nothing to do`;
    await logEvent(store, at, 'skipped', s.ingestion_id, unit.source, 0, detail);
    return { source: unit.source, action: 'skipped', ingestionId: s.ingestion_id, rows: 0, replaced: [], detail };
  }

  // 2. columns and version
  const columnsPerFile: SourceColumn[][] = [];
  for (const f of unit.files) {
    const cols = await readColumns(store, f.path, f.format);
    const have = new Set(cols.map((c) => c.name.trim().toLowerCase()));
    const missing = REQUIRED_FOR_INGEST.filter((c) => !have.has(c.toLowerCase()));
    if (missing.length) {
      throw new InputError({ file: f.path, line: 1 }, `missing required FOCUS column(s) ${missing.join(', ')} in the header`, {
        hint: `Found ${cols.length} columns: ${cols.slice(0, 8).map((c) => c.name).join(', ')}${cols.length > 8 ? ', ...' : ''}. Is this a FOCUS export (not Azure's "actual cost" or "amortized cost" dataset)?`,
      });
    }
    columnsPerFile.push(cols);
  }
  const allNames = [...new Set(columnsPerFile.flat().map((c) => c.name))];
  const manifestVersion = unit.manifest?.exportConfig?.dataVersion;
  const focusVersion: FocusVersion = manifestVersion && ['1.0', '1.1', '1.2', '1.2-preview', '1.3'].includes(manifestVersion)
    ? (manifestVersion as FocusVersion) : detectFocusVersion(allNames);

  // 3. pre-scan each part: meters, accounts, periods, currencies, row counts (bad values fail here)
  const paths = unit.files.map((f) => f.path);
  const selects = unit.files.map((f, p) => fileSelect({ path: f.path, format: f.format, fileIndex: p, part: p + 1, columns: columnsPerFile[p]!, ingestionId, ingestedAt: at }));
  const headers = columnsPerFile.map((cols) => cols.map((c) => c.name));
  const located = async <T>(p: number, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      // the failed statement aborted the transaction; locate the bad row outside it, then resume
      await store.query('ROLLBACK');
      const err = await toInputError(store, e, unit.files[p]!, headers[p]!);
      await store.query('BEGIN TRANSACTION');
      if (err !== e) throw err;
      throw isReaderError(e) ? readerError(unit.files[p]!.path, e) : e;
    }
  };
  const meters: MeterRow[] = [];
  const rowsPerPart: number[] = [];
  const accountSet = new Set<string>();
  const periodSet = new Set<string>();
  const currencySet = new Set<string>();
  for (const [p, f] of unit.files.entries()) {
    tracker.begin(f.path, digests[p]!.rawBytes / 4);
    const found = await located(p, () => store.query<MeterRow & { accounts: string[] | null; periods: string[]; currencies: string[]; row_count: string }>(
      METERS.replace('/*SOURCE*/', selects[p]!.sql)));
    let rows = 0;
    for (const m of found) {
      meters.push(m);
      rows += Number(m.row_count);
      for (const a of m.accounts ?? []) accountSet.add(a);
      for (const x of m.periods) if (x) periodSet.add(x);
      for (const c of m.currencies) if (c) currencySet.add(c);
    }
    rowsPerPart.push(rows);
    if (rows === 0) throw new InputError({ file: f.path, line: 2 }, 'no data rows after the header; expected at least one charge row');
    if (f.expectedRows !== undefined && f.expectedRows !== rows) {
      throw new InputError({ file: f.path }, `the manifest says this part holds ${f.expectedRows} rows but it holds ${rows}`, {
        hint: 'The part is incomplete or belongs to another export run.',
      });
    }
    tracker.end(f.path, 0, digests[p]!.rawBytes / 4);
  }
  const accounts = [...accountSet].sort();
  const periods = [...periodSet].sort();
  const currencies = [...currencySet].sort();
  const rowCount = rowsPerPart.reduce((a, n) => a + n, 0);

  // 4. replacement scope and ordering
  const m = unit.manifest;
  const scopeKey = opts.scope
    ?? (m?.exportConfig?.resourceId ? `export:${m.exportConfig.resourceId.toLowerCase()}` : undefined)
    ?? (m?.exportConfig?.exportName ? `export:${m.exportConfig.exportName}` : undefined)
    ?? `file:${accounts.join('+')}|${basename(unit.source).replace(/\.(csv|parquet)(\.gz)?$/i, '').replace(/\.gz$/i, '')}`;
  const submitted = m?.runInfo?.submittedTime ? new Date(m.runInfo.submittedTime) : null;
  const exportTime = submitted && !Number.isNaN(submitted.getTime())
    ? submitted : new Date(Math.max(...paths.map((p) => statSync(p).mtimeMs)));
  const periodList = `[${periods.map((p) => `DATE ${literal(p)}`).join(', ')}]`;
  const overlapping = await store.query<{ ingestion_id: string; export_time: string | null; billing_periods: string[] }>(
    `SELECT ingestion_id, CAST(export_time AS VARCHAR) AS export_time, CAST(billing_periods AS VARCHAR[]) AS billing_periods FROM ingestions
     WHERE kind = 'focus' AND scope_key = $scope AND status <> 'replaced' AND list_has_any(billing_periods, ${periodList})
     ORDER BY ingested_at`, { scope: scopeKey });
  const newer = overlapping.find((o) => o.export_time !== null && new Date(o.export_time + 'Z') > exportTime);
  if (newer) {
      const detail = `older than ${newer.ingestion_id} (exported ${newer.export_time}) for scope ${scopeKey}; kept the newer export`;
    await logEvent(store, at, 'skipped', null, unit.source, 0, detail);
    return { source: unit.source, action: 'skipped', ingestionId: newer.ingestion_id, rows: 0, replaced: [], detail };
  }
  const replaced: Replacement[] = [];
  for (const o of overlapping) {
    const overlap = o.billing_periods.filter((p) => periods.includes(p));
    const [{ n }] = (await store.query<{ n: string }>(
      `SELECT count(*) AS n FROM billing_rows WHERE tl_ingestion_id = $id AND CAST(BillingPeriodStart AS DATE) IN (SELECT unnest(${periodList}))`, { id: o.ingestion_id })) as [{ n: string }];
    await store.query(`DELETE FROM billing_rows WHERE tl_ingestion_id = $id AND CAST(BillingPeriodStart AS DATE) IN (SELECT unnest(${periodList}))`, { id: o.ingestion_id });
    const left = o.billing_periods.filter((p) => !periods.includes(p));
    await store.query('UPDATE ingestions SET status = $s WHERE ingestion_id = $id', { s: left.length ? 'partially_replaced' : 'replaced', id: o.ingestion_id });
    const detail = `rows of billing period(s) ${overlap.join(', ')} replaced by ${ingestionId}`;
    await logEvent(store, at, 'replaced', o.ingestion_id, unit.source, Number(n), detail);
    replaced.push({ ingestionId: o.ingestion_id, rows: Number(n), periods: overlap });
  }

  // 5. classify the meters once, then one INSERT per part straight from the file
  await classifyMeters(store, meters, opts.rules);
  for (const [p, f] of unit.files.entries()) {
    tracker.begin(f.path, (digests[p]!.rawBytes * 3) / 4);
    await located(p, () => store.query(FINALIZE.replace('/*SOURCE*/', selects[p]!.sql)));
    if (f.format === 'csv') await store.query(NUMBER_ROWS, { id: ingestionId, part: p + 1 });
    tracker.end(f.path, rowsPerPart[p]!, (digests[p]!.rawBytes * 3) / 4);
  }
  await store.query('DROP TABLE tl_meter');
  const missingSpec = missingSpecColumns(allNames, focusVersion);
  await store.query(
    `INSERT INTO ingestions VALUES ($id, 'focus', $source, $checksum, $files, $rows, $scope,
       from_json($accounts, '["VARCHAR"]'), CAST(from_json($periods, '["VARCHAR"]') AS DATE[]),
       from_json($currencies, '["VARCHAR"]'), $version, from_json($missing, '["VARCHAR"]'), $exportName, $runId, CAST($exportTime AS TIMESTAMP), CAST($at AS TIMESTAMP), 'active')`,
    {
      id: ingestionId, source: unit.source, checksum, files: unit.files.length, rows: rowCount, scope: scopeKey,
      accounts: JSON.stringify(accounts), periods: JSON.stringify(periods),
      currencies: JSON.stringify(currencies), version: focusVersion, missing: JSON.stringify(missingSpec),
      exportName: m?.exportConfig?.exportName ?? null, runId: m?.runInfo?.runId ?? null,
      exportTime: tsLiteral(exportTime), at,
    });
  for (const [p, f] of unit.files.entries()) {
    await store.query(`INSERT INTO ingestion_files VALUES ($id, $part, $path, $sum, $bytes, $rows, from_json($extra, '["VARCHAR"]'))`, {
      id: ingestionId, part: p + 1, path: f.path, sum: partSums[p]!, bytes: digests[p]!.bytes, rows: rowsPerPart[p]!, extra: JSON.stringify(selects[p]!.extra),
    });
  }
  const detail = `billing period(s) ${periods.map((p) => p.slice(0, 7)).join(', ')}`
    + (replaced.length ? `; replaced ${replaced.reduce((a, r) => a + r.rows, 0)} rows of ${replaced.map((r) => r.ingestionId).join(', ')}` : '');
  await logEvent(store, at, 'ingested', ingestionId, unit.source, rowCount, detail);
  if (rowCount === 0) throw new TokenledgerError(`${unit.source}: no rows ingested`);
  return { source: unit.source, action: 'ingested', ingestionId, rows: rowCount, focusVersion, replaced, detail };
}
