/**
 * `npm run fuzz`: the long fuzzing run (thousands of mutated files over every ingest format; the suite runs a
 * few hundred, src/cli/fuzz.test.ts). Cases come from test-support/fuzz.ts, so a case number names the
 * same file in both.
 *
 * 1. The parent starts a worker process that runs the cases in order, in-process: `run(argv, fx)` of the
 *    built command line (dist/cli/main.js, what users run; src/bench may not import src/cli), printing
 *    `start N` before and one JSON verdict after each case.
 * 2. A worker that says nothing for the timeout (a hang) or dies (a fatal error, an abort) is killed; that
 *    case is counted as a hang or a crash and a new worker goes on with the next case.
 * 3. The counts per verdict and per input format go to fuzz-results.json and to the "Fuzzing" section of
 *    docs/benchmarks.md (fuzz-report.ts; `npm run bench` keeps it). Exit 1 when any case failed.
 *
 * Environment: TOKENLEDGER_FUZZ_CASES (default 3000), TOKENLEDGER_FUZZ_SEED (default 1),
 * TOKENLEDGER_FUZZ_TIMEOUT_MS (per case, default 30000), TOKENLEDGER_FUZZ_DIR (default bench-data/fuzz).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { fuzzCases, makeSeeds, runCase, seedStores, type CaseResult, type FuzzCase, type RunCli } from '../test-support/fuzz.js';
import { FUZZ_RESULTS, writeFuzzSection, type FuzzSummary } from './fuzz-report.js';

const CASES = Number(process.env.TOKENLEDGER_FUZZ_CASES ?? 3000);
const SEED = Number(process.env.TOKENLEDGER_FUZZ_SEED ?? 1);
const TIMEOUT = Number(process.env.TOKENLEDGER_FUZZ_TIMEOUT_MS ?? 30_000);
const DIR = resolve(process.env.TOKENLEDGER_FUZZ_DIR ?? join('bench-data', 'fuzz'));

/** The worker: cases [from, CASES), each against the store of its ingest kind (seeded with a good file first). */
async function worker(from: number): Promise<void> {
  const dir = join(DIR, `worker-${from}`);
  rmSync(dir, { recursive: true, force: true });
  const seeds = await makeSeeds(join(DIR, 'seeds'));
  const cases = fuzzCases(seeds, CASES, SEED);
  const { run } = (await import(pathToFileURL(resolve('dist', 'cli', 'main.js')).href)) as { run: RunCli };
  const stores = await seedStores(dir, seeds, run, TIMEOUT);
  for (const c of cases.slice(from)) {
    process.stdout.write(`start ${c.id}\n`);
    const r = await runCase(c, join(dir, `case-${c.id}`), stores.get(c.kind)!, run, TIMEOUT);
    rmSync(join(dir, `case-${c.id}`), { recursive: true, force: true });
    process.stdout.write(`${JSON.stringify({ ...r, message: r.message.slice(0, 2000) })}\n`);
  }
}

/** The parent: workers until every case has a verdict. */
async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(DIR, { recursive: true });
  const seeds = await makeSeeds(join(DIR, 'seeds'));
  const cases = fuzzCases(seeds, CASES, SEED);
  const results: CaseResult[] = [];
  let next = 0;
  while (next < CASES) {
    const r = await runWorker(next, cases);
    results.push(...r.results);
    next = r.next;
  }
  const summary = summarize(cases, results, (Date.now() - started) / 1000);
  writeFileSync(FUZZ_RESULTS, JSON.stringify(summary, null, 2) + '\n');
  writeFuzzSection();
  process.stdout.write(`\n${CASES} cases in ${summary.seconds.toFixed(0)} s: ${JSON.stringify(summary.verdicts)}\n`);
  for (const f of summary.failures.slice(0, 30))
    process.stdout.write(`  #${f.id} ${f.seed} ${f.mutations.join('+')}: ${f.verdict} ${f.message}\n`);
  process.stdout.write(`wrote ${FUZZ_RESULTS} and its section of docs/benchmarks.md\n`);
  process.exitCode = summary.failures.length ? 1 : 0;
}

function runWorker(from: number, cases: FuzzCase[]): Promise<{ results: CaseResult[]; next: number }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [import.meta.filename, '--worker', String(from)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TZ: 'UTC' },
    });
    const results: CaseResult[] = [];
    let current = from;
    let watchdog: NodeJS.Timeout | undefined;
    let hung = false;
    const arm = (ms: number) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, ms);
    };
    arm(120_000); // seeds and stores first
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('start ')) {
        current = Number(line.slice(6));
        arm(TIMEOUT * 4 + 10_000);
        return;
      }
      if (!line.startsWith('{')) return;
      const r = JSON.parse(line) as CaseResult;
      results.push(r);
      if (r.id % 100 === 0) process.stdout.write(`${r.id}/${CASES}\n`);
      current = r.id + 1;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (current >= CASES) {
        done({ results, next: CASES });
        return;
      }
      // the case under way killed or hung its worker
      const c = cases[current]!;
      results.push({
        id: c.id,
        verdict: hung ? 'hang' : 'internal',
        code: code ?? -1,
        ms: 0,
        message: hung ? 'the worker stopped answering' : `the worker died (exit ${code}, signal ${signal})`,
      });
      done({ results, next: current + 1 });
    });
  });
}

function summarize(cases: FuzzCase[], results: CaseResult[], seconds: number): FuzzSummary {
  const verdicts: Record<string, number> = {};
  const bySeed: Record<string, Record<string, number>> = {};
  const failures: FuzzSummary['failures'] = [];
  for (const r of results) {
    const c = cases[r.id]!;
    verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
    const s = (bySeed[c.seed] ??= {});
    s[r.verdict] = (s[r.verdict] ?? 0) + 1;
    if (r.verdict !== 'accepted' && r.verdict !== 'refused')
      failures.push({ id: r.id, seed: c.seed, mutations: c.mutations, verdict: r.verdict, message: r.message.slice(0, 400) });
  }
  return { date: new Date().toISOString(), cases: results.length, seed: SEED, timeoutMs: TIMEOUT, seconds, verdicts, bySeed, failures };
}

if (process.argv[2] === '--worker') await worker(Number(process.argv[3]));
else await main();
