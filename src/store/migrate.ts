/**
 * Numbered schema migrations: src/store/migrations/NNN_name.sql, applied in order, each in a
 * transaction, recorded in schema_migrations. A store opened by an older tokenledger is upgraded in place.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSql, type Store } from './db.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrate(store: Store): Promise<number[]> {
  await store.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const done = new Set((await store.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  const files = readdirSync(DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
  const applied: number[] = [];
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    if (done.has(version)) continue;
    const sql = loadSql(import.meta.url, join('migrations', file));
    await store.transaction(async () => {
      await store.query(sql);
      await store.query('INSERT INTO schema_migrations VALUES ($v, $n, now()::TIMESTAMP)', { v: version, n: file });
    });
    applied.push(version);
  }
  return applied;
}
