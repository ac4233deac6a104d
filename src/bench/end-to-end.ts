/**
 * The job a FinOps analyst would otherwise do in a notebook, in `npm run bench` (issue 17, "end to end"):
 * from a FOCUS export (CSV.gz) to the cost per 1M tokens per model and token type.
 * - tokenledger: `tokenledger ingest focus FILE` into a new store, then `tokenledger report cost-per-token
 *   --month M --format json`, each as a whole process, as a user runs them (the ingest's defaults included:
 *   it types, validates and keeps every column, and builds the stored allocation);
 * - pandas (Debian's python3-pandas; skipped with a note where it is missing): `read_csv` of the file, the
 *   token meters kept, sum of cost over sum of quantity per meter (src/bench/e2e-pandas.py);
 * - plain DuckDB: the same question asked of the file directly, no store (e2e-duckdb.ts).
 * Best of 3 wall times, the three taking turns; the total token cost each found is kept, so a reader can
 * see they answered the same question (tokenledger's is exact, the peers' are floating point).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { roundDecimal, sumDecimals } from '../domain/decimal.js';
import { stampLine } from './machine.js';

export interface EndToEndRun { name: string; seconds: number; cost: string | null; note?: string; ingestSeconds?: number;
  reportSeconds?: number; rows?: number }
export interface EndToEndResult { input: string; rows: number; month: string; runs: EndToEndRun[] }

/** The installed program (package.json bin), bundled by `npm run build`. */
const CLI = resolve('dist', 'bin', 'tokenledger.js');
const PEER = resolve('dist-bench', 'bench', 'e2e-duckdb.js');
const PANDAS = resolve('src', 'bench', 'e2e-pandas.py');

function timed(cmd: string, args: string[], cwd?: string): { seconds: number; out: string; code: number; err: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, out: r.stdout ?? '', code: r.status ?? -1, err: r.stderr ?? '' };
}

/** A Python with pandas: Debian's (python3-pandas) first, then whatever `python3` is on the PATH. */
function pandasPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

function tokenledger(input: string, month: string): EndToEndRun {
  const dir = mkdtempSync(join(tmpdir(), 'tl-e2e-'));
  try {
    const store = join(dir, 'store.duckdb');
    const ingest = timed(process.execPath, [CLI, 'ingest', 'focus', input, '--store', store], dir);
    if (ingest.code !== 0) throw new Error(`ingest focus exited ${ingest.code}: ${ingest.err.slice(0, 500)}`);
    const report = timed(process.execPath, [CLI, 'report', 'cost-per-token', '--month', month, '--store', store, '--format', 'json',
      '--allow-incomplete'], dir);
    if (report.code !== 0) throw new Error(`report cost-per-token exited ${report.code}: ${report.err.slice(0, 500)}`);
    const rows = (JSON.parse(report.out) as { rows: { cost: number | string }[] }).rows;
    // each cost as its shortest decimal text, summed as decimals and rounded to cents for the table
    const cost = roundDecimal(sumDecimals(rows.map((r) => String(r.cost))), 2);
    return { name: 'tokenledger (ingest focus + report cost-per-token)', seconds: ingest.seconds + report.seconds,
      ingestSeconds: ingest.seconds, reportSeconds: report.seconds, cost };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function peer(name: string, cmd: string, args: string[]): EndToEndRun {
  const r = timed(cmd, args);
  if (r.code !== 0) throw new Error(`${name} exited ${r.code}: ${r.err.slice(0, 500)}`);
  const out = JSON.parse(r.out.trim().split('\n').pop()!) as { cost: number; rows: number };
  return { name, seconds: r.seconds, cost: out.cost.toFixed(2), rows: out.rows };
}

export function benchEndToEnd(input: string, month: string, runs = 3): EndToEndResult {
  const py = pandasPython();
  const best = new Map<string, EndToEndRun>();
  const keep = (r: EndToEndRun) => {
    const b = best.get(r.name);
    if (!b || r.seconds < b.seconds) best.set(r.name, r);
  };
  for (let i = 0; i < runs; i++) {
    keep(tokenledger(input, month));
    if (py) keep(peer('pandas (read_csv + groupby)', py, [PANDAS, input]));
    keep(peer('plain DuckDB (one query over the file)', process.execPath, [PEER, input]));
  }
  const out = [...best.values()];
  if (!py) out.push({ name: 'pandas (read_csv + groupby)', seconds: NaN, cost: null,
    note: 'skipped: no Python with pandas here (Debian: apt-get install python3-pandas)' });
  // the rows of the file, as the peers read them
  return { input, rows: out.find((x) => x.rows !== undefined)?.rows ?? 0, month, runs: out };
}

const fmt = (n: number) => n.toFixed(2);

export function endToEndMarkdown(r: EndToEndResult | null, measuredOn?: string): string {
  if (!r) return '';
  const ours = r.runs.find((x) => x.name.startsWith('tokenledger'))!;
  const pandas = r.runs.find((x) => x.name.startsWith('pandas'));
  const ratio = pandas && Number.isFinite(pandas.seconds) ? ours.seconds / pandas.seconds : null;
  const rowOf = (x: EndToEndRun) => {
    const seconds = Number.isFinite(x.seconds) ? fmt(x.seconds) : '-';
    const toPandas = ratio !== null && Number.isFinite(x.seconds) ? fmt(x.seconds / pandas!.seconds) : '-';
    const note = x.note ?? (x.ingestSeconds !== undefined ? `ingest ${fmt(x.ingestSeconds)} s, report ${fmt(x.reportSeconds!)} s` : '');
    return `| ${x.name} | ${seconds} | ${toPandas} | ${x.cost ?? '-'} | ${note} |`;
  };
  return `## End to end: from the export to the cost per token

${stampLine(measuredOn)}The job a FinOps analyst would otherwise do in a notebook, on ${relative(process.cwd(), r.input)}
(${r.rows.toLocaleString('en-US')} rows, month ${r.month}):
tokenledger as a user runs it (\`ingest focus\` into a new store, with its defaults, then \`report cost-per-token --month\`,
two whole processes); a pandas script (\`read_csv\`, the token meters (priced per 1K or 1M tokens), sum of cost over sum
of quantity per meter: src/bench/e2e-pandas.py; Debian's python3-pandas); and plain DuckDB asked the same of the file. The
three must find the same total token cost (a notebook matching "tokens" in the meter name would miss the batch and mini
meters, a third of it here). Best of 3 wall times, taken in turns. Target (issue 17):
tokenledger no slower than pandas (ratio at most 1.0; aim 0.5).

| job | seconds | ratio to pandas | total token cost found | note |
|---|---:|---:|---:|---|
${r.runs.map(rowOf).join('\n')}

${ratio === null ? 'pandas was not available: no ratio.'
    : `tokenledger / pandas: **${fmt(ratio)}** (${ratio <= 1 ? 'within' : 'over'} the target of 1.0).`}
`;
}

const SAVED = 'bench-e2e.json';

/** Keep the result beside bench-results.json (its own file, so `--only e2e` leaves the other sections alone). */
export function saveEndToEnd(r: EndToEndResult): void {
  writeFileSync(SAVED, `${JSON.stringify(r, null, 2)}\n`);
}

/** The last saved result, for the markdown of any bench run, or null. */
export function keptEndToEnd(): EndToEndResult | null {
  return existsSync(SAVED) ? (JSON.parse(readFileSync(SAVED, 'utf8')) as EndToEndResult) : null;
}
