/**
 * Warming the answer cache: when the store changes (an ingest by a cron job, a `serve --watch` load, an anomaly
 * label), the server computes the overview again in the background for every scope it serves, so the leader who
 * opens the dashboard after the nightly load gets a kept answer (milliseconds) instead of waiting for the year
 * to be read (seconds on the year bench). It reads as a request would: the store opened read-only for each
 * report and closed after it, so it never holds the write lock, and it steps aside for a writer.
 *
 * 1. Every `intervalMs`: the store's stamp (answer-cache.ts). Unchanged since the last finished round: nothing.
 * 2. Changed: the next poll must see the same stamp (an ingest writes in steps), then a round starts.
 * 3. A round: for each distinct (role, scope) of the principals of `access:` (the local administrator without
 *    it), the overview page as that caller would ask for it, one caller after the other (on two cores the
 *    requests users make meanwhile keep a core). Never two rounds at once.
 * 4. A writer waiting for the store (store/lock-wait.ts leaves a marker beside it), a store that changed, a busy
 *    store (503) or stop() ends the round at its next read: answers it had kept stay, the next poll starts again.
 *    An overview that answers but is not kept (stale data refused by the report gate) is not asked again until
 *    the store changes.
 */
import type { Config } from '../config/config.js';
import { writerWaiting } from '../store/lock-wait.js';
import { background, storeStamp } from './answer-cache.js';
import type { Backend } from './api.js';
import { pageAnswer } from './pages.js';
import { callerOf, LOCAL_CALLER, type Caller } from './principals.js';

/**
 * A round: how many callers' overviews were kept, in how long; `stopped` when it stepped aside (a writer, a change,
 * a busy store: tried again at the next poll); `refused` the status of an overview that answered but is not
 * kept (stale data refused by the report gate, a failure): not tried again until the store changes.
 */
export interface WarmRound { callers: number; ms: number; stopped: boolean; refused?: number }

/** The callers whose overview is kept: one per distinct role and scope (two principals alike share answers). */
export function warmCallers(config: Pick<Config, 'access'>): Caller[] {
  if (!config.access) return [LOCAL_CALLER];
  const seen = new Map<string, Caller>();
  for (const p of config.access.principals) {
    const c = callerOf(p);
    const key = JSON.stringify([c.role, c.scope]);
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

export class Warmer {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private warmed = '';
  private seen = '';
  private stopping = false;
  rounds = 0;

  constructor(private readonly b: Backend, private readonly path: string, private readonly intervalMs: number,
    private readonly onRound: (r: WarmRound) => void = () => undefined) {}

  /** Polls from now on; the first round starts at once (the store was just checked and is not being written). */
  start(): void {
    this.seen = storeStamp(this.path);
    this.round = this.warm(this.seen);
    this.timer = setInterval(() => this.poll(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops polling and waits for a running round to end (at its next read). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.round;
  }

  /** The round running now, if any (tests wait for it). */
  idle(): Promise<void> {
    return this.round ?? Promise.resolve();
  }

  // 1. and 2.
  private poll(): void {
    if (this.round || this.stopping) return;
    const stamp = storeStamp(this.path);
    const stable = stamp === this.seen;
    this.seen = stamp;
    if (stamp !== this.warmed && stable && !writerWaiting(this.path)) this.round = this.warm(stamp);
  }

  // 3. and 4.
  private async warm(stamp: string): Promise<void> {
    const t = performance.now();
    const shouldStop = () => this.stopping || writerWaiting(this.path) || storeStamp(this.path) !== stamp;
    let done = 0;
    let refused: number | undefined;
    let busy = false;
    try {
      const callers = warmCallers(this.b.config);
      await background.run({ shouldStop }, async () => {
        for (const caller of callers) {
          if (shouldStop()) break;
          const a = await pageAnswer(this.b, caller, '/', new URLSearchParams(), { signedIn: true });
          if (a.status === 503) busy = true; // a writer has the store, or this round stepped aside: the next poll tries again
          else if (a.status !== 200) refused = a.status; // an answer of this content (stale data refused): not kept
          else done++;
          if (a.status !== 200) break;
        }
      });
      const stopped = busy || shouldStop() || (refused === undefined && done < callers.length);
      if (!stopped) this.warmed = stamp;
      this.onRound({ callers: done, ms: performance.now() - t, stopped, ...(refused !== undefined ? { refused } : {}) });
    } catch {
      // a bug in a report is the request's to show (500, with its stack in the log); the round only ends
    } finally {
      this.rounds++;
      this.round = null;
    }
  }
}
