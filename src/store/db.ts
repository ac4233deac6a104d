/**
 * The embedded store: one DuckDB file. Every SQL statement the tool runs goes through `Store.query`,
 * so parameters, error wrapping and (later) tracing live in one place. SQL lives in .sql files beside the
 * TypeScript that runs it; `loadSql` reads them.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { duckdb } from './packages.js';
import { ExitCode, TokenledgerError } from '../domain/errors.js';
import { migrate, pendingMigrations } from './migrate.js';
import { Sql } from './sql.js';

/** A row as returned by `query`: DECIMAL and BIGINT come back as exact strings, never floats. */
export type Row = Record<string, JsonValue>;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** TOKENLEDGER_TRACE=1 prints every statement's time to stderr. */
const TRACE = process.env.TOKENLEDGER_TRACE === '1';

export const DEFAULT_MEMORY_LIMIT = '1500MB';

/**
 * A statement's named parameters ($p1, $p27...) as positional ones ($1, $2...) with their values in order.
 * DuckDB finds a named parameter's index by a linear search, so binding n of them by name costs n^2: 160 ms
 * for the 3,500 values of an anomalies root-cause query. A name used twice keeps one position. A text with
 * a $name the parameters do not have is left to DuckDB as it is (its error names the parameter).
 */
export function positional(s: Sql): { sql: string; values: DuckDBValue[] | Record<string, DuckDBValue> | undefined } {
  const names = Object.keys(s.params);
  if (!names.length) return { sql: s.text, values: undefined };
  const at = new Map<string, number>();
  const values: DuckDBValue[] = [];
  let unknown = false;
  const sql = s.text.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(s.params, name)) {
      unknown = true;
      return whole;
    }
    let i = at.get(name);
    if (i === undefined) {
      values.push(s.params[name]!);
      i = values.length;
      at.set(name, i);
    }
    return `$${i}`;
  });
  // unused parameters or a $name of no parameter: bound by name as before, so DuckDB says what is wrong
  if (unknown || at.size !== names.length) return { sql: s.text, values: s.params as Record<string, DuckDBValue> };
  return { sql, values };
}

export class Store {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    /** Opened READ_ONLY: reports only; any write fails. */
    readonly readOnly = false,
  ) {}

  /**
   * Open (creating if needed) the store at `path` and bring its schema up to date. ':memory:' works for
   * tests. `memoryLimit` caps DuckDB's memory (default 1500MB, TOKENLEDGER_MEMORY_LIMIT overrides): past
   * it DuckDB spills to disk instead of growing, which keeps a 1M-row ingest under 2 GB of RSS.
   */
  static async open(path: string, opts: { memoryLimit?: string; readOnly?: boolean } = {}): Promise<Store> {
    const limit = process.env.TOKENLEDGER_MEMORY_LIMIT ?? opts.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(limit)) {
      throw new TokenledgerError(`memory limit ${limit}: expected a size such as 1500MB or 4GB`);
    }
    const readOnly = Boolean(opts.readOnly) && path !== ':memory:';
    if (readOnly && !existsSync(path)) {
      throw new TokenledgerError(`no store at ${path}`, {
        exitCode: ExitCode.BadInput,
        hint: 'Ingest something first (`tokenledger ingest focus DIR`, or `tokenledger demo`), or pass --store PATH of an existing store.',
      });
    }
    if (path !== ':memory:' && existsSync(path) && statSync(path).isDirectory()) {
      throw new TokenledgerError(`store ${path} is a folder`, {
        exitCode: ExitCode.BadInput, hint: 'Pass the store file itself, e.g. --store ./.tokenledger/ledger.duckdb.',
      });
    }
    if (path !== ':memory:' && !readOnly) mkdirSync(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      // settings at creation, not as SQL: the limit is a value, and a read-only store takes no SET
      instance = await duckdb.DuckDBInstance.create(path, { memory_limit: limit, ...(readOnly ? { access_mode: 'READ_ONLY' } : {}) });
    } catch (e) {
      throw openError(path, readOnly, e as Error);
    }
    const conn = await instance.connect();
    const store = new Store(path, instance, conn, readOnly);
    await store.query("SET TimeZone = 'UTC'");
    if (readOnly) {
      const pending = await pendingMigrations(store);
      if (pending.length) {
        store.close();
        throw new TokenledgerError(`store ${path} was written by an older tokenledger (schema ${pending.join(', ')} not applied)`, {
          exitCode: ExitCode.Store,
          hint: 'Run a command that writes (e.g. `tokenledger allocate`) once to upgrade it.',
        });
      }
    } else {
      await migrate(store);
    }
    return store;
  }

  /**
   * Run one statement built by `sql` / `fill` (values as parameters), or a constant text (several
   * statements separated by ';' are allowed only without parameters), and return its rows.
   */
  async query<T extends Row = Row>(statement: Sql | string): Promise<T[]> {
    const started = TRACE ? performance.now() : 0;
    const { sql, values } = typeof statement === 'string' ? { sql: statement, values: undefined } : positional(statement);
    const reader = await this.conn.runAndReadAll(sql, values);
    const rows = reader.getRowObjectsJson() as T[];
    if (TRACE) {
      // the statement's first lines of code (a bare `WITH` alone says nothing), comments left out
      const head = sql.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--')).slice(0, 3).join(' ').replace(/\s+/g, ' ');
      process.stderr.write(`[sql ${(performance.now() - started).toFixed(1)} ms, ${rows.length} rows] ${head.trim().slice(0, 160)}\n`);
    }
    return rows;
  }

  /** Column names of a query's result without fetching rows beyond what DuckDB needs. */
  async columns(statement: Sql | string): Promise<{ name: string; type: string }[]> {
    const s = typeof statement === 'string' ? new Sql(statement) : statement;
    const rows = await this.query<{ column_name: string; column_type: string }>(new Sql(`DESCRIBE ${s.text}`, s.params));
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  }

  /**
   * Run `fn` in one transaction: all of it lands, or none of it. DuckDB's own guarantee is not trusted
   * for a crash inside the COMMIT (see integrity.ts); with tracing, a line marks where the COMMIT starts,
   * so a crash test can aim inside it.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.query('BEGIN TRANSACTION');
    try {
      const out = await fn();
      if (TRACE) process.stderr.write('[sql start] COMMIT\n');
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

/** Another process holds the store's file lock (DuckDB: one writer, or any number of readers). */
export class StoreLockedError extends TokenledgerError {
  constructor(message: string, opts: { hint: string; cause: unknown }) {
    super(message, { exitCode: ExitCode.Store, ...opts });
    this.name = 'StoreLockedError';
  }
}

/** Why a store would not open, in words that say what to do. */
function openError(path: string, readOnly: boolean, e: Error): TokenledgerError {
  const message = e.message;
  if (/lock|Conflicting lock/i.test(message)) {
    return new StoreLockedError(`cannot open store ${path}${readOnly ? ' to read' : ''}: another process has it open`, {
      cause: e,
      hint: readOnly
        ? 'A tokenledger command is writing it (an ingest); readers get in once it closes. Try again in a moment.'
        : 'Another tokenledger process holds the store open; DuckDB allows one writer at a time.',
    });
  }
  if (/not a valid DuckDB database|database file|Invalid Input Error|magic|IO Error/i.test(message)) {
    return new TokenledgerError(`${path} is not a tokenledger store (DuckDB could not read it: ${message.split('\n')[0]})`, {
      exitCode: ExitCode.BadInput,
      cause: e,
      hint: 'Pass the store file tokenledger created (default ./.tokenledger/ledger.duckdb) with --store, or a new path for a new store.',
    });
  }
  return new TokenledgerError(`cannot open store ${path}: ${message}`, { exitCode: ExitCode.Store, cause: e });
}

/** Read a .sql file that sits beside the module `moduleUrl` (pass `import.meta.url`). */
export function loadSql(moduleUrl: string, name: string): string {
  return readFileSync(join(dirname(fileURLToPath(moduleUrl)), name), 'utf8');
}

