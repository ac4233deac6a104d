/**
 * Crash safety of `ingest capacity`, end to end: the built CLI (`npm run build` first) is killed with SIGKILL
 * after its inserts inside the ingest transaction, as its COMMIT starts and after the COMMIT (test-support/crash.ts).
 * After every kill a reader succeeds and the store is exactly the state before or after (the logical state
 * counts the capacity tables and capacity_files); the ingest run again gives exactly the after state.
 */
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { runCrashCase, type CliRunner, type KillPoint } from '../test-support/crash.js';
import { tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { run } from './main.js';

const cli: CliRunner = async (args, cwd) => {
  const fx = memoryEffects({ cwd, env: { TZ: 'UTC' } });
  const code = await run(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
};

const POINTS: KillPoint[] = [
  { name: 'after the inserts, inside the transaction', match: /\] INSERT INTO (gpu_samples|quota_snapshots)/ },
  { name: 'as the COMMIT starts', match: '[sql start] COMMIT', after: /INSERT INTO gpu_samples/ },
  { name: 'after the COMMIT', match: /ms, 0 rows\] COMMIT$/, after: /INSERT INTO gpu_samples/ },
];

describe('kill -9 at any point of ingest capacity: the store is before or after, a re-run is exact', () => {
  it('capacity snapshots', async () => {
    const dir = tempDir('tl-crash-cap-');
    const usages = writeFixture(dir, 'usages.json', JSON.stringify({ value: [{ name: { value: 'cores' }, currentValue: 8, limit: 100 }] }));
    const lines = Array.from({ length: 400 }, (_, i) =>
      `DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu="${i % 8}",Hostname="vm-${Math.floor(i / 8)}",pod="p${i}"} 0.${String(i).padStart(3, '0')}`);
    const scrape = writeFixture(dir, 'scrape.prom', ['# TYPE DCGM_FI_PROF_GR_ENGINE_ACTIVE gauge', ...lines].join('\n') + '\n');
    const asOf = ['--as-of', '2026-10-31T23:00:00Z', '--subscription', '3f2b8c4d-1111-4e8f-9a61-0e1f2a3b4c5d', '--region', 'eastus2'];
    const r = await runCrashCase({ name: 'capacity', setup: [['ingest', 'capacity', usages, ...asOf]],
      ingest: ['ingest', 'capacity', scrape, ...asOf] }, () => POINTS, { cli });
    expect(r.outcomes.length).toBe(3);
    expect(r.outcomes.filter((o) => o.state === 'before').length).toBeGreaterThan(0);
    expect(r.outcomes.filter((o) => o.state === 'after').length).toBeGreaterThan(0);
    expect(r.outcomes.filter((o) => !o.killed).map((o) => o.point)).toEqual([]);
  }, 180_000);
});
