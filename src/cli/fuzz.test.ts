/**
 * The bounded fuzz run of the suite (test-support/fuzz.ts; `npm run fuzz` runs thousands of the same cases):
 * seeded mutations of small real files of every format (FOCUS CSV, CSV.gz, Parquet; usage logs, OTLP,
 * APIM metrics and logs, Azure Monitor; events CSV and JSONL), each ingested by the command line
 * in-process under a timeout. No case may exit 4 or hang; a refusal exits 2 naming the file and leaves the
 * store's content as it was; an accepted file leaves a store whose summary still runs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../demo/rng.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { fuzzCases, makeSeeds, mutate, REPORTS, runCase, seedStores, type CaseResult, type Seed } from '../test-support/fuzz.js';
import { run } from './main.js';

const CASES = Number(process.env.TOKENLEDGER_FUZZ_SUITE_CASES ?? 300);
const SEED = 20261201;
const TIMEOUT_MS = 30_000;

describe('fuzz: mutated files of every format', () => {
  let seeds: Seed[] = [];

  it('every seed is accepted as it is, and a mutation is the same for the same seed', async () => {
    const dir = tempDir('tl-fuzz-seeds-');
    seeds = await makeSeeds(join(dir, 'seeds'));
    expect(new Set(seeds.map((s) => s.kind))).toEqual(new Set(['focus', 'telemetry', 'events']));
    const stores = await seedStores(join(dir, 'stores'), seeds, run, TIMEOUT_MS);
    for (const [i, s] of seeds.entries()) {
      const c = { id: i, kind: s.kind, seed: s.name, name: s.name, bytes: s.bytes, mutations: [], companions: s.companions ?? [] };
      const r = await runCase(c, join(dir, `seed-${i}`), stores.get(s.kind)!, run, TIMEOUT_MS, REPORTS.slice(0, 1));
      expect(r.code, `${s.name}: ${r.message}`).toBe(0);
    }
    const a = mutate(seeds[0]!, 0, new Rng(5));
    const b = mutate(seeds[0]!, 0, new Rng(5));
    expect(a.bytes.equals(b.bytes) && a.mutations.join() === b.mutations.join()).toBe(true);
    expect(a.bytes.equals(seeds[0]!.bytes)).toBe(false);
  }, 300_000);

  it(`${CASES} mutated files: no exit 4, no hang, refusals change nothing, accepted stores report`, async () => {
    const dir = tempDir('tl-fuzz-');
    if (!seeds.length) seeds = await makeSeeds(join(dir, 'seeds'));
    const stores = await seedStores(join(dir, 'stores'), seeds, run, TIMEOUT_MS);
    const results: (CaseResult & { seed: string; mutations: string })[] = [];
    for (const c of fuzzCases(seeds, CASES, SEED)) {
      const r = await runCase(c, join(dir, `case-${c.id}`), stores.get(c.kind)!, run, TIMEOUT_MS, REPORTS.slice(0, 1));
      results.push({ ...r, seed: c.seed, mutations: c.mutations.join('+'), message: r.message.slice(0, 300) });
    }
    const failures = results.filter((r) => r.verdict !== 'refused' && r.verdict !== 'accepted');
    expect(failures).toEqual([]);
    // the run exercised both answers, and every seed was mutated
    expect(results.filter((r) => r.verdict === 'refused').length).toBeGreaterThan(CASES / 3);
    expect(results.filter((r) => r.verdict === 'accepted').length).toBeGreaterThan(CASES / 20);
    expect(new Set(results.map((r) => r.seed)).size).toBe(seeds.length);
  }, 600_000);
});
