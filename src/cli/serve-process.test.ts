/**
 * `tokenledger serve` as a program, next to the data pipeline: the built bin is started on the demo
 * store (one month), prints its URL within the start budget, answers; an ingest from a second process
 * (as a cron job would run it) succeeds while the server runs, and the next request shows the new
 * month and its data status; the server computes the overview in the background at start and again after
 * the ingest (server/warm.ts), the ingest waiting for the store if it came while that read; SIGTERM stops
 * it cleanly (exit 0).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { REPO_ROOT } from '../test-support/paths.js';
import { run } from './main.js';

const BIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const ENV = { ...process.env, TZ: 'UTC', TOKENLEDGER_TODAY: '2026-11-20' };
let dir: string;
let store: string;
let config: string;
let server: ChildProcess | null = null;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build before the tests`);
  dir = tempDir('tl-serve-proc-');
  store = join(dir, 'ledger.duckdb');
  expect(await run(['--store', store, 'demo', '--end', '2026-09', '--months', '1', '--seed', '7'], memoryEffects({ cwd: dir }))).toBe(0);
  config = join(dir, 'tokenledger-demo', 'tokenledger.yaml');
  // next month's export, written now, ingested later by another process
  expect(await run(['--store', store, '--config', config, 'demo', '--end', '2026-10', '--months', '1', '--seed', '7', '--no-ingest',
    '--out', 'next'], memoryEffects({ cwd: dir }))).toBe(0);
}, 180_000);

afterAll(() => {
  server?.kill('SIGKILL');
});

function start(): Promise<{ url: string; ms: number; output: () => string }> {
  const started = Date.now();
  const p = spawn(process.execPath, [BIN, '--store', store, '--config', config, 'serve', '--port', '0'], { cwd: dir, env: ENV });
  server = p;
  let out = '';
  let urlAt: number | undefined;
  return new Promise((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /tokenledger serve: (http:\/\/\S+)/.exec(out);
      urlAt ??= m ? Date.now() - started : undefined;
      if (m && out.includes('Ctrl-C stops it.')) resolve({ url: m[1]!, ms: urlAt!, output: () => out });
    });
    p.stderr!.on('data', (d: Buffer) => (out += String(d)));
    p.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

async function months(url: string): Promise<string[]> {
  const res = await fetch(`${url}api/reports/summary`);
  expect(res.status).toBe(200);
  const rows = (await res.json() as { rows: { billing_period: string }[] }).rows;
  return [...new Set(rows.map((r) => r.billing_period))].sort();
}

const warmed = (out: string) => out.match(/^overview: computed for 1 scope\(s\) in [\d.]+ s/gm)?.length ?? 0;

async function until(ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('serve beside the pipeline', () => {
  it('starts, answers, lets another process ingest, shows the new data, stops on SIGTERM', async () => {
    const { url, ms, output } = await start();
    process.stderr.write(`serve printed its URL after ${ms} ms\n`);
    // the chart library loads after the URL is out; the bound leaves room for a loaded CI box (the time is printed above)
    expect(ms).toBeLessThan(8000);
    expect(output()).toMatch(/only this machine can connect \(loopback\)/);
    expect(await months(url)).toEqual(['2026-09']);
    // the cron job: a second process takes the write lock (waiting, if the background overview is being read)
    const before = warmed(output());
    const ingest = spawnSync(process.execPath, [BIN, '--store', store, '--config', config, 'ingest', 'focus', join(dir, 'next', 'billing'),
      '--quiet'], { cwd: dir, env: ENV, encoding: 'utf8' });
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(await months(url)).toEqual(['2026-09', '2026-10']);
    // the overview computed again for the new data, without a request asking for it
    await until(() => warmed(output()) > before);
    const page = await (await fetch(url)).text();
    expect(page).toContain('2026-10');
    const status = await (await fetch(`${url}api/status?month=2026-10`)).json() as { complete_through: string };
    expect(status.complete_through).toBe('2026-10-31');
    const exited = new Promise<number | null>((resolve) => server!.on('exit', (code) => resolve(code)));
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toMatch(/tokenledger serve: stopped/);
    server = null;
  });
});
