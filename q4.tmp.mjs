import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create('/tmp/tl-bench/store.duckdb', { access_mode: 'READ_ONLY' }); const c = await db.connect();
const r = await c.runAndReadAll(process.argv[2]); for (const row of r.getRows()) console.log(String(row[1]));
