/**
 * The crash harness (crash.test.ts in the suite, `npm run crash` for a 300,000-row export): an ingest run
 * as a child process of the built CLI, killed with SIGKILL at points taken from its own statement trace
 * (TOKENLEDGER_TRACE=1), then judged:
 *
 * 1. Reference: the ingest runs to the end on a copy of the "before" store; its trace lines are the kill
 *    points, its store the "after" state.
 * 2. Each kill: a fresh copy of the before store; the child is killed when the n-th trace line appears, or
 *    a number of milliseconds after a line (the `[sql start] COMMIT` line aims inside the COMMIT).
 * 3. A reader opens the store through the CLI (`report ingestions`): it must succeed, and repair what it
 *    finds (orphan rows, numbering). The store's logical content (`logicalState`: per ingestion, by
 *    content, rows, sums and lineage; the ingestions list and log) must then be exactly before or after.
 * 4. The same ingest again, in-process: exactly the after state, with a current stored allocation.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocationState } from '../allocate/materialize.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, tokenRow, writeFixture } from './focus-fixture.js';
import { REPO_ROOT } from './paths.js';

export const BUILT_CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface CliResult { code: number; out: string; err: string }
/** How the harness runs the CLI for the reader and the re-run: in-process in the tests, the built bin in `npm run crash`. */
export type CliRunner = (args: string[], cwd: string) => Promise<CliResult>;

/** The built CLI as a child process (what `npm run crash` uses; src/bench may not import src/cli). */
export const spawnCli: CliRunner = (args, cwd) => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { cwd, env: { ...process.env, TZ: 'UTC' } });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => { out += t; });
  child.stderr.setEncoding('utf8').on('data', (t: string) => { err += t; });
  child.on('error', reject);
  child.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
});

/**
 * The ledger's logical content, independent of ingestion ids and times (a re-run names its ingestion by
 * its own time): every ingestion as kind + checksum, with its status, counts, rows' sums and numbering,
 * its files and its log entries (skips left out: a re-run logs one). Read from the store's tables
 * directly: an orphan row shows up as an ingestion "(no record)".
 */
export async function logicalState(path: string): Promise<string> {
  const store = await Store.open(path, { readOnly: true });
  try {
    const rows = await store.query(`
      WITH k AS (SELECT ingestion_id, kind || ':' || checksum AS key FROM ingestions),
      keyed AS (SELECT x.*, coalesce(k.key, '(no record)') AS key FROM (
        SELECT 'billing' AS t, tl_ingestion_id AS id, count(*) AS n, CAST(sum(BilledCost) AS VARCHAR) AS a,
          CAST(sum(EffectiveCost) AS VARCHAR) AS b, sum(tl_source_row) AS r, count(DISTINCT tl_source_row) AS d
          FROM billing_rows GROUP BY ALL
        UNION ALL SELECT 'telemetry', tl_ingestion_id, count(*), CAST(sum(input_tokens) AS VARCHAR), CAST(sum(output_tokens) AS VARCHAR),
          sum(tl_source_row), count(DISTINCT tl_source_row) FROM telemetry_rows GROUP BY ALL
        UNION ALL SELECT t, tl_ingestion_id, sum(tl_rows), CAST(sum(input_tokens) AS VARCHAR), CAST(sum(output_tokens) AS VARCHAR),
          count(*), NULL FROM (SELECT 'telemetry_daily' AS t, * FROM telemetry_daily UNION ALL BY NAME SELECT 'telemetry_resource_daily', *
            FROM telemetry_resource_daily UNION ALL BY NAME SELECT 'telemetry_minute', * FROM telemetry_minute) GROUP BY ALL
        UNION ALL SELECT 'gateway', tl_ingestion_id, count(*), NULL, NULL, NULL, NULL FROM apim_gateway_log GROUP BY ALL
        UNION ALL SELECT 'events', tl_ingestion_id, count(*), CAST(sum(count) AS VARCHAR), NULL, sum(tl_source_row),
          count(DISTINCT tl_source_row) FROM event_rows GROUP BY ALL
        UNION ALL SELECT 'billing-file', ingestion_id, part, checksum, CAST(row_count AS VARCHAR), CAST(rows_numbered AS INT), NULL
          FROM ingestion_files
        UNION ALL SELECT 'telemetry-file', ingestion_id, row_count, checksum, format, CAST(rows_numbered AS INT), NULL FROM telemetry_files
        UNION ALL SELECT 'events-file', ingestion_id, row_count, checksum, format, NULL, NULL FROM event_files
        UNION ALL SELECT 'capacity-file', ingestion_id, row_count, checksum, format, NULL, NULL FROM capacity_files
        UNION ALL SELECT 'capacity', tl_ingestion_id, count(*), NULL, NULL, sum(tl_source_line), count(DISTINCT tl_source_line)
          FROM (SELECT tl_ingestion_id, tl_source_line FROM quota_snapshots UNION ALL SELECT tl_ingestion_id,
            tl_source_line FROM gpu_samples
            UNION ALL SELECT tl_ingestion_id, tl_source_line FROM capacity_reservations UNION ALL SELECT tl_ingestion_id, tl_source_line
            FROM minute_metrics) GROUP BY ALL
        UNION ALL SELECT 'ingestion', ingestion_id, row_count, status, CAST(billing_periods AS VARCHAR), file_count, NULL FROM ingestions
        UNION ALL SELECT 'log:' || action, ingestion_id, row_count, source, NULL, NULL, NULL FROM ingestion_events
          WHERE action <> 'skipped'
      ) x LEFT JOIN k ON k.ingestion_id = x.id)
      SELECT t, key, n, a, b, r, d FROM keyed
      UNION ALL SELECT 'meters', NULL, count(*), string_agg(meter_key || ':' || coalesce(token_type, ''), ',' ORDER BY meter_key), NULL,
        NULL, NULL FROM meters
      ORDER BY ALL`);
    return rows.map((r) => JSON.stringify(r)).join('\n');
  } finally {
    store.close();
  }
}

export interface ChildRun {
  /** Trace lines the child wrote before it ended. */
  lines: string[];
  /** SIGKILL when killed; null when it ended by itself (the kill came too late). */
  signal: NodeJS.Signals | null;
  code: number | null;
}

/**
 * Where to kill: `delayMs` after the `nth` (1-based, default 1) trace line that contains `match`. Trace
 * lines are written when a statement ends, so a kill "on" a line lands before the next statement (or in
 * it, as the child runs on while the line travels); `[sql start] COMMIT` is written as a COMMIT starts.
 */
export interface KillPoint {
  name: string; match: string | RegExp; nth?: number; delayMs?: number;
  /** Count `match` only once a line containing this has appeared (a new store's migrations commit first). */
  after?: string | RegExp;
}

/** The points of the suite: inside the transaction, inside the COMMIT, before the numbering, in the allocation. */
export const SUITE_POINTS: KillPoint[] = [
  { name: 'after the insert, inside the transaction', match: /\] INSERT INTO (billing_rows|telemetry_|event_rows)/ },
  // the child goes on into the COMMIT while the line reaches this process: the kill lands in it or just before
  { name: 'as the COMMIT starts', match: '[sql start] COMMIT' },
  { name: 'after the COMMIT, before the row numbering', match: /ms, 0 rows\] COMMIT$/ },
  { name: 'during the allocation rebuild', match: '] INSERT INTO alloc_rows' },
];

const matches = (line: string, m: string | RegExp) => (typeof m === 'string' ? line.includes(m) : m.test(line));

/** Run the built CLI with tracing; kill it with SIGKILL at `kill` (never, without one). */
export function runChild(args: string[], cwd: string, kill?: KillPoint): Promise<ChildRun> {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build before the tests`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], { cwd, env: { ...process.env, TZ: 'UTC', TOKENLEDGER_TRACE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'] });
    const lines: string[] = [];
    let pending = '';
    let seen = 0;
    let ready = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const l of parts) {
        if (!l.startsWith('[sql')) continue;
        lines.push(l);
        if (kill?.after && !ready) ready = matches(l, kill.after);
        if (!kill || (kill.after && !ready) || !matches(l, kill.match) || ++seen !== (kill.nth ?? 1)) continue;
        if (kill.delayMs) setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
        else child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ lines, signal, code }));
  });
}

export interface CrashCase {
  name: string;
  /**
   * CLI argument lists that build the "before" store; none: the ingest creates the store (its before
   * state is an empty store; the tables it creates are still in the WAL at its COMMIT, as in a first ingest).
   */
  setup: string[][];
  /** The ingest to interrupt (CLI arguments after --store). */
  ingest: string[];
}

export interface KillOutcome { point: string; lastLine: string; killed: boolean; state: 'before' | 'after'; readerNote: string }

export interface CaseResult { name: string; referenceLines: number; outcomes: KillOutcome[] }

/** What a test asserts on: a kill outcome that is neither before nor after, or a re-run that is not after. */
export class CrashFailure extends Error {}

function copyStore(from: string, to: string): void {
  rmSync(to, { force: true });
  rmSync(`${to}.wal`, { force: true });
  if (existsSync(from)) copyFileSync(from, to);
}

/** The logical state of an empty store (the before state of a case without setup). */
async function emptyState(dir: string): Promise<string> {
  const path = join(dir, 'empty.duckdb');
  (await Store.open(path)).close();
  return logicalState(path);
}

/**
 * One case: the before store, the reference run, then every kill point, each judged as in the module
 * comment. Throws CrashFailure on the first kill that breaks the rule.
 */
export async function runCrashCase(c: CrashCase, points: (reference: string[]) => KillPoint[],
  o: { cli?: CliRunner; dir?: string; log?: (line: string) => void } = {}): Promise<CaseResult> {
  const cli = o.cli ?? spawnCli;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'tl-crash-'));
  const base = join(dir, 'before.duckdb');
  for (const args of c.setup) {
    const r = await cli(['--store', base, ...args], dir);
    if (r.code !== 0) throw new Error(`setup ${args.join(' ')} failed: ${r.err}`);
  }
  const before = c.setup.length ? await logicalState(base) : await emptyState(dir);
  const ref = join(dir, 'reference.duckdb');
  copyStore(base, ref);
  const reference = await runChild(['--store', ref, ...c.ingest], dir);
  if (reference.code !== 0) throw new Error(`reference run of ${c.name} failed with exit ${reference.code}`);
  const after = await logicalState(ref);
  if (after === before) throw new Error(`${c.name}: the ingest changed nothing; no crash to test`);
  const outcomes: KillOutcome[] = [];
  // a point the reference never reaches (an events ingest rebuilds no allocation) is left out
  for (const point of points(reference.lines).filter((p) => reference.lines.some((l) => matches(l, p.match)))) {
    const store = join(dir, 'killed.duckdb');
    copyStore(base, store);
    const t0 = performance.now();
    const child = await runChild(['--store', store, ...c.ingest], dir, point);
    const t1 = performance.now();
    const label = point.name;
    const reader = await cli(['--store', store, 'report', 'ingestions', '--format', 'json'], dir);
    if (reader.code !== 0) throw new CrashFailure(`${c.name}, kill at ${label}: the reader failed (exit ${reader.code}): ${reader.err}`);
    const state = await logicalState(store);
    if (state !== before && state !== after) {
      throw new CrashFailure(`${c.name}, kill at ${label} (last line ${child.lines.at(-1)}): the store is neither before nor after:\n` +
        `${state}\n--- before:\n${before}\n--- after:\n${after}`);
    }
    const again = await cli(['--store', store, ...c.ingest], dir);
    if (again.code !== 0) throw new CrashFailure(`${c.name}, kill at ${label}: the re-run failed: ${again.err}`);
    const final = await logicalState(store);
    if (final !== after) {
      throw new CrashFailure(`${c.name}, kill at ${label}: the re-run is not the after state:\n${final}\n--- after:\n${after}`);
    }
    const s = await Store.open(store, { readOnly: true });
    const fresh = await allocationState(s).finally(() => s.close());
    if (!fresh.fresh) throw new CrashFailure(`${c.name}, kill at ${label}: the allocation is stale after the re-run: ${fresh.reason}`);
    const t2 = performance.now();
    const outcome: KillOutcome = { point: label, lastLine: child.lines.at(-1) ?? '(none)', killed: child.signal === 'SIGKILL',
      state: state === before ? 'before' : 'after', readerNote: reader.err.trim() };
    o.log?.(`[child ${(t1 - t0).toFixed(0)} ms, checks ${(t2 - t1).toFixed(0)} ms] ${c.name}: ${outcome.point} -> ${outcome.state}` +
      `${outcome.killed ? '' : ' (ended before the kill)'}` +
      `${outcome.readerNote ? `; reader: ${outcome.readerNote}` : ''}`);
    outcomes.push(outcome);
  }
  if (!o.dir) rmSync(dir, { recursive: true, force: true });
  return { name: c.name, referenceLines: reference.lines.length, outcomes };
}

const day = (i: number) => `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`;
const nextDay = (i: number) => `2026-10-${String(2 + (i % 28)).padStart(2, '0')}`;
const period = (i: number) => ({ ChargePeriodStart: `${day(i)}T00:00:00Z`, ChargePeriodEnd: `${nextDay(i)}T00:00:00Z` });
const billing = (cost: string, n: number) =>
  focusCsv(Array.from({ length: n }, (_, i) => (i % 3 === 0
    ? tokenRow('gpt-4o-0806 Inp glbl 1M Tokens', 1000 * (i + 1), '2.5',
      { ResourceId: '/subscriptions/s/aoai-1', ...period(i) })
    : { BilledCost: cost, EffectiveCost: cost, ...period(i) })));
const usage = (i: number) => JSON.stringify({ timestamp: `${day(i)}T10:00:00Z`, model: 'gpt-4o',
  usage: { prompt_tokens: 100 + i, completion_tokens: 10 + i } });

/**
 * The suite's cases, files written under fresh temporary folders. The before state of each holds a
 * billing export, so the allocation is in play: a replacement (a newer export of the same name and
 * period: same scope, later modification time), a telemetry and an events ingest.
 */
export function suiteCases(): Record<'replacement' | 'telemetry' | 'events', CrashCase> {
  const dir = tempDir('tl-crash-in-');
  const old = writeFixture(tempDir('tl-crash-old-'), 'export.csv', billing('2.5', 60));
  const newer = writeFixture(tempDir('tl-crash-new-'), 'export.csv', billing('3.75', 50));
  utimesSync(old, new Date('2026-10-20T00:00:00Z'), new Date('2026-10-20T00:00:00Z'));
  utimesSync(newer, new Date('2026-10-28T00:00:00Z'), new Date('2026-10-28T00:00:00Z'));
  const tel = writeFixture(dir, 'usage.jsonl', Array.from({ length: 200 }, (_, i) => usage(i)).join('\n') + '\n');
  const events = writeFixture(dir, 'events.csv', 'timestamp,unit,count\n' +
    Array.from({ length: 120 }, (_, i) => `${day(i)}T12:00:00Z,ticket,${1 + (i % 4)}`).join('\n') + '\n');
  return {
    replacement: { name: 'billing replacement', setup: [['ingest', 'focus', old]], ingest: ['ingest', 'focus', newer] },
    telemetry: { name: 'telemetry', setup: [['ingest', 'focus', old]], ingest: ['ingest', 'telemetry', tel] },
    events: { name: 'events', setup: [['ingest', 'focus', old]], ingest: ['ingest', 'events', events] },
  };
}
