/**
 * Opening the ledger for a command, in the two ways there are:
 *
 * - `withLedger` (every report, check, explain, export): the store opened READ-ONLY, the Ledger over it
 *   with the configuration and a scope. Nothing is written; several readers may run at once.
 * - `withWriter` (ingest, reclassify, allocate): the store opened for writing. 1. rows left unnumbered
 *   by an interrupted command are numbered first (billing, telemetry, events); 2. the command runs; 3.
 *   unless it says otherwise, the stored allocation is brought up to date with what it changed, so the
 *   next report finds it current.
 *
 * The store path comes from --store, else tokenledger.yaml `store:`, else ./.tokenledger/ledger.duckdb.
 */
import { resolve } from 'node:path';
import { ensureAllocation } from '../allocate/materialize.js';
import { DEFAULT_STORE, loadConfig, type Config } from '../config/config.js';
import { healPendingRows } from '../ingest/common/heal.js';
import { Ledger } from '../ledger/ledger.js';
import type { Scope } from '../ledger/scope.js';
import { Store } from '../store/db.js';
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
  const store = await Store.open(storePath(g, config, fx), { ...memory(config), readOnly: true });
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
  const store = await Store.open(storePath(g, config, fx), memory(config));
  try {
    await healPendingRows(store);
    const out = await fn(store, config);
    if (o.allocate !== false) await refreshAllocation(store, fx);
    return out;
  } finally {
    store.close();
  }
}

/** Rebuild the stored allocation if the ledger changed; says so on stderr when it takes a while. */
export async function refreshAllocation(store: Store, fx: Effects,
  force = false): Promise<{ rebuilt: boolean; rows: number; seconds: number }> {
  // rows are numbered already: withWriter healed before the command, and ingests number after their commit
  return ensureAllocation(store, { force, onStart: () => (fx.interactive ? fx.stderr('building the stored allocation...\n') : undefined) });
}
