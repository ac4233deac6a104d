import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create('/tmp/tl-bench/store.duckdb', { access_mode: 'READ_ONLY' }); const c = await db.connect();
for (const q of process.argv.slice(2)) { const t = Date.now(); const r = await c.runAndReadAll(q); console.log((Date.now()-t)+'ms', JSON.stringify(r.getRowObjectsJson()).slice(0,300)); }
