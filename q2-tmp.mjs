import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
const inst = await DuckDBInstance.create('/work/prof/year-copy.duckdb'); const c = await inst.connect();
let v = readFileSync('src/store/migrations/002_charges_view.sql','utf8').replace('CREATE VIEW charges AS','CREATE OR REPLACE VIEW charges2 AS');
v = v.replace(/(\b[jkcd]) AS \(/g, '$1 AS NOT MATERIALIZED (');
await c.run(v);
const q = (t) => `SELECT tl_model, tl_token_type, sum(tl_tokens), sum(EffectiveCost) FROM ${t} WHERE tl_token_type IS NOT NULL GROUP BY ALL`;
for (const t of ['charges','charges2','charges','charges2']) { const s=performance.now(); await c.runAndReadAll(q(t)); console.log(t, ((performance.now()-s)/1000).toFixed(3)); }
