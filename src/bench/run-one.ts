/**
 * One benchmark measurement in its own process, so that peak RSS belongs to that measurement alone.
 * Usage: node dist/bench/run-one.js <tokenledger|duckdb> <csv|parquet> <input> <store>
 * Prints one JSON line: {seconds, maxRssMb, rows}.
 */
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { literal, Store } from '../store/db.js';

const [mode, format, input, storePath] = process.argv.slice(2) as [string, string, string, string];
rmSync(storePath, { force: true });
rmSync(`${storePath}.wal`, { force: true });

const started = process.hrtime.bigint();
let rows = 0;
if (mode === 'duckdb') {
  const inst = await DuckDBInstance.create(storePath);
  const conn = await inst.connect();
  const fn = format === 'parquet' ? `read_parquet(${literal(input)})` : `read_csv(${literal(input)})`;
  await conn.run(`CREATE TABLE t AS SELECT * FROM ${fn}`);
  rows = Number((await conn.runAndReadAll('SELECT count(*) AS n FROM t')).getRowObjectsJson()[0]!.n);
  conn.closeSync();
  inst.closeSync();
} else {
  const store = await Store.open(storePath);
  const out = await ingestFocus(store, [input], { rules: loadRules() });
  rows = out.reduce((a, o) => a + o.rows, 0);
  store.close();
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ seconds, maxRssMb, rows }) + '\n');
