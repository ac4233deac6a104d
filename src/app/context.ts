/**
 * Opening the ledger for a command, in the two ways there are:
 *
 * - `withLedger` (every report, check, explain, export): the store opened READ-ONLY, the Ledger over it
 *   with the configuration and a scope. Nothing is written to a healthy store; several readers may run
 *   at once. A store an interrupted command left behind (orphan rows, rows not numbered yet) is repaired
 *   first when the reader can open it for writing (no other process has it open), and says so on
 *   stderr; when it cannot, the orphans are hidden from this command (store/integrity.ts) and the
 *   numbering waits for the next command that can write.
 * - `withWriter` (ingest, reclassify, allocate): the store opened for writing, waiting for it while another
 *   process has it open (store/lock-wait.ts: up to TOKENLEDGER_LOCK_WAIT seconds). 1. the same repair:
 *   orphan rows of interrupted ingests removed, rows left unnumbered numbered (billing, telemetry,
 *   events); 2. the command runs; 3. unless it says otherwise (--no-allocate), the stored allocation is
 *   brought up to date, also when an interrupted command left it stale, so the next report finds it
 *   current.
 *
 * The store path comes from --store, else tokenledger.yaml `store:`, else ./.tokenledger/ledger.duckdb.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ensureAllocation } from '../allocate/materialize.js';
import { DEFAULT_STORE, loadConfig, type Config } from '../config/config.js';
import { healPendingRows, pendingNumbering } from '../ingest/common/heal.js';
import { Ledger } from '../ledger/ledger.js';
import type { Scope } from '../ledger/scope.js';
import { Store, StoreLockedError } from '../store/db.js';
import { lockWaitSeconds, openForWriting } from '../store/lock-wait.js';
import { describeOrphans, findOrphans, hideOrphans, sweepOrphans } from '../store/integrity.js';
import type { Effects } from './effects.js';

export interface GlobalOptions {
  store?: string | undefined;
  config?: string | undefined;
}

export function resolveConfig(g: GlobalOptions, fx: Pick<Effects, 'cwd'>): Config {
  return loadConfig(g.config, fx.cwd);
}

export function storePath(g: GlobalOptions, config: Config, fx: Pick<Effects, 'cwd'>): string {
  return g.store ? resolve(fx.cwd, g.store) : (config.store ?? resolve(fx.cwd, DEFAULT_STORE));
}

function memory(config: Config): { memoryLimit?: string } {
  return config.memory_limit ? { memoryLimit: config.memory_limit } : {};
}

/** Run `fn` over the ledger, read-only (with the configuration already loaded, when the caller has it). */
export async function withLedger<T>(
  g: GlobalOptions, fx: Effects, fn: (ledger: Ledger) => Promise<T>, o: { scope?: Scope; config?: Config } = {},
): Promise<T> {
  const config = o.config ?? resolveConfig(g, fx);
  const scope = o.scope ?? {};
  const store = await openForReading(storePath(g, config, fx), config, fx);
  try {
    return await fn(new Ledger(store, config, scope));
  } finally {
    store.close();
  }
}

export interface WriteOptions {
  /** Bring the stored allocation up to date after the command (default true). */
  allocate?: boolean;
}

/** Run `fn` with the store open for writing; heal interrupted numbering first, rebuild the allocation after. */
export async function withWriter<T>(g: GlobalOptions, fx: Effects, fn: (store: Store, config: Config) => Promise<T>,
  o: WriteOptions = {}): Promise<T> {
  const config = resolveConfig(g, fx);
  const path = storePath(g, config, fx);
  // a first ingest that fails leaves no empty store behind (a read would then answer "no data", not "no store")
  const created = path !== ':memory:' && !existsSync(path);
  const folderCreated = created && !existsSync(dirname(path));
  const store = await openForWriting(path, memory(config), { seconds: lockWaitSeconds(fx.env), say: (l) => fx.stderr(l) });
  let ok = false;
  try {
    await repair(store, fx);
    const out = await fn(store, config);
    if (o.allocate !== false) await refreshAllocation(store, fx);
    ok = true;
    return out;
  } finally {
    store.close();
    if (created && !ok) {
      for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
      if (folderCreated && readdirSync(dirname(path)).length === 0) rmSync(dirname(path), { recursive: true, force: true });
    }
  }
}

/**
 * Open read-only; if an interrupted command left orphan rows or unnumbered rows, repair them first:
 * 1. detect (a read); 2. none: this is the store; 3. else close, open for writing, repair, close and open
 *    read-only again; 4. the writing open refused (another process has the store open): the orphans are
 *    hidden from this command and stderr says the next command that can write removes them.
 */
async function openForReading(path: string, config: Config, fx: Effects): Promise<Store> {
  const store = await Store.open(path, { ...memory(config), readOnly: true });
  const orphans = await findOrphans(store);
  const numbering = await pendingNumbering(store);
  if (!orphans.length && !numbering.billing && !numbering.telemetry && !numbering.events) return store;
  store.close();
  try {
    const writer = await Store.open(path, memory(config));
    try {
      await repair(writer, fx);
    } finally {
      writer.close();
    }
  } catch (e) {
    if (!(e instanceof StoreLockedError)) throw e;
    const again = await Store.open(path, { ...memory(config), readOnly: true });
    const left = await findOrphans(again);
    if (left.length) {
      await hideOrphans(again, left);
      for (const line of describeOrphans(left)) {
        fx.stderr(`tokenledger: ignoring ${line}: left by an interrupted ingest (no committed ingestion record); ` +
          'the next command that can open the store for writing removes them\n');
      }
    }
    return again;
  }
  return Store.open(path, { ...memory(config), readOnly: true });
}

/** Remove orphan rows (one transaction) and number rows left unnumbered, saying on stderr what it did. */
async function repair(store: Store, fx: Effects): Promise<void> {
  const removed = await sweepOrphans(store);
  for (const line of describeOrphans(removed)) {
    fx.stderr(`tokenledger: removed ${line}: left by an interrupted ingest (no committed ingestion record); ` +
      'run that ingest again to add them once\n');
  }
  const healed = await healPendingRows(store);
  const parts = [healed.billing && `${healed.billing} billing file part(s)`, healed.telemetry && `${healed.telemetry} telemetry file(s)`,
    healed.events && `${healed.events} events file(s)`].filter(Boolean);
  if (parts.length) fx.stderr(`tokenledger: numbered the rows of ${parts.join(', ')} an interrupted command left unnumbered\n`);
}

/** Rebuild the stored allocation if the ledger changed; says so on stderr when it takes a while. */
export async function refreshAllocation(store: Store, fx: Effects,
  force = false): Promise<{ rebuilt: boolean; rows: number; seconds: number }> {
  // rows are numbered already: withWriter healed before the command, and ingests number after their commit
  return ensureAllocation(store, { force, onStart: () => (fx.interactive ? fx.stderr('building the stored allocation...\n') : undefined) });
}
