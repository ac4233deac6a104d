/**
 * One benchmark measurement in its own process, so that peak RSS belongs to that measurement alone.
 * Usage: node dist/bench/run-one.js <tokenledger|duckdb> <csv|parquet|json|telemetry> <input> <store>
 *        node dist/bench/run-one.js allocate <billing export> <telemetry rows> <store>
 * Prints one JSON line: {seconds, maxRssMb, rows}.
 */
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { allocation } from '../report/allocation.js';
import { ensureAllocation } from '../allocate/materialize.js';
import { Ledger } from '../ledger/ledger.js';
import { parsePeriod } from '../domain/period.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { economicsReport, economicsSetup, insertSyntheticTelemetry } from './economics.js';

const [mode, format, input, storePath] = process.argv.slice(2) as [string, string, string, string];
if (mode !== 'economics-report') {
  rmSync(storePath, { force: true });
  rmSync(`${storePath}.wal`, { force: true });
}

const started = process.hrtime.bigint();
let rows = 0;
let extra: Record<string, number> = {};
if (mode === 'allocate') {
  extra = await benchAllocation(format, Number(input), storePath);
  rows = extra.telemetryRows!;
} else if (mode === 'economics-setup') {
  // format: billing export folder; input: "<telemetry rows>:<events file>"
  const [tel, events] = input.split(':') as [string, string];
  extra = await economicsSetup(format, Number(tel), events, storePath);
  rows = extra.eventRows!;
} else if (mode === 'economics-report') {
  // format: report name; input: month; the store is kept from economics-setup
  extra = await economicsReport(format, input, storePath);
  rows = extra.rows!;
} else if (mode === 'duckdb') {
  const inst = await DuckDBInstance.create(storePath);
  const conn = await inst.connect();
  const fn = format === 'parquet' ? 'read_parquet' : format === 'json' ? 'read_json' : 'read_csv';
  await conn.run(`CREATE TABLE t AS SELECT * FROM ${fn}($path)`, { path: input });
  rows = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM t')).getRowObjectsJson()[0]!.n);
  conn.closeSync();
  inst.closeSync();
} else if (format === 'telemetry') {
  const store = await Store.open(storePath);
  const out = await ingestTelemetry(store, [input]);
  rows = out.reduce((a, o) => a + o.rows, 0);
  store.close();
} else {
  const store = await Store.open(storePath);
  const out = await ingestFocus(store, [input], { rules: loadRules() });
  rows = out.reduce((a, o) => a + o.rows, 0);
  // closing checkpoints the store: what the parallel insert wrote is merged into full row groups (ingest-profile.ts)
  const closing = process.hrtime.bigint();
  store.close();
  extra = { closeSeconds: Number(process.hrtime.bigint() - closing) / 1e9 };
}
const seconds = extra.allocateSeconds ?? extra.reportSeconds ?? Number(process.hrtime.bigint() - started) / 1e9;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ seconds, maxRssMb, rows, ...extra }) + '\n');

/**
 * Allocation at scale: the 1M-row billing export, and `telemetryRows` synthetic telemetry requests (see
 * insertSyntheticTelemetry). Times `report allocation --by feature`, which builds the stored allocation.
 */
async function benchAllocation(export_: string, telemetryRows: number, path: string): Promise<Record<string, number>> {
  const store = await Store.open(path, { memoryLimit: '3GB' });
  const t0 = process.hrtime.bigint();
  await ingestFocus(store, [export_], { rules: loadRules() });
  await insertSyntheticTelemetry(store, telemetryRows);
  const setup = Number(process.hrtime.bigint() - t0) / 1e9;
  const [{ n }] = (await store.query<{ n: string }>('SELECT count(*) AS n FROM telemetry')) as [{ n: string }];
  const t1 = process.hrtime.bigint();
  await ensureAllocation(store);
  const report = await allocation(new Ledger(store, { path: null }), {
    report: 'allocation', period: parsePeriod({ month: '2026-10' }), costBasis: 'effective', by: 'feature', today: '2030-01-01',
    allowIncomplete: true,
  });
  const allocateSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  const [{ b }] = (await store.query<{ b: string }>(
    "SELECT count(*) AS b FROM charges WHERE ChargePeriodStart >= TIMESTAMP '2026-10-01' AND ChargePeriodStart < TIMESTAMP " +
      "'2026-11-01'")) as [{ b: string }];
  store.close();
  return { allocateSeconds, setupSeconds: setup, telemetryRows: Number(n), billingRows: Number(b), reportRows: report.rows.length };
}
