/**
 * The server computes the overview in the background (server/warm.ts) on the demo store with four principals:
 * one round at start keeps every scope's overview, so the first page load of each leader is answered from what
 * was kept (no report computed for it); a changed store starts a new round once it holds still; a writer
 * waiting for the store (its marker beside it) holds the round back until it is gone.
 */
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCache } from '../server/api.js';
import { warmCallers, Warmer, type WarmRound } from '../server/warm.js';
import { bearer, serveDemo, type ServeDemo } from '../test-support/serve-demo.js';
import { run } from './main.js';

let demo: ServeDemo;
beforeAll(async () => {
  demo = await serveDemo(run, 'tl-serve-warm-');
}, 120_000);
afterAll(() => rmSync(demo.dir, { recursive: true, force: true }));

const until = async (ok: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('warming the overview', () => {
  it('one caller per distinct role and scope', () => {
    expect(warmCallers(demo.config).map((c) => `${c.role} ${JSON.stringify(c.scope)}`)).toEqual([
      'admin {}', 'finance {}', 'viewer {"teams":["cx-platform"]}', 'viewer {"teams":["ops-automation"]}']);
    expect(warmCallers({ access: undefined }).map((c) => c.name)).toEqual(['local']);
  });

  it('keeps every scope\'s overview, then answers page loads without computing; a waiting writer holds it back', async () => {
    const rounds: WarmRound[] = [];
    const warmer = new Warmer(demo.backend, demo.storeFile, 40, (r) => rounds.push(r));
    const cache = answerCache(demo.backend);
    try {
      warmer.start();
      await warmer.idle();
      expect(rounds).toEqual([expect.objectContaining({ callers: 4, stopped: false })]);
      const kept = cache.size;
      expect(kept).toBeGreaterThan(4);
      // 1. every leader's first load: all hits
      const misses = cache.misses;
      for (const who of ['admin', 'cfo', 'cx-lead', 'ops-lead'] as const) {
        const res = await demo.app.request('/', { headers: bearer(who) });
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('Overview');
      }
      expect(cache.misses).toBe(misses);
      // 2. a writer waits: the store changes, no round while its marker is there
      const marker = `${demo.storeFile}.writer-waiting-${process.pid}`; // a live process: this one
      writeFileSync(marker, `${process.pid}\n`);
      const later = new Date(Date.now() + 5000);
      utimesSync(demo.storeFile, later, later);
      await new Promise((r) => setTimeout(r, 300));
      expect(rounds).toHaveLength(1);
      // 3. it is gone: the next polls see the change hold still and compute again
      rmSync(marker);
      await until(() => rounds.length === 2);
      await warmer.idle();
      expect(rounds[1]).toEqual(expect.objectContaining({ callers: 4, stopped: false }));
      expect(cache.size).toBe(kept);
    } finally {
      await warmer.stop();
    }
  }, 120_000);
});
