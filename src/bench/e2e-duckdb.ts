/**
 * The plain-DuckDB peer of the end-to-end benchmark (end-to-end.ts): the same question as the pandas
 * script asked of the file directly, no store. Usage: node e2e-duckdb.js EXPORT.csv.gz
 * Prints one JSON line: rows read, token meters, their total cost.
 */
import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create(':memory:');
const conn = await inst.connect();
const q = `WITH f AS (SELECT * FROM read_csv($path)),
  g AS (SELECT x_SkuMeterName, sum(EffectiveCost) AS cost, sum(ConsumedQuantity) AS quantity,
               sum(EffectiveCost) / sum(ConsumedQuantity) * 1000000 AS cost_per_1m
        FROM f WHERE x_PricingUnitDescription IN ('1K', '1M') GROUP BY 1)
  SELECT (SELECT count(*) FROM f) AS rows, count(*) AS groups, round(sum(cost), 2)::DOUBLE AS cost FROM g`;
const r = (await conn.runAndReadAll(q, { path: process.argv[2]! })).getRowObjectsJson()[0]!;
process.stdout.write(`${JSON.stringify({ rows: Number(r.rows), groups: Number(r.groups), cost: Number(r.cost) })}\n`);
conn.closeSync();
inst.closeSync();
