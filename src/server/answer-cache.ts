/**
 * Answers the server has computed, kept while the store is unchanged, so that the dashboard's pages and API
 * routes answer a report in milliseconds instead of re-reading the year on every request (on the year bench a
 * report costs 0.2-2.5 s to compute; the leaders who open the same overview each week ask the same thing).
 *
 * A report is a pure function of the store's content, the server's configuration (fixed while it runs), the
 * caller's scope and the typed request (which holds `today`): the key is the scope and the request, and an
 * entry is valid only for the store's *stamp*, the inode, size and modification time (ns) of the store file
 * and its WAL. Any write (an ingest from a cron job, `serve --watch`, an anomaly label) changes the stamp, and
 * every entry of the old stamp is dropped at the next request. The server still holds no lock while idle:
 * nothing here keeps the store open.
 *
 * 1. Key null (a request that is not plain data) or an in-memory store: computed, never kept.
 * 2. Same key and stamp: the kept promise (concurrent identical requests share one computation).
 * 3. Else computed; kept unless it fails (a busy store, 503, is asked again next time) or the stamp moved
 *    while it ran (the answer may be of either content: not kept).
 * 4. At most `max` entries, least recently used out first.
 *
 * Work done in the background (warm.ts) runs inside `background`: a miss there first asks whether to stop
 * (a writer waits for the store) and is refused as a busy store if so, before anything is opened.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { statSync } from 'node:fs';
import { ExitCode, TokenledgerError } from '../domain/errors.js';

/** Background work (warm.ts): `shouldStop` is asked before each report it would compute. */
export const background = new AsyncLocalStorage<{ shouldStop(): boolean }>();

/** A background computation that stepped aside (for a writer): refused like a busy store, never kept. */
export class SteppedAside extends TokenledgerError {
  constructor() {
    super('the store is wanted by a writer: background work stopped', { exitCode: ExitCode.Store });
    this.name = 'SteppedAside';
  }
}

interface Entry { stamp: string; value: Promise<unknown> }

/** The store's identity and version as the file system says (inode, size, mtime in ns), the WAL's too. */
export function storeStamp(path: string): string {
  const one = (p: string) => {
    try {
      const s = statSync(p, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch {
      return '-';
    }
  };
  return `${one(path)}|${one(`${path}.wal`)}`;
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private lastStamp = '';
  hits = 0;
  misses = 0;

  constructor(private readonly path: string, private readonly max = 64) {}

  async get<T>(key: string | null, compute: () => Promise<T>): Promise<T> {
    // 1.
    if (key === null || this.path === ':memory:' || this.max <= 0) return compute();
    const stamp = storeStamp(this.path);
    if (stamp !== this.lastStamp) {
      this.entries.clear();
      this.lastStamp = stamp;
    }
    // 2.
    const kept = this.entries.get(key);
    if (kept) {
      this.entries.delete(key);
      this.entries.set(key, kept);
      this.hits++;
      return kept.value as Promise<T>;
    }
    // 3.
    if (background.getStore()?.shouldStop()) throw new SteppedAside();
    this.misses++;
    const entry: Entry = { stamp, value: compute() };
    this.entries.set(key, entry);
    // 4.
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    const drop = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    try {
      const value = (await entry.value) as T;
      if (storeStamp(this.path) !== stamp) drop();
      return value;
    } catch (e) {
      drop();
      throw e;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * The cache key of a request: its JSON, or null when it holds anything JSON would not say exactly (a Map,
 * a Set, a function, a bigint), so that two different requests can never share a key.
 */
export function cacheKey(kind: string, scope: unknown, request: unknown): string | null {
  let plain = true;
  const text = JSON.stringify([kind, scope, request], (_k, v: unknown) => {
    if (v instanceof Map || v instanceof Set || typeof v === 'function' || typeof v === 'bigint' || typeof v === 'symbol') plain = false;
    return typeof v === 'bigint' ? String(v) : v;
  });
  return plain ? text : null;
}
