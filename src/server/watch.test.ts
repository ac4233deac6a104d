/**
 * The folder watch's schedule, scan by scan (the ingest itself is the real CLI in serve-watch.test.ts;
 * here it is a function that records what it was asked and answers an exit code): an export is offered
 * once it is the same on two scans, a file still growing waits, a manifest folder is one export, a busy
 * store is retried, a bad export among good ones is found by ingesting each alone and only it is failed.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/focus-fixture.js';
import { FolderWatch, listExports, type IngestRun } from './watch.js';

function watchOf(dir: string, answer: (paths: string[]) => number) {
  const calls: string[][] = [];
  const w = new FolderWatch(dir, 1000, (paths) => {
    calls.push(paths.map((p) => p.slice(dir.length + 1)));
    const code = answer(paths);
    return Promise.resolve<IngestRun>({ code, stdout: '', stderr: code ? `error: ${paths[0]}, line 2: bad\n` : '' });
  });
  return { w, calls };
}

describe('the folder watch', () => {
  it('offers an export once it is unchanged over two scans; a growing file waits', async () => {
    const dir = tempDir('tl-watch-');
    const { w, calls } = watchOf(dir, () => 0);
    writeFileSync(join(dir, 'a.csv'), 'x');
    await w.scan();
    expect(calls).toEqual([]); // seen once
    appendFileSync(join(dir, 'a.csv'), 'more'); // still being copied
    await w.scan();
    expect(calls).toEqual([]);
    await w.scan();
    expect(calls).toEqual([['a.csv']]);
    await w.scan();
    expect(calls).toHaveLength(1); // ingested: not offered again
    expect(w.status()).toMatchObject({ ingested: 1, failures: [], last_ingest: { exports: ['a.csv'], code: 0 } });
  });

  it('a manifest folder is one export; other files and hidden files', () => {
    const dir = tempDir('tl-watch-');
    const run = join(dir, 'export', '20261001-20261031', 'run-1');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'manifest.json'), '{}');
    writeFileSync(join(run, 'part_0_0001.csv.gz'), 'x');
    writeFileSync(join(dir, 'b.parquet'), 'x');
    writeFileSync(join(dir, '.partial.csv'), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    expect([...listExports(dir).keys()].map((p) => p.slice(dir.length + 1)).sort()).toEqual(
      ['b.parquet', join('export', '20261001-20261031', 'run-1')]);
  });

  it('a busy store (exit 3) is offered again; a bad export among good ones: each alone, only it failed', async () => {
    const dir = tempDir('tl-watch-');
    let busy = true;
    const { w, calls } = watchOf(dir, (paths) => (busy ? 3 : paths.some((p) => p.endsWith('bad.csv')) ? 2 : 0));
    for (const n of ['bad.csv', 'good.csv']) writeFileSync(join(dir, n), n);
    await w.scan();
    await w.scan();
    expect(calls).toEqual([['bad.csv', 'good.csv']]);
    busy = false;
    await w.scan();
    expect(calls).toEqual([['bad.csv', 'good.csv'], ['bad.csv', 'good.csv'], ['bad.csv'], ['good.csv']]);
    expect(w.status()).toMatchObject({ ingested: 1, failures: [{ export: 'bad.csv', message: 'bad.csv, line 2: bad' }] });
    await w.scan();
    expect(calls).toHaveLength(4); // the failed one waits for a change
    writeFileSync(join(dir, 'bad.csv'), 'fixed');
    await w.scan();
    await w.scan();
    expect(calls).toHaveLength(5);
  });
});
