/** What the benchmark reports say about the engine they measured: DuckDB's version, asked of DuckDB itself. */
import { cpus } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';

export async function duckdbVersion(): Promise<string> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const v = String((await conn.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0]!.v);
  conn.closeSync();
  inst.closeSync();
  return v;
}

/**
 * Which machine measured a section, and when ("AMD EPYC, 2 cores, 2026-12-03"): \`npm run bench -- --only X\` keeps
 * the other sections of an earlier run, possibly of another machine, and docs/benchmarks.md says so per section.
 */
export function measuredOnNow(): string {
  return `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`;
}

/** The line a section of docs/benchmarks.md starts with: which machine measured it, and when. */
export function stampLine(measuredOn: string | undefined): string {
  return measuredOn ? `Measured on ${measuredOn}.\n\n` : '';
}
