/**
 * The server's kept answers (answer-cache.ts) on a real file standing for the store: kept while the file and
 * its WAL are unchanged, dropped when either changes, never kept when the computation fails or the file moved
 * while it ran; identical concurrent requests share one computation; least recently used out first. And a
 * large report's body offered gzipped, compressed once. Background work (warm.ts) steps aside before a miss.
 */
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/focus-fixture.js';
import type { Report } from '../report/render.js';
import { AnswerCache, background, cacheKey, SteppedAside, storeStamp } from './answer-cache.js';
import { GZIP_FROM_BYTES, reportAnswer } from './api.js';

function setup(max = 64) {
  const path = join(tempDir('tl-answer-cache-'), 'ledger.duckdb');
  writeFileSync(path, 'v1');
  let calls = 0;
  const compute = (v: string) => async () => {
    calls++;
    return `${v}#${calls}`;
  };
  return { path, cache: new AnswerCache(path, max), compute, calls: () => calls };
}

describe('AnswerCache', () => {
  it('keeps an answer while the store is unchanged and drops it when the store or its WAL changes', async () => {
    const s = setup();
    expect(await s.cache.get('a', s.compute('x'))).toBe('x#1');
    expect(await s.cache.get('a', s.compute('x'))).toBe('x#1');
    expect(await s.cache.get('b', s.compute('y'))).toBe('y#2');
    appendFileSync(s.path, 'more'); // an ingest wrote the store
    expect(await s.cache.get('a', s.compute('x'))).toBe('x#3');
    writeFileSync(`${s.path}.wal`, 'w'); // a writer's WAL appeared
    expect(await s.cache.get('a', s.compute('x'))).toBe('x#4');
    rmSync(`${s.path}.wal`); // checkpointed away
    expect(await s.cache.get('a', s.compute('x'))).toBe('x#5');
    expect(s.cache.hits).toBe(1);
    expect(s.cache.misses).toBe(5);
  });

  it('background work steps aside before computing when asked to, and takes what is kept', async () => {
    const s = setup();
    expect(await s.cache.get('kept', s.compute('x'))).toBe('x#1');
    let stop = true;
    await background.run({ shouldStop: () => stop }, async () => {
      await expect(s.cache.get('new', s.compute('y'))).rejects.toBeInstanceOf(SteppedAside);
      expect(await s.cache.get('kept', s.compute('x'))).toBe('x#1'); // a hit costs nothing: served
      stop = false;
      expect(await s.cache.get('new', s.compute('y'))).toBe('y#2');
    });
    expect(s.calls()).toBe(2);
    expect(await s.cache.get('new', s.compute('y'))).toBe('y#2'); // what the background computed is kept
  });

  it('shares one computation among concurrent identical requests', async () => {
    const s = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const slow = async () => {
      runs++;
      await gate;
      return runs;
    };
    const all = Promise.all([s.cache.get('k', slow), s.cache.get('k', slow), s.cache.get('k', slow)]);
    release();
    expect(await all).toEqual([1, 1, 1]);
    expect(runs).toBe(1);
  });

  it('does not keep a failed answer (a busy store is asked again) nor one computed while the store changed', async () => {
    const s = setup();
    await expect(s.cache.get('k', async () => Promise.reject(new Error('busy')))).rejects.toThrow('busy');
    expect(await s.cache.get('k', s.compute('x'))).toBe('x#1');
    const during = await s.cache.get('m', async () => {
      appendFileSync(s.path, '!'); // a writer got in while the answer was computed
      return 'mixed';
    });
    expect(during).toBe('mixed');
    expect(s.cache.size).toBe(1); // 'm' was not kept
    expect(await s.cache.get('m', s.compute('clean'))).toBe('clean#2');
    expect(await s.cache.get('k', s.compute('x'))).toBe('x#3'); // of the old content: dropped
  });

  it('holds at most max entries, the least recently used out first; max 0 keeps nothing', async () => {
    const s = setup(2);
    await s.cache.get('a', s.compute('a'));
    await s.cache.get('b', s.compute('b'));
    await s.cache.get('a', s.compute('a')); // a is now the most recent
    await s.cache.get('c', s.compute('c')); // b goes
    expect(await s.cache.get('a', s.compute('a'))).toBe('a#1');
    expect(await s.cache.get('b', s.compute('b'))).toBe('b#4');
    const off = new AnswerCache(s.path, 0);
    let n = 0;
    await off.get('z', async () => ++n);
    await off.get('z', async () => ++n);
    expect(n).toBe(2);
  });

  it('keys only plain data: a Map, Set, function or bigint in a request gives no key (computed every time)', () => {
    expect(cacheKey('report', { team: ['a'] }, { month: '2026-10' })).toBe('["report",{"team":["a"]},{"month":"2026-10"}]');
    expect(cacheKey('report', {}, { m: new Map([['a', 1]]) })).toBeNull();
    expect(cacheKey('report', {}, { s: new Set([1]) })).toBeNull();
    expect(cacheKey('report', {}, { f: () => 1 })).toBeNull();
    expect(cacheKey('report', {}, { n: 1n })).toBeNull();
    // a scope is part of the key: two principals never share an answer
    expect(cacheKey('report', { team: ['a'] }, {})).not.toBe(cacheKey('report', { team: ['b'] }, {}));
  });

  it('stamps a missing file as absent rather than failing', () => {
    expect(storeStamp('/nonexistent/ledger.duckdb')).toBe('-|-');
  });
});

describe('reportAnswer gzip', () => {
  const report = (rows: number): Report => ({ name: 'token-drift', title: 't', meta: {}, columns: [{ key: 'k', label: 'K', kind: 'text' }],
    rows: Array.from({ length: rows }, (_, i) => ({ k: `value-${i}` })) });

  it('offers a large body gzipped, compressed once per report and format, and the same bytes as the body', () => {
    const r = report(20_000);
    const a = reportAnswer(r, 'json', 'token-drift');
    expect(a.body.length).toBeGreaterThanOrEqual(GZIP_FROM_BYTES);
    const z = a.gzip!();
    expect(gunzipSync(z).toString('utf8')).toBe(a.body);
    expect(z.length).toBeLessThan(a.body.length / 4);
    expect(reportAnswer(r, 'json', 'token-drift').gzip!()).toBe(z); // kept with the report
    expect(gunzipSync(reportAnswer(r, 'csv', 'token-drift').gzip!()).toString('utf8')).toContain('value-19999');
  });

  it('sends a small body as it is', () => {
    expect(reportAnswer(report(3), 'json', 'token-drift').gzip).toBeUndefined();
  });
});
