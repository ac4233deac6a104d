/**
 * Where the time of a billing ingest goes, in `npm run bench` (issue 17 asks for it in docs/benchmarks.md so
 * that the next person knows what is left):
 *
 * 1. Phases: `ingest focus` in a child process with TOKENLEDGER_TRACE=1 (store/db.ts times every statement);
 *    each statement is put in a phase by what it does (the typed INSERT, classification, the daily rollup,
 *    row numbering, the commit...); what is not SQL (checksums, gzip check, Node) is the rest of the wall time.
 * 2. Expressions: the typed INSERT's SELECT of the whole file written to a scratch table, against the same
 *    SELECT for the file without one kind of column (money and quantities, date-times, typed text, Tags, the
 *    extra columns kept as text): what each kind adds; and the whole SELECT against the file read as text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readCsvHeader } from '../ingest/common/csv-header.js';
import { tableFunction } from '../ingest/common/reader.js';
import { buildSelectList, TYPED_COLUMNS, type TypedKind } from '../ingest/focus/columns.js';
import type { Sql } from '../store/sql.js';
import { stampLine } from './machine.js';

export interface PhaseTime { phase: string; seconds: number; statements: number }
export interface ExpressionTime { what: string; columns: number; seconds: number; overRead: number }
export interface IngestProfile { input: string; rows: number; columns: number; wallSeconds: number; phases: PhaseTime[];
  readSeconds: number; expressions: ExpressionTime[] }

/** Statement (first line) -> phase. First match wins. */
const PHASES: [RegExp, string][] = [
  [/^INSERT INTO billing_rows/, 'typed INSERT (read, type, validate, lineage, extra columns)'],
  [/charges_daily/, 'daily rollup (charges_daily)'],
  [/^WITH new_keys|INTO meters/, 'meter classification'],
  [/^UPDATE billing_rows|^WITH n AS|number/i, 'row numbering (after the commit)'],
  [/^COMMIT/, 'commit'],
  [/ingestion_facts|list\(DISTINCT BillingAccountId|^SELECT\s*$|^WITH f AS/, 'facts and checks'],
];

function phaseOf(first: string): string {
  return PHASES.find(([re]) => re.test(first))?.[1] ?? 'other statements (open, migrations, records, checks)';
}

/** The phases of one ingest, from the statement trace of a child process. */
function phases(runOne: string, input: string, store: string): { wall: number; rows: number; phases: PhaseTime[] } {
  rmSync(store, { force: true });
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [runOne, 'tokenledger', 'csv', input, store], {
    encoding: 'utf8', env: { ...process.env, TOKENLEDGER_TRACE: '1' }, maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  const { rows, closeSeconds } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: number; closeSeconds: number };
  const sums = new Map<string, PhaseTime>();
  for (const line of r.stderr.split('\n')) {
    const m = /^\[sql ([\d.]+) ms, \d+ rows\] (.*)$/.exec(line);
    if (!m) continue;
    const phase = phaseOf(m[2]!);
    const p = sums.get(phase) ?? { phase, seconds: 0, statements: 0 };
    p.seconds += Number(m[1]) / 1000;
    p.statements++;
    sums.set(phase, p);
  }
  sums.set('close', { phase: 'close: the checkpoint (partial row groups the insert left merged and rewritten; Parquet tails)',
    seconds: closeSeconds, statements: 1 });
  const sql = [...sums.values()].reduce((a, p) => a + p.seconds, 0);
  const out = [...sums.values()].sort((a, b) => b.seconds - a.seconds);
  out.push({ phase: 'not SQL (Node start and modules, checksums; the gzip check runs beside the read)', seconds: Math.max(0, wall - sql),
    statements: 0 });
  return { wall, rows, phases: out };
}

/** Each kind of column's part of the typed SELECT on its own, against the bare text read of the file. */
async function expressions(input: string, dir: string): Promise<{ read: number; list: ExpressionTime[] }> {
  const header = await readCsvHeader(input);
  const cols = header.map((name) => ({ name, type: 'VARCHAR' }));
  const kindOf = new Map<string, TypedKind>(TYPED_COLUMNS.map((c) => [c.name.toLowerCase(), c.kind]));
  const db = join(dir, 'profile.duckdb');
  rmSync(db, { force: true });
  const inst = await DuckDBInstance.create(db);
  const conn = await inst.connect();
  const from = tableFunction(input, 'csv', header);
  const time = async (select: string, params: Record<string, unknown>, where = 'true', source: (f: Sql) => Sql = (f) => f) => {
    await conn.run('DROP TABLE IF EXISTS t');
    const src = source(from);
    const t = process.hrtime.bigint();
    await conn.run(`CREATE TABLE t AS SELECT * FROM (SELECT ${select} FROM ${src.text}) WHERE ${where}`,
      { ...src.params, ...params } as never);
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  const read = await time('*', {});
  // the typed SELECT of the whole file, as the INSERT runs it (with its period check), best of 2
  const typed = async (subset: typeof cols) => {
    const { select, check, from: source } = buildSelectList(0, subset);
    const run = () => time(select.text, { ...select.params, ...check.params }, check.text, source);
    return Math.min(await run(), await run());
  };
  const full = await typed(cols);
  const groups: [string, (name: string) => boolean][] = [
    ['money and quantities (DECIMAL(38,18), exact)', (n) => kindOf.get(n.toLowerCase()) === 'decimal'],
    ['date-times (UTC TIMESTAMP, four formats)', (n) => kindOf.get(n.toLowerCase()) === 'timestamp'],
    ['typed text (enumerations checked, required columns)', (n) => kindOf.get(n.toLowerCase()) === 'varchar'],
    ['Tags (JSON object, repaired)', (n) => n.toLowerCase() === 'tags'],
    ['other columns kept as text (one list per row)', (n) => !kindOf.has(n.toLowerCase()) && n.toLowerCase() !== 'tags'],
  ];
  // each kind's share: the whole typed SELECT against the same SELECT for the file without those columns
  const list: ExpressionTime[] = [
    { what: 'none: the whole typed SELECT (what it adds to the text)', columns: cols.length, seconds: full, overRead: full - read }];
  for (const [what, pick] of groups) {
    const without = cols.filter((c) => !pick(c.name));
    if (without.length === cols.length) continue;
    const seconds = await typed(without);
    list.push({ what, columns: cols.length - without.length, seconds, overRead: full - seconds });
  }
  conn.closeSync();
  inst.closeSync();
  rmSync(db, { force: true });
  return { read, list };
}

export async function profileIngest(runOne: string, input: string, dir: string): Promise<IngestProfile> {
  phases(runOne, input, join(dir, 'store-profile.duckdb')); // warm the file cache
  const p = phases(runOne, input, join(dir, 'store-profile.duckdb'));
  const e = await expressions(input, dir);
  const columns = (await readCsvHeader(input)).length;
  execFileSync('sync');
  return { input, rows: p.rows, columns, wallSeconds: p.wall, phases: p.phases, readSeconds: e.read, expressions: e.list };
}

export function profileMarkdown(profiles: IngestProfile[], measuredOn?: string): string {
  if (!profiles.length) return '';
  return `## Where billing ingest time goes

${stampLine(measuredOn)}Per phase: \`ingest focus\` of the file with TOKENLEDGER_TRACE=1 (every statement timed), statements grouped by
what they do; what is not SQL is the rest of the wall time ("commit" counts every transaction's, migrations' included). Per kind of
column: the typed SELECT of the whole file written to a scratch table (best of 2), against the same SELECT for the file
without that kind's columns; the first row is the whole SELECT against the file read as text (\`read_csv\`, every column
VARCHAR, the ingest's options) and written as it is. On this machine runs differ by up to 2x: read the table for sizes.

${profiles.map((p) => `### ${p.rows.toLocaleString('en-US')} rows, ${p.columns} columns (${p.input.split('/').slice(-2).join('/')}), ` +
  `${p.wallSeconds.toFixed(2)} s in all

| phase | statements | seconds | share |
|---|---:|---:|---:|
${p.phases.map((x) => `| ${x.phase} | ${x.statements || '-'} | ${x.seconds.toFixed(2)} | ${
    (100 * x.seconds / p.wallSeconds).toFixed(0)} % |`).join('\n')}

The whole file read as text and written: ${p.readSeconds.toFixed(2)} s.

| without these columns | columns | seconds | what they add to the typed SELECT |
|---|---:|---:|---:|
${p.expressions.map((x) => `| ${x.what} | ${x.columns} | ${x.seconds.toFixed(2)} | ${x.overRead.toFixed(2)} |`).join('\n')}
`).join('\n')}
${WHAT_IS_LEFT}`;
}

/**
 * What the profiling of 2026-12-03 found (single expressions timed alone on the 306,127-row files, one thread, in
 * a scratch database): what was made cheap, and what is left, so that the next person starts from there.
 */
const WHAT_IS_LEFT = `### What was made cheap, and what is left (measured 2026-12-03, 306,127 and 1,019,902 rows)

Made cheap (columns.ts, timestamps.ts, migration 020):
- A value several typed expressions read (a Parquet number's text, a text's null-normalized value, a time zone conversion,
  Tags parsed as JSON, a lower-cased enumeration, the pricing-block match) is computed once per row in a SELECT below the
  typed one: DuckDB evaluated every occurrence inside the CASE branches again. On the narrow Parquet file the typed
  projection went from 5.97 s to 2.48 s of CPU, and the insert from 4.2-4.5 s to 3.2 s.
- Money of at most 9 digits on each side of the point goes through one DECIMAL(18,9) cast (exact): 146 -> 50 ms per column.
- The date-time fast shapes are LIKE patterns, not a test of each character: 141 -> 90 ms per column.
- Tags are parsed once (a valid JSON text starting with \`{\` is an object): no second parse asks its type.
- The overlap check of a bare file no longer hashes the new rows when no other scope shares its accounts and periods
  (0.14 s).
- The token count of \`charges\` is rounded with round(x, 6): DuckDB's downscaling cast of a DECIMAL(38,18) costs about
  1.4 us a value (420 ms per 306k), round half of it. Reading tl_tokens over the wide file: 650 -> 570 ms.

Left, with what it costs:
- Tags: validating 257k JSON objects, about 290 ms; it is the check that Tags are JSON, kept.
- The 44 columns of the wide export kept as text cost 1.3-1.6 s to store, as one list per row or as 44 columns alike: it
  is the volume of text, which plain DuckDB stores too.
- Parquet: DuckDB reads the file in batches of its row groups (124,222 rows here), and each leaves a tail (1,342 and
  2,042 rows) that the checkpoint at close merges and rewrites: 1.5-1.6 s for tokenledger, 1.0 s for plain DuckDB.
- The daily rollup reads \`charges\`, whose per-row quantity-convention test casts four DECIMAL(38,18) values to DOUBLE
  (about 190 ms per column per 306k; every cast of a DECIMAL(38,18), to DOUBLE, FLOAT, BIGINT or a narrower decimal,
  costs 0.4-1 us a value). Grouping on 18 keys instead of 41 changed nothing (987 against 1,001 ms). It runs inside the
  ingest's transaction, where DuckDB scans the uncommitted rows about half as fast as committed ones (1M rows: 4.2 s
  there, 2.2 s on the committed store).
- The command line rebuilds the stored allocation after every write, ingest included, which is why the end-to-end
  ingest is slower than this bench's. On the wide 1M export without telemetry: 4.5 s to split, 0.4 s for the charges
  and 0.6 s for the monthly and daily sums. Numbering billing rows with \`row_number() OVER ()\` had taken a third of the
  split (one thread, every column through the window); the part's ordinal and the row's number do it now.
- Copying the wide 1M rows from one DuckDB table into another (\`INSERT INTO t SELECT * FROM billing_rows\`) takes 9.2 s:
  that much of the 22.8 s insert is storing the rows, which no typing makes cheaper.
`;
