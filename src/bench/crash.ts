/**
 * `npm run crash`: the crash test at the size where DuckDB tears a COMMIT (a 300,000-row FOCUS export
 * writes its row groups optimistically; a `kill -9` 10-160 ms into the COMMIT left them without the rest
 * of the transaction). Too slow for the suite (every kill repeats a ~1 minute ingest), so it runs here.
 *
 * 1. Inputs (cached under bench-data/crash): the demo company's October at ~300,000 rows as one CSV.gz,
 *    and a second delivery of the same export name and month (another seed, a later modification time).
 * 2. Cases: the export as the first ingest into a new store (the tables it creates are still in the WAL
 *    at its COMMIT: where DuckDB tears it), into an existing store, and the newer delivery replacing the
 *    older one. TOKENLEDGER_CRASH_CASES picks some (new,existing,replacement; none); each case's outcomes are
 *    kept in bench-data/crash/<case>.json and docs/crash.md is written from all of them.
 * 3. Each case with test-support/crash.ts: a reference run, then SIGKILL at timed offsets after the
 *    `[sql start] COMMIT` trace line and right after the COMMIT; after each, the built CLI reads the
 *    store (and repairs it), the store must be exactly before or after, and the ingest run again exact.
 * 4. docs/crash.md: every kill, where it landed, what the reader said, the outcome.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { ROWS_PER_CLONE_PER_MONTH } from '../demo/generate.js';
import { writeDemoExport } from '../demo/write-export.js';
import { runCrashCase, type CaseResult, type CrashCase, type KillPoint } from '../test-support/crash.js';
import { duckdbVersion } from './machine.js';

const OUT = resolve(process.env.TOKENLEDGER_CRASH_DIR ?? join('bench-data', 'crash'));
const ROWS = Number(process.env.TOKENLEDGER_CRASH_ROWS ?? 300_000);
const DELAYS = (process.env.TOKENLEDGER_CRASH_DELAYS ?? '0,10,25,50,100,160').split(',').map(Number);
const REPLACEMENT_DELAYS = (process.env.TOKENLEDGER_CRASH_REPLACEMENT_DELAYS ?? '10,50,100').split(',').map(Number);
// `none`: rewrite docs/crash.md from the cases' results without running any
const CASES = (process.env.TOKENLEDGER_CRASH_CASES ?? 'new,existing,replacement').split(',').filter((k) => k && k !== 'none');

/** One delivery of the export: `name`/export.csv.gz, generated once. */
async function delivery(name: string, seed: number, mtime: string): Promise<string> {
  const dir = join(OUT, name);
  const file = join(dir, 'export.csv.gz');
  if (!existsSync(file)) {
    rmSync(dir, { recursive: true, force: true });
    const clones = Math.max(1, Math.round(ROWS / ROWS_PER_CLONE_PER_MONTH));
    const runs = await writeDemoExport(join(dir, 'gen'), { months: ['2026-10'], clones, seed }, 10_000_000);
    renameSync(runs[0]!.parts[0]!, file);
    rmSync(join(dir, 'gen'), { recursive: true, force: true });
  }
  utimesSync(file, new Date(mtime), new Date(mtime));
  return file;
}

const INGEST_LOGGED = '] INSERT INTO ingestion_events';
const commitPoints = (delays: number[]): KillPoint[] => [
  // the ingest's COMMIT: the first after its log entry (a new store's migrations commit before it)
  ...delays.map((delayMs) => ({ name: `${delayMs} ms into the COMMIT`, match: '[sql start] COMMIT', delayMs, after: INGEST_LOGGED })),
  { name: 'after the COMMIT, before the row numbering', match: /ms, 0 rows\] COMMIT$/, after: INGEST_LOGGED },
];

function markdown(results: CaseResult[], seconds: number, version: string): string {
  const all = results.flatMap((r) => r.outcomes);
  const torn = all.filter((o) => /removed [\d,]+ billing rows/.test(o.readerNote)).length;
  const lines = [
    '# Crash test (`npm run crash`)',
    '',
    'Written by `npm run crash` (src/bench/crash.ts); the suite runs the same harness on small files',
    '(`src/cli/crash-*.test.ts`). An ingest of the built CLI is killed with SIGKILL at a point of its statement trace;',
    'then the CLI reads the store (`report ingestions`, which repairs what it finds), the store\'s logical content',
    '(per ingestion: rows, cost sums, numbering, files, log; the ingestions list) must be exactly the state before',
    'or after the ingest, and the ingest run again must give exactly the after state with a current allocation.',
    '',
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()};`
      + ` Node ${process.version}; DuckDB ${version}. ${ROWS.toLocaleString('en-US')}-row exports (the demo company's October, one`
      + ` CSV.gz); ${seconds.toFixed(0)} s in all (each kill repeats the ingest up to its COMMIT, the read and the re-run).`,
    '',
    `**${all.length} kills: ${all.filter((o) => o.state === 'before').length} left the state before, `
      + `${all.filter((o) => o.state === 'after').length} the state after, 0 anything else; every re-run exact.** `
      + `${torn} of them tore the COMMIT as DuckDB does at this size (the rows kept, their records lost): the reader removed `
      + 'the orphan rows and said so.',
    '',
  ];
  for (const r of results) {
    lines.push(`## ${r.name}`, '', '| kill | last trace line seen | store after the kill | what the reader said |', '|---|---|---|---|');
    for (const o of r.outcomes) {
      const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      lines.push(`| ${o.point}${o.killed ? '' : ' (ended first)'} | \`${cell(o.lastLine.slice(0, 70))}\` | ${o.state} | `
        + `${cell(o.readerNote.replace(/\/\S+\//g, '')) || '(nothing)'} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const older = await delivery('older', 11, '2026-10-20T00:00:00Z');
  const newer = await delivery('newer', 12, '2026-10-28T00:00:00Z');
  const rows = ROWS.toLocaleString('en-US');
  const cases: Record<string, [CrashCase, KillPoint[]]> = {
    new: [{ name: `billing: a ${rows}-row export, the first ingest into a new store`, setup: [], ingest: ['ingest', 'focus', older] },
      commitPoints(DELAYS)],
    existing: [{ name: `billing: a ${rows}-row export into an existing store`, setup: [['allocate']], ingest: ['ingest', 'focus', older] },
      commitPoints(DELAYS)],
    replacement: [{ name: 'billing: a newer delivery of the same export and month replaces the older one',
      setup: [['ingest', 'focus', older]], ingest: ['ingest', 'focus', newer] }, commitPoints(REPLACEMENT_DELAYS)],
  };
  for (const key of CASES) {
    const [c, points] = cases[key] ?? [];
    if (!c || !points) throw new Error(`TOKENLEDGER_CRASH_CASES: no case ${key}; expected ${Object.keys(cases).join(', ')}`);
    const dir = join(OUT, 'work');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    const result = await runCrashCase(c, () => points, { dir, log: (l) => process.stdout.write(`${l}\n`) });
    writeFileSync(join(OUT, `${key}.json`), JSON.stringify({ ...result, seconds: (performance.now() - t0) / 1000 }, null, 1));
    rmSync(dir, { recursive: true, force: true });
  }
  const results = Object.keys(cases).filter((k) => existsSync(join(OUT, `${k}.json`)))
    .map((k) => JSON.parse(readFileSync(join(OUT, `${k}.json`), 'utf8')) as CaseResult & { seconds: number });
  const seconds = results.reduce((a, r) => a + r.seconds, 0);
  const md = markdown(results, seconds, await duckdbVersion());
  writeFileSync(join('docs', 'crash.md'), md + '\n');
  copyFileSync(join('docs', 'crash.md'), join(OUT, 'crash.md'));
  process.stdout.write('\nwrote docs/crash.md\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
