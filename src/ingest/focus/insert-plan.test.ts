/**
 * The shape of the ingest's INSERT plan, which decides what the close's checkpoint costs: DuckDB's BATCH_INSERT
 * writes row groups in file order and merges small batches before writing; any join in the plan (DuckDB plans an
 * IN list of five or more values as one) makes it a plain INSERT, whose partial row groups per thread the
 * checkpoint then merges and rewrites (2.3 s of 8.6 s on the 300k-row bench file). Checked for CSV and Parquet,
 * with every enumerated FOCUS column present.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../store/db.js';
import { Sql, sql } from '../../store/sql.js';
import { BASE_COLUMNS, focusCsv, tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { insertRows } from './ingest.js';
import { fileSelect, readColumns } from './read-file.js';
import type { DataFormat } from '../common/reader.js';

const ENUMERATED = ['ChargeFrequency', 'PricingCategory', 'CommitmentDiscountCategory', 'CommitmentDiscountStatus'];

let store: Store;
let csv: string;
let parquet: string;
beforeAll(async () => {
  store = await Store.open(':memory:');
  // batch insert needs more than one thread (DuckDB plans a plain INSERT on one): the bench machine has two
  await store.query('SET threads = 2');
  const dir = tempDir();
  const rows = [{ ChargeFrequency: 'Usage-Based', PricingCategory: 'Standard', CommitmentDiscountCategory: 'Spend',
    CommitmentDiscountStatus: 'Used' }, { ChargeCategory: 'Tax', ChargeClass: 'Correction' }];
  csv = writeFixture(dir, 'plan.csv', focusCsv(rows, [...BASE_COLUMNS, ...ENUMERATED]));
  parquet = join(dir, 'plan.parquet');
  await store.query(sql`COPY (SELECT * FROM read_csv(${csv}, all_varchar = true)) TO ${parquet} (FORMAT parquet)`);
});
afterAll(() => store.close());

/** The physical plan of the INSERT that ingest runs for `path`, as DuckDB's EXPLAIN prints it. */
async function plan(path: string, format: DataFormat): Promise<string> {
  const columns = await readColumns(store, path, format);
  const select = fileSelect({ path, format, fileIndex: 0, part: 1, columns, ingestionId: 'ing-plan', ingestedAt: '2026-10-01 00:00:00',
    read: { nullStrings: format === 'parquet' } });
  const insert = insertRows(select.sql);
  const rows = await store.query<{ explain_value: string }>(new Sql(`EXPLAIN ${insert.text}`, insert.params));
  return rows.map((r) => r.explain_value).join('\n');
}

describe('the ingest INSERT plan', () => {
  for (const format of ['csv', 'parquet'] as const) {
    it(`is a batch insert straight over the ${format} reader, without a join`, async () => {
      const p = await plan(format === 'csv' ? csv : parquet, format);
      expect(p).toMatch(/BATCH_INSERT/);
      expect(p).not.toMatch(/JOIN/);
      expect(p).toMatch(format === 'csv' ? /READ_CSV/ : /(READ_PARQUET|PARQUET_SCAN|TABLE_SCAN)/);
    });
  }
});
