/**
 * Every report as a user runs it, in `npm run bench`: `tokenledger report <name>` as a whole process (node
 * start, store open, data status, the report, JSON out) on the year store of the unit-economics benchmark,
 * best of 3 wall times each. Target (issue 17): at most 0.5 s. The same process's floor is measured beside
 * it (node start and the DuckDB library loaded and the store opened, with nothing asked), so what is left to
 * the report itself shows.
 */
import { measuredOnNow } from './machine.js';
import { REPORTS_LEFT } from './what-is-left.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { REPORT_NAMES } from '../report/registry.js';
import { BENCH_BUDGETS, benchReportParams, writeBenchConfig } from './economics.js';

export interface ReportTiming { name: string; args: string; seconds: number; exit: number; rows: number | null }
export interface ReportsBenchResult {
  floorSeconds: number;
  reports: ReportTiming[];
  /** Where and when these were measured (sections of one file can come from different runs: --only). */
  measuredOn?: string;
}

/** The installed program, bundled by `npm run build` (the bench script builds it first; scripts/bundle.mjs). */
const CLI = resolve('dist', 'bin', 'tokenledger.js');

/** What each report needs to answer for the month, as CLI options (the dashboard bench asks the same). */
const argsFor = (name: string, month: string) => Object.entries(benchReportParams(name, month)).flatMap(([k, v]) => [`--${k}`, v]);

function wall(args: string[]): { seconds: number; exit: number; out: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, exit: r.status ?? -1, out: r.stdout };
}

export function benchReports(store: string, dir: string, month: string): ReportsBenchResult {
  const config = writeBenchConfig(dir);
  // the floor: the same node, the DuckDB library (required: the cheapest way to load it) and the store,
  // opened read-only, one trivial statement
  const requireHere = `(await import('node:module')).createRequire(${JSON.stringify(import.meta.url)})`;
  const floorScript = `const { DuckDBInstance } = ${requireHere}('@duckdb/node-api');
    const i = await DuckDBInstance.create(${JSON.stringify(store)}, { access_mode: 'READ_ONLY' });
    const c = await i.connect(); await c.run('SELECT 1'); c.closeSync(); i.closeSync();`;
  const floor = Math.min(...[0, 1, 2].map(() => {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, ['--input-type=module', '-e', floorScript]);
    return Number(process.hrtime.bigint() - t) / 1e9;
  }));
  const reports: ReportTiming[] = [];
  for (const name of REPORT_NAMES) {
    const extra = argsFor(name, month);
    const args = [CLI, 'report', name, '--store', store, '--config', config, '--format', 'json', '--allow-incomplete',
      '--today', '2026-11-15', ...extra];
    const runs = [0, 1, 2].map(() => wall(args));
    const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    let rows: number | null = null;
    try {
      rows = (JSON.parse(best.out) as { rows?: unknown[] }).rows?.length ?? null;
    } catch {
      rows = null;
    }
    reports.push({ name, args: extra.join(' '), seconds: best.seconds, exit: best.exit, rows });
    process.stdout.write(`  report ${name}: ${best.seconds.toFixed(2)} s (exit ${best.exit})\n`);
  }
  const measuredOn = measuredOnNow();
  return { floorSeconds: floor, reports, measuredOn };
}

/** The section of docs/benchmarks.md. */
export function reportsMarkdown(r: ReportsBenchResult | null): string {
  if (!r) return '';
  const met = r.reports.filter((x) => x.seconds <= 0.5).length;
  return `## Every report, whole process

\`tokenledger report <name> --format json\` on the year store of the unit-economics benchmark above (1M billing rows,
10M telemetry requests, 1M events; the demo's incidents in its last month, a retry storm, a model swap and a context creep,
for anomalies; its capacity snapshots for every month, for quota, capacity-reservations, gpu and throughput; ${
  BENCH_BUDGETS.length} budgets
of cost and token measures over month, quarter, year and rolling periods, scoped by feature, team and model, in the bench
configuration, economics.ts), each as its own process, best of 3 wall times: node start, store open, the data
status, the report and its JSON. Target (issue 17): at most 0.5 s (issues 14 and 16: budgets, anomalies, forecast,
quota, capacity-reservations, gpu and throughput under 2 s). The floor of such a process (node, the DuckDB
library and the store opened, one trivial statement) is **${r.floorSeconds.toFixed(2)} s** here. Within the target: ${met} of
${r.reports.length} reports.${r.measuredOn ? ` Measured on ${r.measuredOn} (this section's run).` : ''}

| report | options | seconds | over the floor | exit | rows |
|---|---|---:|---:|---:|---:|
${r.reports.map((x) => `| ${x.name} | ${x.args || '-'} | ${x.seconds.toFixed(2)} | ${(x.seconds - r.floorSeconds).toFixed(2)} | ${
    x.exit} | ${x.rows ?? '-'} |`).join('\n')}

${REPORTS_LEFT}

`;
}
