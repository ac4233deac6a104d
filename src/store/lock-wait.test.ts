/**
 * A writer waits for a store another process has open (store/lock-wait.ts): a second process holds it
 * read-only for a moment, as `tokenledger serve` does while it computes a report; the writer says it waits,
 * leaves its marker while it does, opens once the reader closes, and removes the marker. With no wait it fails
 * at once with the lock error (exit 3), and a bad TOKENLEDGER_LOCK_WAIT is refused (exit 2).
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, TokenledgerError } from '../domain/errors.js';
import { REPO_ROOT } from '../test-support/paths.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { Store, StoreLockedError } from './db.js';
import { lockWaitSeconds, openForWriting, writerWaiting } from './lock-wait.js';

const dir = tempDir('tl-lock-wait-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another process opens the store read-only, says `open`, and closes it after `ms`. */
function reader(path: string, ms: number): Promise<{ closed: Promise<void> }> {
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(${JSON.stringify(path)}, { access_mode: 'READ_ONLY' });
console.log('open');
setTimeout(() => { i.closeSync(); console.log('closed'); }, ${ms});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const closed = new Promise<void>((done) => child.on('exit', () => done()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => (String(d).includes('open') ? resolve({ closed }) : undefined));
    child.on('exit', (code) => reject(new Error(`the reader exited ${code}`)));
  });
}

describe('a writer waits for the store', () => {
  const path = join(dir, 'ledger.duckdb');

  it('waits while another process reads, then opens; the marker is there only while it waits', async () => {
    (await Store.open(path)).close();
    const { closed } = await reader(path, 1500);
    const said: string[] = [];
    let seenWaiting = false;
    const poll = setInterval(() => (seenWaiting ||= writerWaiting(path)), 50);
    const t = Date.now();
    const store = await openForWriting(path, {}, { seconds: 20, say: (l) => said.push(l) });
    clearInterval(poll);
    const waited = Date.now() - t;
    await store.query('SELECT 1 AS one');
    store.close();
    await closed;
    expect(waited).toBeGreaterThan(300);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/is open in another process .*waiting up to 20 s .*TOKENLEDGER_LOCK_WAIT/);
    expect(seenWaiting).toBe(true);
    expect(writerWaiting(path)).toBe(false);
    expect(existsSync(`${path}.writer-waiting-${process.pid}`)).toBe(false);
  }, 60_000);

  it('with no wait, fails at once with the lock error (exit 3)', async () => {
    const { closed } = await reader(path, 1500);
    const said: string[] = [];
    const error = await openForWriting(path, {}, { seconds: 0, say: (l) => said.push(l) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as StoreLockedError).exitCode).toBe(ExitCode.Store);
    expect(said).toEqual([]);
    await closed;
  }, 60_000);

  it('a marker counts only while its process lives and for two minutes', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => gone.on('exit', done));
    const dead = `${path}.writer-waiting-${gone.pid}`;
    writeFileSync(dead, 'x');
    expect(writerWaiting(path)).toBe(false);
    const mine = `${path}.writer-waiting-${process.pid}`;
    writeFileSync(mine, 'x');
    expect(writerWaiting(path)).toBe(true);
    const old = new Date(Date.now() - 180_000);
    utimesSync(mine, old, old);
    expect(writerWaiting(path)).toBe(false);
    rmSync(dead);
    rmSync(mine);
  });

  it('TOKENLEDGER_LOCK_WAIT: seconds, default 30; anything else is a clear error', () => {
    expect(lockWaitSeconds({})).toBe(30);
    expect(lockWaitSeconds({ TOKENLEDGER_LOCK_WAIT: '0' })).toBe(0);
    expect(lockWaitSeconds({ TOKENLEDGER_LOCK_WAIT: '2.5' })).toBe(2.5);
    expect(() => lockWaitSeconds({ TOKENLEDGER_LOCK_WAIT: 'soon' })).toThrow(TokenledgerError);
    expect(() => lockWaitSeconds({ TOKENLEDGER_LOCK_WAIT: 'soon' })).toThrow(/expected seconds/);
  });
});
