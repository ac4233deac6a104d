/**
 * `tokenledger ingest focus`: FOCUS exports into the billing ledger, exactly once.
 *
 * Guarantees: the whole command is one transaction (bad input leaves the store exactly as it was); an
 * export already in the store is skipped and says so; a newer export of the same scope and billing period
 * replaces the older one's rows for that period; an older one is skipped. Every row keeps its lineage.
 */
import { detectFocusVersion, missingSpecColumns, REQUIRED_FOR_INGEST, type FocusVersion } from '../../domain/focus-columns.js';
import { InputError } from '../../domain/errors.js';
import type { CompiledRules } from '../../normalize/rules-schema.js';
import { loadSql, type Store } from '../../store/db.js';
import { refreshRollup } from '../../store/rollup.js';
import { fill, ident, join, sql, value, type Sql } from '../../store/sql.js';
import { combineDigests, contentDigest, digestFile, type FileDigest } from '../common/checksum.js';
import { healPendingRows } from '../common/heal.js';
import type { DateOrder } from '../common/timestamps.js';
import { ingestedBefore, insertIngestion, logEvent } from '../common/ledger-log.js';
import type { OutcomeLine, Source } from '../common/source.js';
import { classifyMeters } from './classify-meters.js';
import { TYPED_COLUMNS, type SourceColumn } from './columns.js';
import { discoverExports, type ExportUnit } from './discover.js';
import { findRecencyFiles, storeRecency } from './recency.js';
import { resolve } from 'node:path';
import { fileSelect, readColumns, withLocatedErrors } from './read-file.js';
import { exportTimeFor, newerThan, overlappingIngestions, refuseOverlap, replaceEarlier, scopeKeyFor, type Replacement }
  from './replacement.js';

export type { Replacement } from './replacement.js';

export interface IngestOptions {
  rules: CompiledRules;
  /** Force the replacement scope for files without a manifest. */
  scope?: string;
  /** Called when a file starts (currentBytes = its uncompressed size) and when it is done. */
  onProgress?: (p: IngestProgress) => void;
  clock?: () => Date;
  /** How slash dates whose day and month could be swapped are read (tokenledger.yaml ingest.date_order). */
  dateOrder?: DateOrder;
}

export interface IngestProgress { doneBytes: number; totalBytes: number; currentBytes: number; file: string; rows: number }

export interface IngestOutcome extends OutcomeLine {
  focusVersion?: FocusVersion;
  replaced: Replacement[];
}

const INSERT_ROWS = loadSql(import.meta.url, 'insert-rows.sql');
const TYPED_LIST = join(TYPED_COLUMNS.map((c) => ident(c.name)), ', ');
const FACTS = loadSql(import.meta.url, 'ingestion-facts.sql');
const VERSIONS: FocusVersion[] = ['1.0', '1.1', '1.2', '1.2-preview', '1.3'];

/**
 * The INSERT of one file's typed SELECT into billing_rows. Its plan must stay DuckDB's BATCH_INSERT (no join,
 * nothing that loses the batch order): that insert writes whole row groups in file order, so the close's
 * checkpoint has none to merge and rewrite (insert-plan.test.ts).
 */
export function insertRows(select: Sql): Sql {
  return fill(INSERT_ROWS, { TYPED_COLUMNS: TYPED_LIST, SOURCE: select });
}

/** FOCUS billing exports as a source (common/source.ts). */
export const focusSource: Source<IngestOptions, IngestOutcome> = {
  kind: 'focus',
  describe: 'FOCUS cost and usage exports (1.0 to 1.3, Microsoft 1.2-preview) into the billing ledger',
  formats: ['csv', 'csv.gz', 'parquet', 'azure-export-folder'],
  ingest: (store, paths, options) => ingestFocus(store, paths, options),
};

const tsLiteral = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

export async function ingestFocus(store: Store, paths: string[], opts: IngestOptions): Promise<IngestOutcome[]> {
  const recency = findRecencyFiles(paths);
  const units = discoverExports(paths.filter((p) => !recency.some((r) => r.path === resolve(p))));
  const digests: FileDigest[][] = [];
  for (const u of units) {
    const parts: FileDigest[] = [];
    for (const f of u.files)
      parts.push(await digestFile(f.path, undefined, { utf8: f.format === 'csv' && !f.path.toLowerCase().endsWith('.gz') }));
    digests.push(parts);
  }
  const totalBytes = digests.flat().reduce((a, d) => a + d.bytes, 0);
  const clock = opts.clock ?? (() => new Date());
  const state = { doneBytes: 0, rows: 0 };
  const progress: Progress = {
    begin: (file, bytes) => opts.onProgress?.({ doneBytes: state.doneBytes, totalBytes, currentBytes: bytes, file, rows: state.rows }),
    end: (file, rows, bytes) => {
      state.doneBytes += bytes;
      state.rows += rows;
      opts.onProgress?.({ doneBytes: state.doneBytes, totalBytes, currentBytes: 0, file, rows: state.rows });
    },
  };
  await healPendingRows(store);
  const outcomes = await store.transaction(async () => {
    const out: IngestOutcome[] = [];
    for (const [i, unit] of units.entries()) out.push(await ingestUnit(store, unit, digests[i]!, opts, clock(), progress));
    if (recency.length) await storeRecency(store, recency, tsLiteral(clock()));
    return out;
  });
  // CSV rows get their numbers now, outside the ingest transaction (see common/heal.ts)
  await healPendingRows(store);
  return outcomes;
}

type Progress = { begin(file: string, bytes: number): void; end(file: string, rows: number, bytes: number): void };

async function readHeaders(store: Store, unit: ExportUnit): Promise<SourceColumn[][]> {
  const out: SourceColumn[][] = [];
  for (const f of unit.files) {
    const cols = await readColumns(store, f.path, f.format);
    const have = new Set(cols.map((c) => c.name.trim().toLowerCase()));
    const missing = REQUIRED_FOR_INGEST.filter((c) => !have.has(c.toLowerCase()));
    if (missing.length) {
      throw new InputError({ file: f.path, line: 1 }, `missing required FOCUS column(s) ${missing.join(', ')} in the header`, {
        hint: `Found ${cols.length} columns: ${cols.slice(0, 8).map((c) => c.name).join(', ')}${cols.length > 8 ? ', ...' : ''}. Is this ` +
          `a FOCUS export (not Azure's "actual cost" or "amortized cost" dataset)?`,
      });
    }
    out.push(cols);
  }
  return out;
}

type PartFacts = { part: number; row_count: string; accounts: string[] | null; periods: (string | null)[]; currencies: (string | null)[] };

/**
 * Ingest one export (a file, or a manifest folder of parts).
 * 1. Same checksum already ingested: skip, log it.
 * 2. Read each part's header; refuse missing required columns; detect the FOCUS version.
 * 3. Insert every part in one pass from the file (typed, located parse errors). CSV rows get their
 *    row number right after the commit (healPendingRows).
 * 4. Check row counts (non-empty, as the manifest says); read accounts, periods, currencies back.
 * 5. Earlier ingestions of the same scope and billing periods: if one is newer, drop this one's rows
 *    and skip; otherwise delete their rows for those periods (replacement).
 * 6. Classify meters not yet classified by these rules.
 * 7. Sum its rows (and those of re-classified meters) into charges_daily (store/rollup.ts).
 * 8. Record the ingestion, its files and the event.
 */
async function ingestUnit(store: Store, unit: ExportUnit, digests: FileDigest[], opts: IngestOptions, now: Date,
  progress: Progress): Promise<IngestOutcome> {
  const partSums = digests.map((d) => d.sha256);
  const checksum = combineDigests(partSums);
  const at = tsLiteral(now);
  const ingestionId = `ing-${at.slice(0, 19).replace(/[-: ]/g, '')}-${checksum.slice(0, 10)}`;
  const s = await ingestedBefore(store, 'focus', checksum);
  if (s) {
    const detail = `same content as ${s.ingestion_id} (ingested ${s.ingested_at}, ${s.status}); nothing to do`;
    await logEvent(store, at, 'skipped', s.ingestion_id, unit.source, 0, detail);
    return { source: unit.source, action: 'skipped', ingestionId: s.ingestion_id, rows: 0, replaced: [], detail };
  }

  const headers = await readHeaders(store, unit);
  const allNames = [...new Set(headers.flat().map((c) => c.name))];
  const declared = unit.manifest?.exportConfig?.dataVersion as FocusVersion | undefined;
  const focusVersion = declared && VERSIONS.includes(declared) ? declared : detectFocusVersion(allNames);

  const selects = unit.files.map(
    (f, p) => fileSelect({ path: f.path, format: f.format, fileIndex: p, part: p + 1, columns: headers[p]!, ingestionId, ingestedAt: at,
      read: { dateOrder: opts.dateOrder, nullStrings: f.format === 'parquet' } }));
  const contentSums: string[] = [];
  for (const [p, f] of unit.files.entries()) {
    progress.begin(f.path, digests[p]!.bytes);
    // the gzip check (with the checksum of the decompressed content and, for CSV, the UTF-8 check) runs in
    // Node's thread pool while DuckDB reads the file; a bad .gz wins over what DuckDB made of it
    const gzip = contentDigest(f.path, digests[p]!, { utf8: f.format === 'csv' });
    gzip.catch(() => undefined);
    try {
      await withLocatedErrors(store, f, headers[p]!.map((c) => c.name),
        () => store.query(insertRows(selects[p]!.sql)));
    } catch (e) {
      await gzip;
      throw e;
    }
    contentSums.push((await gzip).sha256);
    progress.end(f.path, 0, digests[p]!.bytes);
  }
  // the same content under another name or compression (a .gz of an ingested file, or the reverse)
  const contentChecksum = combineDigests(contentSums);
  const same = contentChecksum !== checksum ? await ingestedBefore(store, 'focus', contentChecksum) : undefined;
  if (same) {
    await store.query(sql`DELETE FROM billing_rows WHERE tl_ingestion_id = ${ingestionId}`);
    const detail = `same content once decompressed as ${same.ingestion_id} (ingested ${same.ingested_at}, ${same.status}); nothing to do`;
    await logEvent(store, at, 'skipped', same.ingestion_id, unit.source, 0, detail);
    return { source: unit.source, action: 'skipped', ingestionId: same.ingestion_id, rows: 0, replaced: [], detail };
  }

  const facts = await store.query<PartFacts>(fill(FACTS, { ID: value(ingestionId) }));
  const rowsPerPart = unit.files.map((_, p) => Number(facts.find((x) => Number(x.part) === p + 1)?.row_count ?? 0));
  for (const [p, f] of unit.files.entries()) {
    if (rowsPerPart[p] === 0)
      throw new InputError({ file: f.path, line: 2 }, 'no data rows after the header; expected at least one charge row');
    if (f.expectedRows !== undefined && f.expectedRows !== rowsPerPart[p]) {
      throw new InputError({ file: f.path }, `the manifest says this part holds ${f.expectedRows} rows but it holds ${rowsPerPart[p]}`, {
        hint: 'The part is incomplete or belongs to another export run.',
      });
    }
  }
  const union = (pick: (x: PartFacts) => (string | null)[] | null) =>
    [...new Set(facts.flatMap((x) => pick(x) ?? []).filter((v): v is string => !!v))].sort();
  const accounts = union((x) => x.accounts);
  const periods = union((x) => x.periods);
  const currencies = union((x) => x.currencies);
  const rowCount = rowsPerPart.reduce((a, n) => a + n, 0);

  const scopeKey = scopeKeyFor(unit, accounts, opts.scope);
  const exportTime = exportTimeFor(unit);
  if (!unit.manifest) await refuseOverlap(store, { ingestionId, source: unit.source, scopeKey, accounts, periods });
  const earlier = await overlappingIngestions(store, scopeKey, periods);
  const newer = newerThan(earlier, exportTime);
  if (newer) {
    await store.query(sql`DELETE FROM billing_rows WHERE tl_ingestion_id = ${ingestionId}`);
    const detail = `older than ${newer.ingestion_id} (exported ${newer.export_time}) for scope ${scopeKey}; kept the newer export`;
    await logEvent(store, at, 'skipped', null, unit.source, 0, detail);
    return { source: unit.source, action: 'skipped', ingestionId: newer.ingestion_id, rows: 0, replaced: [], detail };
  }
  const replaced = await replaceEarlier(store, earlier, periods);
  for (const r of replaced) {
    await logEvent(store, at, 'replaced', r.ingestionId, unit.source, r.rows,
      `rows of billing period(s) ${r.periods.join(', ')} replaced by ${ingestionId}`);
  }

  // 6-7. the daily rollup of its rows, and of earlier rows whose meters a rules change re-classified
  await refreshRollup(store, { ingestionId, meterKeys: await classifyMeters(store, ingestionId, opts.rules, at) });
  const m = unit.manifest;
  await insertIngestion(store, {
    id: ingestionId, kind: 'focus', format: 'focus', source: unit.source, checksum, contentChecksum, files: unit.files.length,
    rows: rowCount,
    scope: scopeKey, at, accounts, periods, currencies, focusVersion, missingSpecColumns: missingSpecColumns(allNames, focusVersion),
    exportName: m?.exportConfig?.exportName ?? null, runId: m?.runInfo?.runId ?? null, exportTime: tsLiteral(exportTime),
  });
  for (const [p, f] of unit.files.entries()) {
    await store.query(
      sql`INSERT INTO ingestion_files VALUES
        (${ingestionId}, ${p + 1}, ${f.path}, ${partSums[p]!}, ${digests[p]!.bytes}, ${rowsPerPart[p]!},
      from_json(${JSON.stringify(selects[p]!.extra)}, '["VARCHAR"]'), ${f.format === 'parquet'})`);
  }
  const detail = `billing period(s) ${periods.map((p) => p.slice(0, 7)).join(', ')}`
    + (replaced.length ? `; replaced ${replaced.reduce((a, r) => a + r.rows, 0)} rows of ${replaced.map((r) => r.ingestionId).join(', ')}`
      : '');
  await logEvent(store, at, 'ingested', ingestionId, unit.source, rowCount, detail);
  progress.end(unit.source, rowCount, 0);
  return { source: unit.source, action: 'ingested', ingestionId, rows: rowCount, focusVersion, replaced, detail };
}
