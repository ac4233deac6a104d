/**
 * The fuzzing campaign's inputs and its one case, shared by the bounded test in the suite
 * (src/cli/fuzz.test.ts) and the long run (`npm run fuzz`, src/bench/fuzz.ts). Inputs are real files cut
 * short (the FOCUS 1.0 sample, the FOCUS AI examples, the demo company's export, telemetry and events in
 * every format), mutated by a seeded generator: the same seed gives the same files, so a failing case is
 * reproduced by its number.
 *
 * 1. `makeSeeds`: one small good file per format (CSV, CSV.gz, Parquet, JSONL, JSONL.gz, OTLP, APIM, ...).
 * 2. `mutate`: 1 to 3 mutations from MUTATORS (bytes, encodings, compression, lines, fields, numbers).
 * 3. `runCase`: the CLI in-process (`run(argv, fx)`, passed in: only src/cli imports src/cli), under a
 *    timeout, against a store of that ingest;
 *    the verdict: exit 4 or a hang is a failure; a refusal must leave the store as it was; an accepted
 *    file must leave a store that still reports.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { memoryEffects, type Effects } from '../app/effects.js';
import { writeDemoEvents } from '../demo/events.js';
import { Rng } from '../demo/rng.js';
import { writeDemoTelemetry } from '../demo/telemetry.js';
import { writeDemoExport } from '../demo/write-export.js';
import { storeFingerprint } from '../ingest/common/conformance.case.js';
import { Store } from '../store/db.js';
import { focusCsv, tokenRow } from './focus-fixture.js';
import { ext } from './paths.js';

export type IngestKind = 'focus' | 'telemetry' | 'events';

/** The command line's `run(argv, effects)` (src/cli/main.ts), passed in: only src/cli imports src/cli. */
export type RunCli = (argv: string[], fx: Effects) => Promise<number>;

/** A good input: the file (name and bytes) and the files that travel with it (a gateway log with an LLM log). */
export interface Seed { kind: IngestKind; name: string; bytes: Buffer; companions?: { name: string; bytes: Buffer }[] }

export interface FuzzCase { id: number; kind: IngestKind; seed: string; name: string; bytes: Buffer; mutations: string[];
  companions: { name: string; bytes: Buffer }[] }

const headLines = (text: string, n: number) => text.split('\n').slice(0, n + 1).join('\n') + '\n';

/** 1. The seeds: small good files of every format, from real files and the demo generator (written under dir). */
export async function makeSeeds(dir: string): Promise<Seed[]> {
  mkdirSync(dir, { recursive: true });
  const plan = { months: ['2026-10'], clones: 1, seed: 7 };
  const telemetry = await writeDemoTelemetry(join(dir, 'demo'), plan);
  const events = writeDemoEvents(join(dir, 'demo'), plan);
  const [exportRun] = await writeDemoExport(join(dir, 'demo', 'focus'), plan);
  const demoFocus = headLines(gunzipSync(readFileSync(exportRun!.parts[0]!)).toString('utf8'), 25);
  const sample = headLines(readFileSync(ext('focus-1.0-sample', 'focus_sample.csv'), 'utf8'), 20);
  const fixture = focusCsv([{}, tokenRow('gpt-4o-0806-Inp-glbl 1M Tokens', 2_000_000, '2.5'), { BilledCost: '0.000000001',
    Tags: '{"team":"a"}' }]);
  const file = (p: string, n = 15) => headLines(readFileSync(p, 'utf8'), n);
  const find = (list: string[], re: RegExp) => list.find((p) => re.test(p))!;
  const seeds: Seed[] = [
    { kind: 'focus', name: 'demo.csv', bytes: Buffer.from(demoFocus) },
    { kind: 'focus', name: 'demo.csv.gz', bytes: gzipSync(demoFocus) },
    { kind: 'focus', name: 'focus_sample.csv', bytes: Buffer.from(sample) },
    { kind: 'focus', name: 'fixture.csv', bytes: Buffer.from(fixture) },
    { kind: 'focus', name: 'demo.parquet', bytes: await toParquet(dir, demoFocus, false) },
    { kind: 'focus', name: 'demo-double.parquet', bytes: await toParquet(dir, sample, true) },
    { kind: 'telemetry', name: 'usage.jsonl', bytes: Buffer.from(file(find(telemetry, /usage/))) },
    { kind: 'telemetry', name: 'usage.jsonl.gz', bytes: gzipSync(file(find(telemetry, /usage/))) },
    { kind: 'telemetry', name: 'traces.jsonl', bytes: Buffer.from(file(find(telemetry, /otlp/), 4)) },
    { kind: 'telemetry', name: 'customMetrics.csv', bytes: Buffer.from(file(find(telemetry, /customMetrics/), 12)) },
    { kind: 'telemetry', name: 'customMetrics.json', bytes: Buffer.from(apimMetricsJson()) },
    { kind: 'telemetry', name: 'metrics.json', bytes: Buffer.from(otlpMetrics()) },
    { kind: 'telemetry', name: 'monitor.json', bytes: Buffer.from(azureMonitor()) },
    { kind: 'telemetry', name: 'llm-log.csv', bytes: Buffer.from(file(find(telemetry, /llm-log/))),
      companions: [{ name: 'gateway-log.csv', bytes: Buffer.from(file(find(telemetry, /gateway-log/))) }] },
    { kind: 'events', name: 'tickets.csv', bytes: Buffer.from(file(find(events, /tickets/), 20)) },
    { kind: 'events', name: 'documents.jsonl', bytes: Buffer.from(file(find(events, /documents/), 20)) },
    { kind: 'events', name: 'leads.jsonl.gz', bytes: gzipSync(file(find(events, /leads/), 20)) },
  ];
  for (const f of readdirSync(ext('focus-ai-examples')).sort())
    seeds.push({ kind: 'focus', name: `ai-${f}`, bytes: readFileSync(ext('focus-ai-examples', f)) });
  return seeds;
}

/** A Parquet copy of a CSV, written by DuckDB (money as DECIMAL, or as DOUBLE as pandas and Spark write it). */
async function toParquet(dir: string, csv: string, double: boolean): Promise<Buffer> {
  const src = join(dir, `src-${double ? 'double' : 'typed'}.csv`);
  const out = join(dir, `out-${double ? 'double' : 'typed'}.parquet`);
  writeFileSync(src, csv);
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const cast = double ? `REPLACE (TRY_CAST(BilledCost AS DOUBLE) AS BilledCost, TRY_CAST(EffectiveCost AS DOUBLE) AS EffectiveCost)` : '';
    await conn.run(`COPY (SELECT * ${cast} FROM read_csv($src, all_varchar = ${double ? 'false' : 'true'}))
      TO $out (FORMAT parquet)`, { src, out });
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
  return readFileSync(out);
}

function apimMetricsJson(): string {
  const dims = JSON.stringify({ Deployment: 'gpt-4o', feature: 'support' });
  const rows = [0, 1, 2].flatMap((m) => [[`2026-10-01T10:0${m}:00Z`, 'Prompt Tokens', 100 + m, 2, dims],
    [`2026-10-01T10:0${m}:00Z`, 'Completion Tokens', 10 + m, 2, dims]]);
  return JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: [{ name: 'timestamp', type: 'datetime' }, { name: 'name',
    type: 'string' },
    { name: 'valueSum', type: 'real' }, { name: 'valueCount', type: 'int' }, { name: 'customDimensions', type: 'dynamic' }], rows }] });
}

function otlpMetrics(): string {
  const attr = (key: string, v: string) => ({ key, value: { stringValue: v } });
  const point = (type: string, sum: number, s: number) => ({ attributes: [attr('gen_ai.token.type', type), attr('gen_ai.request.model',
    'gpt-4o')],
    startTimeUnixNano: `${1790000000 + s}000000000`, timeUnixNano: `${1790000060 + s}000000000`, count: '1', sum });
  return JSON.stringify({ resourceMetrics: [{ resource: { attributes: [attr('service.name', 'api')] }, scopeMetrics: [{ metrics: [
    { name: 'gen_ai.client.token.usage', histogram: { aggregationTemporality: 1,
      dataPoints: [point('input', 120, 0), point('output', 7, 0), point('input', 90, 60), point('output', 5, 60)] } }] }] }] }) + '\n';
}

function azureMonitor(): string {
  return JSON.stringify({ value: [{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a/providers/' +
    'Microsoft.Insights/metrics/ProcessedPromptTokens', name: { value: 'ProcessedPromptTokens' },
  timeseries: [{ metadatavalues: [{ name: { value: 'ModelDeploymentName' }, value: 'gpt-4o' }],
    data: [{ timeStamp: '2026-10-01T10:00:00Z', total: 500 }, { timeStamp: '2026-10-01T11:00:00Z', total: 700 }] }] }] });
}

type Mutator = (b: Buffer, rng: Rng) => Buffer;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)]!;
const at = (b: Buffer, rng: Rng) => rng.int(0, Math.max(0, b.length - 1));
const splice = (b: Buffer, start: number, del: number, ins: Buffer) => Buffer.concat([b.subarray(0, start), ins, b.subarray(start + del)]);
const textOf = (b: Buffer) => b.toString('latin1');
const fromText = (s: string) => Buffer.from(s, 'latin1');

/** Bytes that break readers: invalid UTF-8, a stray BOM, NUL, quotes, separators, line ends, JSON syntax. */
const NASTY = [[0xff], [0xfe, 0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x00], [0xef, 0xbb, 0xbf], [0x22], [0x2c],
  [0x0a], [0x0d], [0x0a, 0x0a], [0x7b], [0x7d], [0x5c], [0x5b], [0x3a], [0x09]].map((x) => Buffer.from(x));
const NUMBERS = ['1e25', '-1', '12.5', 'NaN', 'Infinity', '99999999999999999999999', '0x10', '', 'null', '1,5', '1e-30', '-0', '2.0000004',
  '1' + '0'.repeat(40), '0.1234567890123456789012'];
const DATES = ['4/1/25', '99999-01-01', '2026-13-45', '', '2026-10-05T00:00:00+25:00', '10/05/2026', 'yesterday', '0001-01-01',
  '2026-02-30T00:00:00Z'];
const WORDS = ['Bogus', 'NULL', '=HYPERLINK("http://x","y")', '\u0000', 'x'.repeat(100_000), '"', '{"a":', 'é', '\u{1F600}', '\t'];

/** 2. The mutations, by name. Text mutations work on latin1 text, so every byte survives the round trip. */
export const MUTATORS: Record<string, Mutator> = {
  flipByte: (b, rng) => { const c = Buffer.from(b); if (c.length) c[at(c, rng)] = rng.int(0, 255); return c; },
  insertNasty: (b, rng) => splice(b, at(b, rng), 0, pick(rng, NASTY)),
  deleteRange: (b, rng) => { const s = at(b, rng); return splice(b, s, rng.int(1, 64), Buffer.alloc(0)); },
  duplicateRange: (b, rng) => { const s = at(b, rng); return splice(b, at(b, rng), 0, b.subarray(s, s + rng.int(1, 200))); },
  truncate: (b, rng) => b.subarray(0, at(b, rng)),
  bomStart: (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]),
  utf16: (b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]),
  crlf: (b) => fromText(textOf(b).replace(/\n/g, '\r\n')),
  crOnly: (b) => fromText(textOf(b).replace(/\n/g, '\r')),
  blankLines: (b, rng) => { const ls = textOf(b).split('\n'); ls.splice(rng.int(1, ls.length), 0, '',
    ''); return fromText(ls.join('\n')); },
  dropLine: (b, rng) => { const ls = textOf(b).split('\n'); ls.splice(rng.int(0, ls.length - 1), 1); return fromText(ls.join('\n')); },
  duplicateLine: (b, rng) => { const ls = textOf(b).split('\n'); const i = rng.int(0, ls.length - 1); ls.splice(i, 0, ls[i]!);
    return fromText(ls.join('\n')); },
  headerOnly: (b) => fromText(textOf(b).split('\n')[0]! + '\n'),
  number: (b, rng) => replaceNth(b, rng, /-?\d+(\.\d+)?/g, pick(rng, NUMBERS)),
  date: (b, rng) => replaceNth(b, rng, /\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?/g, pick(rng, DATES)),
  word: (b, rng) => replaceNth(b, rng, /[A-Za-z][A-Za-z ]{2,}/g, pick(rng, WORDS)),
  field: (b, rng) => replaceNth(b, rng, /[^,\n"{}:]+/g, pick(rng, [...WORDS, ...NUMBERS, ...DATES])),
  unbalancedQuote: (b, rng) => splice(b, at(b, rng), 0, Buffer.from('"')),
  empty: () => Buffer.alloc(0),
  garbage: (_b, rng) => Buffer.from(Array.from({ length: rng.int(1, 4000) }, () => rng.int(0, 255))),
};

function replaceNth(b: Buffer, rng: Rng, re: RegExp, value: string): Buffer {
  const text = textOf(b);
  const hits = [...text.matchAll(re)];
  if (!hits.length) return b;
  const h = pick(rng, hits);
  return fromText(text.slice(0, h.index) + Buffer.from(value, 'utf8').toString('latin1') + text.slice(h.index + h[0].length));
}

const TEXT_ONLY = new Set(['utf16', 'crlf', 'crOnly', 'blankLines', 'dropLine', 'duplicateLine', 'headerOnly', 'number', 'date', 'word',
  'field']);

/**
 * A mutated copy of a seed: compressed seeds are either mutated as bytes (a corrupt stream) or as content
 * and compressed again; Parquet takes byte mutations only; a text seed may end up gzipped (garbage or not).
 */
export function mutate(seed: Seed, id: number, rng: Rng): FuzzCase {
  const gz = seed.name.endsWith('.gz');
  const parquet = seed.name.endsWith('.parquet');
  const inner = gz && rng.next() < 0.6;
  let bytes = inner ? gunzipSync(seed.bytes) : seed.bytes;
  const names = Object.keys(MUTATORS).filter((n) => !(parquet || (gz && !inner)) || !TEXT_ONLY.has(n));
  const mutations: string[] = [];
  for (let i = rng.int(1, 3); i > 0; i--) {
    const m = pick(rng, names);
    mutations.push(m);
    bytes = MUTATORS[m]!(bytes, rng);
  }
  let name = seed.name;
  if (inner) bytes = gzipSync(bytes);
  else if (!gz && !parquet && rng.next() < 0.08) { bytes = gzipSync(bytes); name += '.gz'; mutations.push('gzip'); }
  return { id, kind: seed.kind, seed: seed.name, name, bytes, mutations, companions: seed.companions ?? [] };
}

/** `count` cases from `seed`, round-robin over the seeds so every format gets its share. */
export function fuzzCases(seeds: Seed[], count: number, seed: number): FuzzCase[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => mutate(seeds[i % seeds.length]!, i, rng));
}

export type Verdict = 'refused' | 'accepted' | 'internal' | 'hang' | 'store-changed' | 'unlocated' | 'report-failed';

export interface CaseResult { id: number; verdict: Verdict; code: number; ms: number; message: string }

/** The store of one ingest kind the cases run against, and what it held after the last accepted case. */
export interface FuzzStore { path: string; bytes: string; copy: { db: Buffer; wal: Buffer | null } | null;
  logical: Record<string, string> | null }

const fileHash = (path: string) => {
  const h = createHash('sha256');
  for (const p of [path, `${path}.wal`]) if (existsSync(p)) h.update(readFileSync(p));
  return h.digest('hex');
};

/** A copy of the store's files as they are: what its content was, if a later refusal touched the bytes. */
function snapshot(store: FuzzStore): void {
  store.bytes = fileHash(store.path);
  const wal = `${store.path}.wal`;
  store.copy = { db: readFileSync(store.path), wal: existsSync(wal) ? readFileSync(wal) : null };
  store.logical = null;
}

/** The content of the store before the last case: from the copy of its file, read only when needed. */
async function before(store: FuzzStore): Promise<Record<string, string> | null> {
  if (store.logical || !store.copy) return store.logical;
  const path = `${store.path}.before.duckdb`;
  writeFileSync(path, store.copy.db);
  if (store.copy.wal) writeFileSync(`${path}.wal`, store.copy.wal);
  else rmSync(`${path}.wal`, { force: true });
  store.logical = await logical(path);
  return store.logical;
}

async function logical(path: string): Promise<Record<string, string>> {
  const store = await Store.open(path, { readOnly: true });
  try {
    return await storeFingerprint(store);
  } finally {
    store.close();
  }
}

export async function newFuzzStore(path: string): Promise<FuzzStore> {
  const store: FuzzStore = { path, bytes: '', copy: null, logical: null };
  if (existsSync(path)) snapshot(store);
  return store;
}

/** A store per ingest kind under dir, each holding the first seed of its kind (so that a refusal has something to keep). */
export async function seedStores(dir: string, seeds: Seed[], run: RunCli, timeoutMs: number): Promise<Map<IngestKind, FuzzStore>> {
  const stores = new Map<IngestKind, FuzzStore>();
  for (const kind of ['focus', 'telemetry', 'events'] as const) {
    const store = await newFuzzStore(join(dir, `${kind}.duckdb`));
    const first = seeds.find((s) => s.kind === kind)!;
    const r = await runCase({ id: -1, kind, seed: first.name, name: first.name, bytes: first.bytes, mutations: [], companions: [] },
      join(dir, `seed-${kind}`), store, run, timeoutMs);
    if (r.verdict !== 'accepted') throw new Error(`the ${kind} seed ${first.name} was not accepted: ${r.message}`);
    stores.set(kind, await newFuzzStore(store.path));
  }
  return stores;
}

async function cli(run: RunCli, argv: string[], cwd: string, timeoutMs: number): Promise<{ code: number | 'hang'; err: string }> {
  const fx = memoryEffects({ cwd, env: { TZ: 'UTC' } });
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((r) => { timer = setTimeout(() => r('hang'), timeoutMs); });
  try {
    const code = await Promise.race([run(argv, fx), hang]);
    return { code, err: fx.err.join('') };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * 3. One case: write its files under dir, ingest them into the store of its kind, judge. A refusal must
 * exit 2 with a message naming the file (or the folder given), and leave the store's content as it was;
 * an accepted input must leave a store whose reports still run (exit 0, or 2 for a report's own refusal).
 */
export async function runCase(c: FuzzCase, dir: string, store: FuzzStore, run: RunCli, timeoutMs: number,
  reports: string[][] = REPORTS): Promise<CaseResult> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, c.name);
  writeFileSync(path, c.bytes);
  for (const x of c.companions) writeFileSync(join(dir, x.name), x.bytes);
  const target = c.companions.length ? dir : path;
  const t = Date.now();
  const r = await cli(run, ['--store', store.path, 'ingest', c.kind, target, '--quiet'], dir, timeoutMs);
  const ms = Date.now() - t;
  const result = (verdict: Verdict, message = r.err) => ({ id: c.id, verdict, code: r.code === 'hang' ? -1 : r.code, ms, message });
  if (r.code === 'hang') return result('hang', `no answer after ${timeoutMs} ms`);
  if (r.code === 4 || r.code !== 0 && r.code !== 2) return result('internal');
  if (r.code === 2) {
    if (!r.err.startsWith('error: ') || !r.err.includes(target)) return result('unlocated');
    if (fileHash(store.path) !== store.bytes) {
      const was = await before(store);
      const now = await logical(store.path);
      if (JSON.stringify(now) !== JSON.stringify(was)) return result('store-changed', `${r.err}\n${diff(was, now)}`);
      snapshot(store);
      store.logical = now;
    }
    return result('refused');
  }
  for (const report of reports) {
    const rep = await cli(run, ['--store', store.path, ...report, '--format', 'json'], dir, timeoutMs);
    if (rep.code === 'hang' || rep.code === 4 || rep.code === 3) return { ...result('report-failed'),
      message: `${report.join(' ')}: ${rep.err}` };
  }
  snapshot(store);
  return result('accepted');
}

/** What an accepted store must still answer (the suite asks only the first: the summary reads the allocation). */
export const REPORTS = [['report', 'summary', '--allow-incomplete'], ['report', 'ingestions'], ['check']];

function diff(a: Record<string, string> | null, b: Record<string, string>): string {
  return Object.keys(b).filter((k) => a?.[k] !== b[k]).map((k) => `${k}: ${a?.[k]} -> ${b[k]}`).join('\n');
}
