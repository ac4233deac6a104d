/**
 * `tokenledger serve --watch DIR` as a program: the built bin serves the demo's September and watches an
 * empty folder; October's Cost Management export (a manifest folder) is copied in, and without any other
 * command the next request shows October; a bad CSV dropped beside it is refused (the store as it was),
 * its file:line message is on /api/watch and on the dashboard's banner, and it is not retried until it
 * changes; removed, the failure goes. A file still being written (changing between scans) waits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { focusCsv, tempDir, tokenRow } from '../test-support/focus-fixture.js';
import { BIN } from '../test-support/paths.js';
import { run } from './main.js';

const ENV = { ...process.env, TZ: 'UTC', TOKENLEDGER_TODAY: '2026-11-20' };
let dir: string;
let store: string;
let config: string;
let inbox: string;
let server: ChildProcess | null = null;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build before the tests`);
  dir = tempDir('tl-serve-watch-');
  store = join(dir, 'ledger.duckdb');
  expect(await run(['--store', store, 'demo', '--end', '2026-09', '--months', '1', '--seed', '7'], memoryEffects({ cwd: dir }))).toBe(0);
  config = join(dir, 'tokenledger-demo', 'tokenledger.yaml');
  expect(await run(['--store', store, '--config', config, 'demo', '--end', '2026-10', '--months', '1', '--seed', '7', '--no-ingest',
    '--out', 'next'], memoryEffects({ cwd: dir }))).toBe(0);
  inbox = join(dir, 'inbox');
  cpSync(join(dir, 'next', 'billing'), join(dir, 'staged'), { recursive: true });
}, 180_000);

afterAll(() => {
  server?.kill('SIGKILL');
});

function start(): Promise<string> {
  mkdirSync(inbox); // the folder exists, empty
  const p = spawn(process.execPath, [BIN, '--store', store, '--config', config, 'serve', '--port', '0', '--watch', inbox,
    '--watch-interval', '0.3'], { cwd: dir, env: ENV });
  server = p;
  let out = '';
  return new Promise((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /tokenledger serve: (http:\/\/\S+)/.exec(out);
      if (m && out.includes('Ctrl-C stops it.')) resolve(m[1]!);
    });
    p.stderr!.on('data', (d: Buffer) => (out += String(d)));
    p.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return await res.json() as T;
}

async function months(url: string): Promise<string[]> {
  const rows = (await json<{ rows: { billing_period: string }[] }>(`${url}api/reports/summary`)).rows;
  return [...new Set(rows.map((r) => r.billing_period))].sort();
}

interface Status { ingested: number; failures: { export: string; message: string }[]; last_ingest: { code: number } | null }

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('serve --watch', () => {
  it('ingests what lands in the folder; a bad file is shown, never half-applied, and not retried until it changes', async () => {
    const url = await start();
    expect(await months(url)).toEqual(['2026-09']);
    expect(await json<Status>(`${url}api/watch`)).toMatchObject({ ingested: 0, failures: [] });
    // 1. October's export lands (as a sync tool would copy it)
    cpSync(join(dir, 'staged'), inbox, { recursive: true });
    // while the child ingests, a request meets the write lock and gets 503 with Retry-After: the poll waits
    await until('October', () => months(url).catch((): string[] => []), (m) => m.includes('2026-10'));
    expect(await months(url)).toEqual(['2026-09', '2026-10']);
    const after = await json<Status>(`${url}api/watch`);
    expect(after).toMatchObject({ ingested: 1, failures: [], last_ingest: { code: 0 } });
    const ingestions = (await json<{ rows: unknown[] }>(`${url}api/reports/ingestions`)).rows.length;
    // 2. a bad file: refused with its line and column, the store as it was
    const bad = focusCsv([tokenRow('gpt-4o-mini-0718 Inp glbl Tokens', 1000, '0.15', { BilledCost: 'twelve' })]);
    writeFileSync(join(inbox, 'late-charges.csv'), bad);
    const failed = await until('the failure', () => json<Status>(`${url}api/watch`), (s) => s.failures.length > 0);
    expect(failed.failures).toEqual([{ export: 'late-charges.csv', at: expect.any(String) as string,
      message: expect.stringMatching(/^late-charges\.csv, line 2, .*column BilledCost: expected a decimal number/) as string }]);
    expect((await json<{ rows: unknown[] }>(`${url}api/reports/ingestions`)).rows).toHaveLength(ingestions);
    const page = await (await fetch(url)).text();
    expect(page).toMatch(/id="watch"[\s\S]*late-charges\.csv[\s\S]*column BilledCost/);
    // not retried while unchanged: the last ingest stays the failed one, and nothing more is ingested
    await new Promise((r) => setTimeout(r, 1500));
    expect(await json<Status>(`${url}api/watch`)).toMatchObject({ ingested: 1, failures: [{ export: 'late-charges.csv' }] });
    // 3. removed: the failure goes
    rmSync(join(inbox, 'late-charges.csv'));
    await until('the failure to clear', () => json<Status>(`${url}api/watch`), (s) => s.failures.length === 0);
    const exited = new Promise<number | null>((resolve) => server!.on('exit', (code) => resolve(code)));
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
    server = null;
  }, 300_000);
});
