/**
 * Numbered schema migrations: src/store/migrations/NNN_name.sql, applied in order, each in a
 * transaction, recorded in schema_migrations. A store opened by an older tokenledger is upgraded in place.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSql, type Store } from './db.js';
import { sql } from './sql.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

function migrationFiles(): string[] {
  return readdirSync(DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
}

/** Migrations the store has not had (a read-only store cannot take them). */
export async function pendingMigrations(store: Store): Promise<number[]> {
  const [t] = await store.query<{ n: string }>(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND schema_name = 'main'");
  const done = Number(t?.n)
    ? new Set((await store.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)))
    : new Set<number>();
  return migrationFiles().map((f) => Number(f.slice(0, 3))).filter((v) => !done.has(v));
}

export async function migrate(store: Store): Promise<number[]> {
  await store.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const done = new Set((await store.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  const files = migrationFiles();
  const applied: number[] = [];
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    if (done.has(version)) continue;
    const text = loadSql(import.meta.url, join('migrations', file));
    await store.transaction(async () => {
      await store.query(text);
      await store.query(sql`INSERT INTO schema_migrations VALUES (${version}, ${file}, now()::TIMESTAMP)`);
    });
    applied.push(version);
  }
  return applied;
}
