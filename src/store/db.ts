/**
 * The embedded store: one DuckDB file. Every SQL statement the tool runs goes through `Store.query`,
 * so parameters, error wrapping and (later) tracing live in one place. SQL lives in .sql files beside the
 * TypeScript that runs it; `loadSql` reads them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { ExitCode, TokenledgerError } from '../domain/errors.js';
import { migrate } from './migrate.js';

/** A row as returned by `query`: DECIMAL and BIGINT come back as exact strings, never floats. */
export type Row = Record<string, JsonValue>;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** TOKENLEDGER_TRACE=1 prints every statement's time to stderr. */
const TRACE = process.env.TOKENLEDGER_TRACE === '1';

export const DEFAULT_MEMORY_LIMIT = '1500MB';

export class Store {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /**
   * Open (creating if needed) the store at `path` and bring its schema up to date. ':memory:' works for
   * tests. `memoryLimit` caps DuckDB's memory (default 1500MB, TOKENLEDGER_MEMORY_LIMIT overrides): past
   * it DuckDB spills to disk instead of growing, which keeps a 1M-row ingest under 2 GB of RSS.
   */
  static async open(path: string, opts: { memoryLimit?: string } = {}): Promise<Store> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (e) {
      throw new TokenledgerError(`cannot open store ${path}: ${(e as Error).message}`, {
        exitCode: ExitCode.Store,
        hint: 'Another tokenledger process may hold the store open; DuckDB allows one writer at a time.',
      });
    }
    const conn = await instance.connect();
    const store = new Store(path, instance, conn);
    await store.query("SET TimeZone = 'UTC'");
    const limit = process.env.TOKENLEDGER_MEMORY_LIMIT ?? opts.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(limit)) {
      throw new TokenledgerError(`memory limit ${limit}: expected a size such as 1500MB or 4GB`);
    }
    await store.query(`SET memory_limit = '${limit}'`);
    await migrate(store);
    return store;
  }

  /**
   * Run one SQL statement (or several separated by ';' when no params are given) and return its rows.
   * Named params use `$name` in SQL.
   */
  async query<T extends Row = Row>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
    const started = TRACE ? performance.now() : 0;
    const reader = await this.conn.runAndReadAll(sql, params);
    const rows = reader.getRowObjectsJson() as T[];
    if (TRACE) {
      const first = sql.trim().split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? '';
      process.stderr.write(`[sql ${(performance.now() - started).toFixed(1)} ms, ${rows.length} rows] ${first.trim().slice(0, 100)}\n`);
    }
    return rows;
  }

  /** Column names of a query's result without fetching rows beyond what DuckDB needs. */
  async columns(sql: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.query<{ column_name: string; column_type: string }>(`DESCRIBE ${sql}`);
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  }

  /** Run `fn` in one transaction: all of it lands, or none of it. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.query('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.query('COMMIT');
      return out;
    } catch (e) {
      await this.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Let DuckDB track the progress of long statements (without printing its own bar). */
  async enableProgress(): Promise<void> {
    await this.query('SET enable_progress_bar = true');
    await this.query('SET enable_progress_bar_print = false');
  }

  /** DuckDB's progress for the statement running now (percentage -1 when unknown). */
  progress(): { percentage: number; rowsProcessed: bigint; totalRows: bigint } {
    const p = this.conn.progress;
    return { percentage: p.percentage, rowsProcessed: p.rows_processed, totalRows: p.total_rows_to_process };
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Read a .sql file that sits beside the module `moduleUrl` (pass `import.meta.url`). */
export function loadSql(moduleUrl: string, name: string): string {
  return readFileSync(join(dirname(fileURLToPath(moduleUrl)), name), 'utf8');
}

/** Quote an identifier for SQL. */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quote a string literal for SQL (for file paths in table functions, which cannot take parameters). */
export function literal(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}
