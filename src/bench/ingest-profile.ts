/**
 * Where the time of a billing ingest goes, in `npm run bench` (issue 17 asks for it in docs/benchmarks.md so
 * that the next person knows what is left):
 *
 * 1. Phases: `ingest focus` in a child process with TOKENLEDGER_TRACE=1 (store/db.ts times every statement);
 *    each statement is put in a phase by what it does (the typed INSERT, classification, the daily rollup,
 *    row numbering, the commit...); what is not SQL (checksums, gzip check, Node) is the rest of the wall time.
 * 2. Expressions: the typed INSERT's SELECT split by kind of column (money and quantities, date-times,
 *    enumerated and other text, the extra columns kept as text, Tags), each written to a scratch table on its
 *    own, against reading the same file as text alone: what each kind costs beyond the read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readCsvHeader } from '../ingest/common/csv-header.js';
import { tableFunction } from '../ingest/common/reader.js';
import { buildSelectList, TYPED_COLUMNS, type TypedKind } from '../ingest/focus/columns.js';
import { METER_FACTS } from '../ingest/focus/read-file.js';

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
  sums.set('close', { phase: 'close: the checkpoint (row groups of the parallel insert merged and written)', seconds: closeSeconds,
    statements: 1 });
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
  const time = async (select: string, params: Record<string, unknown>, where = 'true') => {
    await conn.run('DROP TABLE IF EXISTS t');
    const t = process.hrtime.bigint();
    await conn.run(`CREATE TABLE t AS SELECT * FROM (SELECT ${select} FROM ${from.text}) WHERE ${where}`,
      { ...from.params, ...params } as never);
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  const read = await time('*', {});
  const groups: [string, (name: string) => boolean][] = [
    ['money and quantities (DECIMAL(38,18), exact)', (n) => kindOf.get(n.toLowerCase()) === 'decimal'],
    ['date-times (UTC TIMESTAMP, four formats)', (n) => kindOf.get(n.toLowerCase()) === 'timestamp'],
    ['typed text (enumerations checked, required columns)', (n) => kindOf.get(n.toLowerCase()) === 'varchar'],
    ['Tags (JSON object, repaired)', (n) => n.toLowerCase() === 'tags'],
  ];
  const list: ExpressionTime[] = [];
  const quoted = (n: string) => `"${n.replace(/"/g, '""')}"`;
  // each part against the same columns read as text and written as they are
  const part = async (what: string, names: string[], select: string, params: Record<string, unknown>, where = 'true') => {
    const raw = await time(names.map(quoted).join(', '), {});
    const seconds = await time(select, params, where);
    list.push({ what, columns: names.length, seconds, overRead: seconds - raw });
  };
  for (const [what, pick] of groups) {
    const subset = cols.filter((c) => pick(c.name));
    if (!subset.length) continue;
    // the part's own columns typed (and the period check on date-times); the typed columns absent from the
    // subset are NULL constants, which cost nothing
    const { select, check } = buildSelectList(0, subset);
    await part(what, subset.map((c) => c.name), select.text, { ...select.params, ...check.params }, check.text);
  }
  const extra = cols.filter((c) => !kindOf.has(c.name.toLowerCase()) && c.name.toLowerCase() !== 'tags').map((c) => c.name);
  if (extra.length) {
    await part('other columns kept as text (one list per row)', extra,
      `list_value(${extra.map((n) => `CAST(${quoted(n)} AS VARCHAR)`).join(', ')})`, {});
  }
  const facts = METER_FACTS.filter((f) => header.includes(f));
  await part('meter key (a hash of the meter facts)', facts, `hash(${facts.map(quoted).join(', ')})`, {});
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

export function profileMarkdown(profiles: IngestProfile[]): string {
  if (!profiles.length) return '';
  return `## Where billing ingest time goes

Per phase: \`ingest focus\` of the file with TOKENLEDGER_TRACE=1 (every statement timed), statements grouped by what they do;
what is not SQL is the rest of the wall time ("commit" counts every transaction's, migrations' included). Per kind of
column: that part of the typed SELECT alone written to a scratch table, against the same columns read as text and written
as they are (\`read_csv\`, every column VARCHAR, the ingest's options), in one process.

${profiles.map((p) => `### ${p.rows.toLocaleString('en-US')} rows, ${p.columns} columns (${p.input.split('/').slice(-2).join('/')}), ` +
  `${p.wallSeconds.toFixed(2)} s in all

| phase | statements | seconds | share |
|---|---:|---:|---:|
${p.phases.map((x) => `| ${x.phase} | ${x.statements || '-'} | ${x.seconds.toFixed(2)} | ${
    (100 * x.seconds / p.wallSeconds).toFixed(0)} % |`).join('\n')}

The whole file read as text and written: ${p.readSeconds.toFixed(2)} s.

| columns of the typed SELECT | columns | seconds alone | beyond the same columns as text |
|---|---:|---:|---:|
${p.expressions.map((x) => `| ${x.what} | ${x.columns} | ${x.seconds.toFixed(2)} | ${x.overRead.toFixed(2)} |`).join('\n')}
`).join('\n')}`;
}
