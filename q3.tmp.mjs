import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
const db = await DuckDBInstance.create('/tmp/tl-bench/store.duckdb', { access_mode: 'READ_ONLY' }); const c = await db.connect();
let s = readFileSync('src/report/ptu-plan.sql', 'utf8').split('\n').filter((l) => !l.startsWith('--')).join('\n');
const R = process.argv[2];
s = s.replace('/*WHERE*/', "ts >= TIMESTAMP '2026-10-01' AND ts < TIMESTAMP '2026-11-01'").replace('/*FILTER*/', 'true')
 .replace('/*RATIOS*/', "(VALUES ('gpt-4o', 4.0), ('gpt-4o-mini', 4.0), ('gpt-4.1', 4.0), ('o3', 4.0), ('gpt-5', 8.0), ('gpt-5-mini', 8.0)) AS r(model, ratio)")
 .replace('/*WINDOW*/', '44640').replace('/*CAPACITIES*/', "(SELECT NULL::VARCHAR AS deployment, NULL::VARCHAR AS model, NULL::VARCHAR AS deployment_type, NULL::DOUBLE AS capacity WHERE false)")
 .replace('/*RESULT*/', R);
const t = Date.now(); const r = await c.runAndReadAll(s); console.log(Date.now() - t, 'ms', r.getRowObjectsJson().length);
