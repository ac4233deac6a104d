/**
 * The billing ingest benchmark's inputs: the demo company's Azure FOCUS 1.2-preview export (106 columns) of one
 * month at a given size, as CSV.gz and as a Parquet copy; and a narrow variant of the same rows with the FOCUS 1.0
 * columns only (about 40, what a non-Azure FOCUS export looks like), as CSV.gz and Parquet too. Generated once
 * per size and kept in the bench folder.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ROWS_PER_CLONE_PER_MONTH } from '../demo/generate.js';
import { writeDemoExport } from '../demo/write-export.js';

export type Variant = 'wide' | 'narrow';
export interface BillingInputs { csv: string; parquet: string; columns: number }

/** FOCUS 1.0's columns (the demo export has all of them but AvailabilityZone). */
const FOCUS_1_0 = ['AvailabilityZone', 'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd',
  'BillingPeriodStart', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart',
  'CommitmentDiscountCategory', 'CommitmentDiscountId', 'CommitmentDiscountName', 'CommitmentDiscountStatus', 'CommitmentDiscountType',
  'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'ContractedUnitPrice', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost',
  'ListUnitPrice', 'PricingCategory', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'RegionId', 'RegionName',
  'ResourceId', 'ResourceName', 'ResourceType', 'ServiceCategory', 'ServiceName', 'SkuId', 'SkuPriceId', 'SubAccountId',
  'SubAccountName', 'Tags'];

async function withDuckDB<T>(fn: (run: (q: string, p: Record<string, string>) => Promise<number>) => Promise<T>): Promise<T> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    return await fn(async (q, p) => {
      const r = await conn.runAndReadAll(q, p);
      return Number(r.getRows()[0]?.[0] ?? 0);
    });
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

export async function billingInputs(out: string, rows: number, variant: Variant): Promise<BillingInputs> {
  const dir = join(out, `rows-${rows}`);
  const wide = { csv: join(dir, 'export.csv.gz'), parquet: join(dir, 'export.parquet') };
  if (!existsSync(wide.csv) || !existsSync(wide.parquet)) {
    rmSync(dir, { recursive: true, force: true });
    const clones = Math.max(1, Math.round(rows / ROWS_PER_CLONE_PER_MONTH));
    const runs = await writeDemoExport(join(dir, 'gen'), { months: ['2026-10'], clones, seed: 11 }, 10_000_000);
    renameSync(runs[0]!.parts[0]!, wide.csv);
    rmSync(join(dir, 'gen'), { recursive: true, force: true });
    await withDuckDB((run) => run('COPY (SELECT * FROM read_csv($csv)) TO $parquet (FORMAT parquet)', wide));
  }
  const header = await withDuckDB(async (run) => {
    const n = await run('SELECT count(*) FROM (DESCRIBE SELECT * FROM read_csv($csv))', { csv: wide.csv });
    return n;
  });
  if (variant === 'wide') return { ...wide, columns: header };
  const narrow = { csv: join(dir, 'narrow.csv.gz'), parquet: join(dir, 'narrow.parquet') };
  const columns = await withDuckDB(async (run) => {
    const present = await run(`SELECT count(*) FROM (DESCRIBE SELECT * FROM read_csv($csv, all_varchar = true))
      WHERE column_name IN (SELECT unnest(from_json($names, '["VARCHAR"]')))`, { csv: wide.csv, names: JSON.stringify(FOCUS_1_0) });
    if (!existsSync(narrow.csv) || !existsSync(narrow.parquet)) {
      // the columns named as data (a list parameter), the text kept as it is in the wide file
      const pick = `SELECT COLUMNS(c -> list_contains(from_json($names, '["VARCHAR"]'), c)) FROM read_csv($csv, all_varchar = true)`;
      await run(`COPY (${pick}) TO $out (FORMAT csv, HEADER true, COMPRESSION gzip)`,
        { csv: wide.csv, names: JSON.stringify(FOCUS_1_0), out: narrow.csv });
      await run('COPY (SELECT * FROM read_csv($csv)) TO $parquet (FORMAT parquet)', { csv: narrow.csv, parquet: narrow.parquet });
    }
    return present;
  });
  return { ...narrow, columns };
}
