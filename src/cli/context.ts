/**
 * What every command needs: the resolved configuration and the store, opened once. The store path comes
 * from --store, else tokenledger.yaml `store:`, else ./.tokenledger/ledger.duckdb.
 */
import { resolve } from 'node:path';
import { DEFAULT_STORE, loadConfig, type Config } from '../config/config.js';
import { healPendingRows } from '../ingest/common/heal.js';
import { Store } from '../store/db.js';

export interface GlobalOptions {
  store?: string;
  config?: string;
}

export function resolveConfig(g: GlobalOptions): Config {
  return loadConfig(g.config);
}

export function storePath(g: GlobalOptions, config: Config): string {
  return g.store ? resolve(g.store) : (config.store ?? resolve(DEFAULT_STORE));
}

export async function withStore<T>(g: GlobalOptions, fn: (store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = resolveConfig(g);
  const store = await Store.open(storePath(g, config), config.memory_limit ? { memoryLimit: config.memory_limit } : {});
  try {
    await healPendingRows(store);
    return await fn(store, config);
  } finally {
    store.close();
  }
}
