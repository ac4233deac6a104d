/**
 * `tokenledger ingest capacity` as a user runs it (in-process, effects captured): the format detected and
 * the rows counted, the same files with the same capture time again a no-op, a bad file exit 2 naming file and line with the store
 * unchanged, and `report quota` reading what was ingested.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../../app/effects.js';
import { tempDir } from '../../test-support/focus-fixture.js';
import { run } from '../main.js';

const FIX = join(import.meta.dirname, '..', '..', 'ingest', 'capacity', 'fixtures');

describe('ingest capacity', () => {
  it('ingests, skips the same content, refuses a bad file (exit 2, store unchanged), and report quota reads it', async () => {
    const dir = tempDir();
    for (const f of ['compute-usages-rest.json', 'openai-usages.json', 'dcgm-scrape.prom']) copyFileSync(join(FIX, f), join(dir, f));
    const fx = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
    expect(await run(['ingest', 'capacity', '.', '--as-of', '2026-10-31T23:00:00Z', '--subscription',
      '3f2b8c4d-1111-4e8f-9a61-0e1f2a3b4c5d', '--format', 'json'], fx)).toBe(0);
    const out = JSON.parse(fx.out.join('')) as { rows: { format: string; action: string; rows: number }[] };
    expect(out.rows.map((r) => [r.format, r.action, r.rows])).toEqual([['compute-usages', 'ingested', 3],
      ['dcgm-prometheus', 'ingested', 3], ['openai-usages', 'ingested', 3]]);
    const again = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
    expect(await run(['ingest', 'capacity', '.', '--as-of', '2026-10-31T23:00:00Z', '--subscription',
      '3f2b8c4d-1111-4e8f-9a61-0e1f2a3b4c5d', '--format', 'json'], again)).toBe(0);
    expect((JSON.parse(again.out.join('')) as { rows: { action: string }[] }).rows.map((r) => r.action)).toEqual(['skipped', 'skipped',
      'skipped']);
    const before = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
    expect(await run(['report', 'quota', '--format', 'csv'], before)).toBe(0);
    const bad = join(tempDir(), 'usage.json');
    writeFileSync(bad, '{"value": [\n {"name": {"value": "cores"}, "currentValue": "x", "limit": 10}\n]}\n');
    const bx = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
    expect(await run(['ingest', 'capacity', bad, '--as-of', '2026-10-31T23:00:00Z'], bx)).toBe(2);
    expect(bx.err.join('')).toContain(`${bad}, line 2: compute usage: currentValue is "x"; expected a number`);
    const after = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
    expect(await run(['report', 'quota', '--format', 'csv'], after)).toBe(0);
    expect(after.out.join('')).toBe(before.out.join(''));
    expect(before.out.join('')).toMatch(/,GPU VMs,Standard NDSH100v5 Family vCPUs,vcpus,100,96,4,96,350,170,/);
  });
});
