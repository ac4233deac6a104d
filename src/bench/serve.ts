/**
 * The dashboard's latency, in `npm run bench`: the server started as its own process on the year store
 * of the unit-economics benchmark (so the load generator does not share its event loop), then:
 *
 * 1. start time: from spawn to the printed URL, best and worst of 3 starts;
 * 2. per report route, GET /api/reports/<name> for the last month: one user (sequential requests after a
 *    warm-up) and 20 concurrent users, p50 / p95 / max of the response times;
 * 3. the overview page's first render in Chromium (navigation to the load event), when Chromium is here.
 * Targets (issue 13): p95 under 100 ms for one user and 300 ms at 20; first render under 1.5 s; start
 * well under a second.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_NAMES } from '../report/registry.js';
import { benchReportParams, writeBenchConfig } from './economics.js';

export interface RouteLatency { route: string; status: number; single: Stats; concurrent: Stats }
export interface Stats { n: number; p50: number; p95: number; max: number }
export interface ServeBenchResult {
  startMs: { best: number; worst: number };
  routes: RouteLatency[];
  overviewMs: { first: number; best: number } | null;
  users: number;
}

const CHILD = join(import.meta.dirname, 'serve-child.js');
const USERS = Number(process.env.TOKENLEDGER_BENCH_USERS ?? 20);
const SINGLE = Number(process.env.TOKENLEDGER_BENCH_SINGLE ?? 20);

/** The query string that makes each report answer for the month. */
const query = (name: string, month: string) => new URLSearchParams(benchReportParams(name, month)).toString();

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? 0;
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? 0 };
}

async function timed(url: string): Promise<{ ms: number; status: number }> {
  const t = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  return { ms: performance.now() - t, status: res.status };
}

function start(store: string, config: string): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t = performance.now();
  const child = spawn(process.execPath, [CHILD, store, config], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /^url (\S+)$/m.exec(out);
      if (m) resolve({ child, url: m[1]!, ms: performance.now() - t });
    });
    child.on('exit', (code) => reject(new Error(`the server exited ${code}: ${out}`)));
  });
}

const stop = (c: ChildProcess) => new Promise<void>((done) => {
  c.removeAllListeners('exit');
  c.on('exit', () => done());
  c.kill('SIGTERM');
});

export async function benchServe(store: string, dir: string, month: string, chromium: string | null): Promise<ServeBenchResult> {
  const config = writeBenchConfig(dir);
  // 1. start time
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await start(store, config);
    starts.push(s.ms);
    await stop(s.child);
  }
  const { child, url } = await start(store, config);
  try {
    // 2. every report route, one user then USERS at once
    const routes: RouteLatency[] = [];
    for (const name of REPORT_NAMES) {
      const route = `${url}api/reports/${name}?${query(name, month)}`;
      const warm = await timed(route);
      const single: number[] = [];
      for (let i = 0; i < SINGLE; i++) single.push((await timed(route)).ms);
      const concurrent: number[] = [];
      await Promise.all(Array.from({ length: USERS }, async () => {
        for (let i = 0; i < 2; i++) concurrent.push((await timed(route)).ms);
      }));
      routes.push({ route: `/api/reports/${name}`, status: warm.status, single: stats(single), concurrent: stats(concurrent) });
      process.stdout.write(`  ${name}: ${warm.status}, p95 ${stats(single).p95.toFixed(0)} ms alone, ` +
        `${stats(concurrent).p95.toFixed(0)} ms at ${USERS}\n`);
    }
    // 3. the overview in Chromium
    let overviewMs: ServeBenchResult['overviewMs'] = null;
    if (chromium && existsSync(chromium)) {
      const { chromium: pw } = await import('playwright-core');
      const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu'] });
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage();
        const t = performance.now();
        await page.goto(`${url}?month=${month}`, { waitUntil: 'load' });
        times.push(performance.now() - t);
        await page.close();
      }
      await browser.close();
      overviewMs = { first: times[0]!, best: Math.min(...times) };
    }
    return { startMs: { best: Math.min(...starts), worst: Math.max(...starts) }, routes, overviewMs, users: USERS };
  } finally {
    await stop(child);
  }
}

/** The section of docs/benchmarks.md. */
export function serveMarkdown(r: ServeBenchResult | null, data: string): string {
  if (!r) return '';
  const f = (n: number) => n.toFixed(0);
  return `
## Dashboard latency (\`tokenledger serve\`)

${data} The server runs as its own process (each request opens the store read-only and closes it, so an
ingest can take the write lock between requests); requests over loopback with Node's fetch. Start: from
spawn to the printed URL, best ${f(r.startMs.best)} ms, worst ${f(r.startMs.worst)} ms of 3 (target well
under 1,000). Overview page in Chromium, navigation to the load event: ${r.overviewMs
    ? `first ${f(r.overviewMs.first)} ms, best ${f(r.overviewMs.best)} ms of 3 (target under 1,500)` : 'not measured (no Chromium)'}.

| route (last month) | status | 1 user p50 / p95 / max (ms, target p95 < 100) | ${r.users} users p50 / p95 / max (ms, target p95 < 300) |
|---|---:|---:|---:|
${r.routes.map((x) => `| ${x.route} | ${x.status} | ${f(x.single.p50)} / ${f(x.single.p95)} / ${f(x.single.max)} | ${
  f(x.concurrent.p50)} / ${f(x.concurrent.p95)} / ${f(x.concurrent.max)} |`).join('\n')}
`;
}
