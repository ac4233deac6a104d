/** What the benchmark reports say about the engine they measured: DuckDB's version, asked of DuckDB itself. */
import { DuckDBInstance } from '@duckdb/node-api';

export async function duckdbVersion(): Promise<string> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const v = String((await conn.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0]!.v);
  conn.closeSync();
  inst.closeSync();
  return v;
}
