/**
 * `npm run forecast-eval`: the forecasts' accuracy on a year of the demo company (12 months of billing and
 * telemetry, seed 11), by rolling-origin backtest, written to forecast-results.json and to the "Forecast
 * accuracy" section of docs/benchmarks.md (kept when `npm run bench` rewrites the file).
 *
 * 1. Generate and ingest the year; the allocation is built as a writing command builds it.
 * 2. The daily effective-cost series of the total and of each feature (src/budgets/series.ts).
 * 3. Each series through src/forecast/: every method's backtest up to 90 days; the chosen method's WAPE,
 *    MAPE and 80 / 95 % interval coverage per 30-day block. The targets (issue 14): WAPE at a one-month
 *    horizon under 12 %, coverage within 10 points of nominal.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureAllocation } from '../allocate/materialize.js';
import { addDays, dailySeries } from '../budgets/series.js';
import { RESOURCES } from '../demo/catalog.js';
import { resourceIdOf } from '../demo/generate.js';
import { demoMapping, writeDemoTelemetry } from '../demo/telemetry.js';
import { writeDemoExport } from '../demo/write-export.js';
import { addMonths } from '../domain/month.js';
import { forecastSeries } from '../forecast/index.js';
import { healPendingRows } from '../ingest/common/heal.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { Ledger } from '../ledger/ledger.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';

const OUT = resolve(process.env.TOKENLEDGER_BENCH_DIR ?? 'bench-data', 'forecast-year');
const MONTHS = Array.from({ length: 12 }, (_, i) => addMonths('2026-10', i - 11));
export const FORECAST_RESULTS = 'forecast-results.json';
const TITLE = '## Forecast accuracy';

interface SeriesResult { key: string; days: number; method: string; blocks: { days: string; origins: number; wape: number | null;
  mape: number | null; coverage80: number | null; coverage95: number | null }[]; candidates: Record<string, number | null> }

async function evaluate(): Promise<{ date: string; months: string[]; series: SeriesResult[] }> {
  rmSync(OUT, { recursive: true, force: true });
  const plan = { months: MONTHS, clones: 1, seed: 11, incidents: false };
  await writeDemoExport(join(OUT, 'billing'), plan);
  const telemetry = await writeDemoTelemetry(join(OUT, 'tel'), plan);
  const store = await Store.open(join(OUT, 'ledger.duckdb'));
  try {
    await ingestFocus(store, [join(OUT, 'billing')], { rules: loadRules() });
    await ingestTelemetry(store, telemetry, { mapping: demoMapping(RESOURCES.map(resourceIdOf)) });
    await healPendingRows(store);
    await ensureAllocation(store);
    const ledger = new Ledger(store, { path: null });
    const to = `${addMonths(MONTHS.at(-1)!, 1)}-01`;
    const from = addDays(`${MONTHS[0]}-01`, 0);
    const total = await dailySeries(ledger, { measure: 'cost', costBasis: 'effective', scope: {}, from, to });
    const features = await dailySeries(ledger, { measure: 'cost', costBasis: 'effective', scope: {}, by: 'feature', from, to });
    const series: SeriesResult[] = [];
    for (const s of [...total.map((x) => ({ ...x, key: 'total' })), ...features]) {
      const f = forecastSeries(s.values, 90);
      const r4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
      series.push({ key: s.key ?? 'total', days: s.values.length, method: f.method,
        blocks: f.accuracy.blocks.map((b) => ({ days: `${(b.block - 1) * 30 + 1}-${b.block * 30}`, origins: b.origins, wape: r4(b.wape),
          mape: r4(b.mape), coverage80: r4(b.coverage80), coverage95: r4(b.coverage95) })),
        candidates: Object.fromEntries(f.backtests.map((b) => [b.method, r4(b.blocks[0]?.wape ?? null)])) });
    }
    return { date: new Date().toISOString().slice(0, 10), months: MONTHS, series };
  } finally {
    store.close();
  }
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);

/** The section's markdown from forecast-results.json, or '' when there are none. */
export function forecastMarkdown(path = FORECAST_RESULTS): string {
  if (!existsSync(path)) return '';
  const r = JSON.parse(readFileSync(path, 'utf8')) as Awaited<ReturnType<typeof evaluate>>;
  const lines = [TITLE, '',
    `\`npm run forecast-eval\` (${r.date}): a year of the demo company (${r.months[0]} .. ${r.months.at(-1)}, seed 11, no injected ` +
      'incidents), effective cost per day; rolling-origin backtests (origins every 7 days from day 28), accuracy of 30-day totals ' +
      'of the method chosen per series; coverage with intervals built from earlier origins only. Targets: WAPE at 1-30 days under ' +
      '12 %, coverage within 10 points of 80 % / 95 %.', '',
    '| series | days | method | WAPE 1-30 | MAPE 1-30 | WAPE 31-60 | WAPE 61-90 | coverage 80 % (1-30) | coverage 95 % (1-30) | ' +
      'origins (1-30) ' +
      '| WAPE 1-30 of each method (seasonal naive / damped / linear) |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const s of r.series) {
    const b = (i: number) => s.blocks[i];
    lines.push(`| ${s.key} | ${s.days} | ${s.method} | ${pct(b(0)?.wape ?? null)} | ${pct(b(0)?.mape ?? null)} | ` +
      `${pct(b(1)?.wape ?? null)} | ` +
      `${pct(b(2)?.wape ?? null)} | ${pct(b(0)?.coverage80 ?? null)} | ${pct(b(0)?.coverage95 ?? null)} | ${b(0)?.origins ?? 0} | ` +
      `${['seasonal-naive', 'damped-trend', 'linear-trend'].map((m) => pct(s.candidates[m] ?? null)).join(' / ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** Put the section into docs/benchmarks.md, replacing an older one. */
export function writeForecastSection(path = join('docs', 'benchmarks.md')): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const at = doc.indexOf(TITLE);
  if (at < 0) { writeFileSync(path, `${doc.trimEnd()}\n\n${forecastMarkdown()}`); return; }
  const next = doc.indexOf('\n## ', at + TITLE.length);
  writeFileSync(path, doc.slice(0, at) + forecastMarkdown() + (next >= 0 ? doc.slice(next) : ''));
}

if (process.argv[1]?.endsWith('forecast-eval.js')) {
  const r = await evaluate();
  writeFileSync(FORECAST_RESULTS, JSON.stringify(r, null, 2) + '\n');
  writeForecastSection();
  process.stdout.write(forecastMarkdown());
}
