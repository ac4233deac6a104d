/**
 * The shared conformance suite (common/conformance.case.ts) for every FOCUS format: CSV, CSV.gz, Parquet
 * and an Azure export folder (manifest.json + parts). The good file's costs differ per row, so a row whose
 * lineage pointed at another line would read back another cost.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadRules } from '../../normalize/rules.js';
import { code } from '../../store/sql.js';
import { BASE_COLUMNS, focusCsv, writeFixture, type FixtureRow } from '../../test-support/focus-fixture.js';
import { conformanceCases, lineOf, type FormatCase } from '../common/conformance.case.js';
import { parseFirstRecord } from '../common/csv-header.js';
import { ingestFocus } from './ingest.js';

const rules = loadRules();
const ingest: FormatCase['ingest'] = (store, paths) => ingestFocus(store, paths, { rules });

/** Rows whose BilledCost tells them apart; unique per call, so two good files are two contents. */
let seq = 0;
function goodRows(n = 4): FixtureRow[] {
  seq += 1;
  return Array.from({ length: n }, (_, i) => ({ BilledCost: `${seq}.${i + 1}25`, EffectiveCost: `${seq}.${i + 1}25` }));
}
/** Line 4 (the third data row) holds a BilledCost that is not a number. */
const badRows = (): FixtureRow[] => [{ BilledCost: '1' }, { BilledCost: '2' }, { BilledCost: 'twelve' }, { BilledCost: '4' }];

const BILLED = BASE_COLUMNS.indexOf('BilledCost');
/** The BilledCost of a CSV line (its row n is line n + 1, the header is line 1). */
const csvBilled = (file: string, row: number) => parseFirstRecord(lineOf(file, row + 1) + '\n')![BILLED]!;
const LINEAGE = code('SELECT tl_source_file AS file, tl_source_row AS n, BilledCost AS v FROM billing_rows');

conformanceCases({
  name: 'FOCUS CSV',
  ingest,
  good: (dir) => writeFixture(dir, 'export.csv', focusCsv(goodRows())),
  bad: (dir) => { const path = writeFixture(dir, 'bad.csv', focusCsv(badRows())); return { path, file: path, line: 4, row: 3 }; },
  lineage: { rows: LINEAGE, readBack: csvBilled },
});

conformanceCases({
  name: 'FOCUS CSV.gz',
  ingest,
  good: (dir) => writeFixture(dir, 'export.csv.gz', gzipSync(focusCsv(goodRows()))),
  bad: (dir) => { const path = writeFixture(dir, 'bad.csv.gz', gzipSync(focusCsv(badRows())));
    return { path, file: path, line: 4, row: 3 }; },
  lineage: { rows: LINEAGE, readBack: csvBilled },
});

/** Parquet written by plain DuckDB from a CSV (all text, so a bad value stays a bad value). */
async function parquet(dir: string, name: string, rows: FixtureRow[]): Promise<string> {
  const csv = writeFixture(dir, `${name}.csv`, focusCsv(rows));
  const path = join(dir, `${name}.parquet`);
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.run(`COPY (SELECT * FROM read_csv($csv, all_varchar = true)) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`, { csv });
  conn.closeSync();
  inst.closeSync();
  return path;
}
conformanceCases({
  name: 'FOCUS Parquet',
  ingest,
  good: (dir) => parquet(dir, 'export', goodRows()),
  bad: async (dir) => { const path = await parquet(dir, 'bad', badRows()); return { path, file: path, row: 3 }; },
  // the n-th row of the Parquet file, read back from the CSV it was written from
  lineage: { rows: LINEAGE, readBack: (file, n) => csvBilled(file.replace(/\.parquet$/, '.csv'), n) },
});

/** An Azure export folder: manifest.json listing two CSV parts with their row counts. */
function exportFolder(dir: string, parts: FixtureRow[][]): string {
  const root = join(dir, 'run');
  mkdirSync(join(root, 'p'), { recursive: true });
  const blobs = parts.map((rows, i) => {
    writeFileSync(join(root, 'p', `part_0_000${i + 1}.csv`), focusCsv(rows));
    return { blobName: `p/part_0_000${i + 1}.csv`, dataRowCount: rows.length };
  });
  writeFileSync(join(root, 'manifest.json'), JSON.stringify({
    exportConfig: { exportName: `daily-${seq}`, resourceId: `/subscriptions/s-${seq}`, dataVersion: '1.0' },
    runInfo: { submittedTime: '2026-10-04T06:00:00Z', runId: `run-${seq}` },
    blobs,
  }));
  return root;
}

conformanceCases({
  name: 'FOCUS Azure export folder (manifest.json + parts)',
  ingest,
  good: (dir) => exportFolder(dir, [goodRows(3), goodRows(2)]),
  bad: (dir) => {
    const root = exportFolder(dir, [goodRows(2), badRows()]);
    return { path: root, file: join(root, 'p', 'part_0_0002.csv'), line: 4, row: 3 };
  },
  lineage: { rows: LINEAGE, readBack: csvBilled },
});
