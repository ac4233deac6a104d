/**
 * The CommonJS packages every command loads, taken with `require` rather than `import`. Node's ESM loader
 * reads a CommonJS package's export names by parsing each of its files (cjs-module-lexer) before running
 * it; for @duckdb/node-api (one file per class, re-exported) and yaml that parse was the largest single
 * cost of a report's start (profiled: about a seventh of a whole `report budgets` process on the year
 * store). `require` runs them as they are. Types still come from the packages (type-only imports).
 * Import these from here, never the packages themselves, or the parse comes back.
 */
import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';
import type * as Yaml from 'yaml';

const load = createRequire(import.meta.url);

/** @duckdb/node-api: the store and the SQL engine. */
export const duckdb = load('@duckdb/node-api') as typeof DuckDB;

let yamlModule: typeof Yaml | undefined;
/** yaml, loaded on first use (not every command reads a YAML file). */
export function yaml(): typeof Yaml {
  yamlModule ??= load('yaml') as typeof Yaml;
  return yamlModule;
}
