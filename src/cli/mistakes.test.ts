/**
 * Mistakes a newcomer makes that used to answer quietly: a mistyped tag (`--by teams`) gave one
 * __unallocated__ line at 100 %: it now exits 2 with the dimensions and tags there are. A variance against a
 * month without charges compared with zero without a word: it now says so, with the ledger's months.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { focusCsv, tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { run } from './main.js';

let dir: string;
async function cli(args: string[]) {
  const fx = memoryEffects({ cwd: dir, env: { TOKENLEDGER_TODAY: '2026-12-01' } });
  const code = await run(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

beforeAll(async () => {
  dir = tempDir();
  const file = writeFixture(dir, 'cost.csv', focusCsv([
    { BilledCost: '3', EffectiveCost: '3', Tags: '{"team":"cx-platform","owner":"ana"}' },
    { BilledCost: '2', EffectiveCost: '2', Tags: '{"team":"ml-research"}' },
  ]));
  const r = await cli(['ingest', 'focus', file]);
  expect(r.code, r.err).toBe(0);
}, 60_000);

describe('mistakes get an answer, not an empty table', () => {
  it('a tag no billing row carries is refused, with the dimensions and tags there are', async () => {
    const r = await cli(['report', 'allocation', '--by', 'teams', '--month', '2026-10', '--allow-incomplete']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--by teams: no billing row carries a tag named teams/);
    expect(r.err).toMatch(/Dimensions: feature, team, .*tags in the billing data: team, owner/);
    const ok = await cli(['report', 'allocation', '--by', 'owner', '--month', '2026-10', '--allow-incomplete', '--format', 'json']);
    expect(ok.code, ok.err).toBe(0);
    expect((JSON.parse(ok.out) as { rows: { key: string }[] }).rows.map((x) => x.key)).toEqual(['ana', '__unallocated__']);
  });

  it('a variance against a month without charges says it compares with zero, and which months there are', async () => {
    const r = await cli(['report', 'variance', '--month', '2026-10', '--vs', '2026-09', '--allow-incomplete']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2026-09 has no charges in the ledger \(it has 2026-10\): compared with zero\./);
    const both = await cli(['report', 'variance', '--month', '2026-10', '--allow-incomplete']);
    expect(both.out).toMatch(/2026-09 has no charges/);
  });
});

describe('a failed first ingest', () => {
  it('leaves no store behind, so the next read still says there is no store', async () => {
    const fresh = tempDir();
    const bad = writeFixture(fresh, 'empty.csv', '');
    const fx = memoryEffects({ cwd: fresh });
    expect(await run(['ingest', 'focus', bad], fx)).toBe(2);
    const read = memoryEffects({ cwd: fresh });
    expect(await run(['report', 'summary'], read)).toBe(2);
    expect(read.err.join('')).toMatch(/no store at .*ledger\.duckdb/);
  });
});

describe('alerts before any data', () => {
  it('says there is no store, and creates none', async () => {
    const fresh = tempDir();
    const fx = memoryEffects({ cwd: fresh });
    expect(await run(['alerts'], fx)).toBe(2);
    expect(fx.err.join('')).toMatch(/no store at .*ledger\.duckdb/);
    expect(existsSync(join(fresh, '.tokenledger'))).toBe(false);
  });
});
