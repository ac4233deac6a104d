/**
 * A writer waits for the store instead of failing at once. DuckDB lets one process write a file or any number
 * read it; `tokenledger serve` opens the store read-only for each report it computes (and in the background
 * after each change, server/warm.ts), so a cron job's `tokenledger ingest` that arrives while a report is being
 * read would otherwise fail with "another process has it open" although the reader is done a moment later.
 *
 * 1. Try to open for writing; it opens: done (the common case costs nothing).
 * 2. Refused for the lock, and the wait is not over (TOKENLEDGER_LOCK_WAIT seconds, default 30; 0 fails at
 *    once): say so on stderr once, leave a marker file beside the store (`<store>.writer-waiting-<pid>`, its
 *    time refreshed on every try) so that background readers step aside, and try again after a pause that
 *    grows from 50 ms to 1 s.
 * 3. Opened or given up: the marker is removed; giving up throws the last lock error (exit 3), which says so.
 * A marker of a process that is gone (Ctrl-C while it waited) or older than two minutes is not counted.
 */
import { readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TokenledgerError } from '../domain/errors.js';
import { Store, StoreLockedError } from './db.js';

export const DEFAULT_LOCK_WAIT_SECONDS = 30;
const STALE_MS = 120_000;

const markerPrefix = (path: string) => `${basename(path)}.writer-waiting-`;

/** The seconds a writer waits for the lock: TOKENLEDGER_LOCK_WAIT, else 30. */
export function lockWaitSeconds(env: Record<string, string | undefined>): number {
  const text = env.TOKENLEDGER_LOCK_WAIT;
  if (text === undefined || text === '') return DEFAULT_LOCK_WAIT_SECONDS;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new TokenledgerError(`TOKENLEDGER_LOCK_WAIT=${text}: expected seconds (0 or more)`,
    { hint: 'Set it to how long a writer waits for another process to close the store, e.g. 30; 0 fails at once.' });
  return Number(text);
}

/** Whether the process is alive (a marker of a writer that was killed, Ctrl-C while it waited, is not counted). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a writer is waiting for this store now (a fresh marker of a live process beside it). */
export function writerWaiting(path: string): boolean {
  if (path === ':memory:') return false;
  const prefix = markerPrefix(path);
  try {
    const now = Date.now();
    return readdirSync(dirname(path)).some((f) => {
      if (!f.startsWith(prefix)) return false;
      const pid = Number(f.slice(prefix.length));
      return Number.isInteger(pid) && pid > 0 && alive(pid) && now - statSync(join(dirname(path), f)).mtimeMs < STALE_MS;
    });
  } catch {
    return false;
  }
}

export async function openForWriting(path: string, opts: { memoryLimit?: string }, wait: { seconds: number; say: (line: string) => void },
): Promise<Store> {
  const deadline = Date.now() + wait.seconds * 1000;
  const marker = join(dirname(path), `${markerPrefix(path)}${process.pid}`);
  let pause = 50;
  let marked = false;
  try {
    for (;;) {
      // 1.
      try {
        return await Store.open(path, opts);
      } catch (e) {
        // 2.
        if (!(e instanceof StoreLockedError) || path === ':memory:' || Date.now() + pause > deadline) throw e;
        if (!marked) {
          wait.say(`tokenledger: ${path} is open in another process (a report being read?); waiting up to ${wait.seconds} s ` +
            'for it (TOKENLEDGER_LOCK_WAIT)\n');
          writeFileSync(marker, `${process.pid}\n`);
          marked = true;
        } else {
          const now = new Date();
          utimesSync(marker, now, now);
        }
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(1000, pause * 2);
    }
  } finally {
    // 3.
    if (marked) rmSync(marker, { force: true });
  }
}
