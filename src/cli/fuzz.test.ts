/**
 * The bounded fuzz run of the suite (test-support/fuzz.ts; `npm run fuzz` runs thousands of the same cases):
 * seeded mutations of small real files of every format (FOCUS CSV, CSV.gz, Parquet; usage logs, OTLP,
 * APIM metrics and logs, Azure Monitor; events CSV and JSONL), each ingested by the command line
 * in-process under a timeout. No case may exit 4 or hang; a refusal exits 2 naming the file and leaves the
 * store's content as it was; an accepted file leaves a store whose summary still runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { Rng } from '../demo/rng.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { fuzzCases, makeSeeds, mutate, REPORTS, runCase, seedStores, type CaseResult, type RunCli,
  type Seed } from '../test-support/fuzz.js';
import { run } from './main.js';

const CASES = Number(process.env.TOKENLEDGER_FUZZ_SUITE_CASES ?? 240);
const SEED = 20261201;
const TIMEOUT_MS = 30_000;

describe('fuzz: mutated files of every format', () => {
  let seeds: Seed[] = [];

  it('every seed is accepted as it is (one store per seed), and a mutation is the same for the same seed', async () => {
    const dir = tempDir('tl-fuzz-seeds-');
    seeds = await makeSeeds(join(dir, 'seeds'));
    expect(new Set(seeds.map((s) => s.kind))).toEqual(new Set(['focus', 'telemetry', 'events']));
    // each seed into a store of its own: some seeds are the same charges in another format (a Parquet copy of
    // the sample), which one store rightly refuses to count twice
    for (const [i, s] of seeds.entries()) {
      const root = join(dir, s.kind, String(i));
      mkdirSync(root, { recursive: true });
      for (const f of [{ name: s.name, bytes: s.bytes }, ...(s.companions ?? [])]) writeFileSync(join(root, f.name), f.bytes);
      const fx = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
      const code = await run(['--store', join(dir, `${s.kind}-${i}.duckdb`), 'ingest', s.kind, root, '--quiet'], fx);
      expect(code, `${s.name}: ${fx.err.join('')}`).toBe(0);
    }
    const a = mutate(seeds[0]!, 0, new Rng(5));
    const b = mutate(seeds[0]!, 0, new Rng(5));
    expect(a.bytes.equals(b.bytes) && a.mutations.join() === b.mutations.join()).toBe(true);
    expect(a.bytes.equals(seeds[0]!.bytes)).toBe(false);
  }, 300_000);

  it('the verdicts can fail: exit 4, a hang, a refusal that wrote, an unnamed file', async () => {
    const dir = tempDir('tl-fuzz-judge-');
    if (!seeds.length) seeds = await makeSeeds(join(dir, 'seeds'));
    const stores = await seedStores(join(dir, 'stores'), seeds, run, TIMEOUT_MS);
    const events = seeds.find((s) => s.kind === 'events' && s.name.endsWith('.csv'))!;
    const c = { ...mutate(events, 0, new Rng(9)), id: 0 };
    let n = 0;
    const judge = (cli: RunCli, timeout = TIMEOUT_MS) => runCase(c, join(dir, `judge-${n++}`), stores.get('events')!, cli, timeout, []);
    expect((await judge(async () => 4)).verdict).toBe('internal');
    expect((await judge(() => new Promise(() => undefined), 200)).verdict).toBe('hang');
    expect((await judge(async (_argv, fx) => { fx.stderr('error: somewhere else\n'); return 2; })).verdict).toBe('unlocated');
    // a "refusal" that ingested another file first: the store's content changed
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'timestamp,unit,count\n2026-10-02T00:00:00Z,ticket,3\n');
    const writes: RunCli = async (argv, fx) => {
      await run([...argv.slice(0, 4), other], fx);
      fx.stderr(`error: ${argv[4]}: refused\n`);
      return 2;
    };
    expect((await judge(writes)).verdict).toBe('store-changed');
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
