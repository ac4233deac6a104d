/**
 * `tokenledger demo`: writes a realistic Azure FOCUS 1.2-preview export for Fabrikam, Inc. (several
 * months of daily rows) and the token telemetry of its features, ingests both into the store and prints
 * the main reports. Deterministic for a
 * given --seed and --end; --rows scales the company (more copies of its resources).
 */
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../../domain/errors.js';
import { dayBefore } from '../../domain/month.js';
import { addMonths, ROWS_PER_CLONE_PER_MONTH } from '../../demo/generate.js';
import { demoMapping, writeDemoTelemetry } from '../../demo/telemetry.js';
import { RESOURCES } from '../../demo/catalog.js';
import { resourceIdOf } from '../../demo/generate.js';
import { writeDemoExport } from '../../demo/write-export.js';
import { writeDemoConfig, writeDemoEvents } from '../../demo/events.js';
import { existsSync } from 'node:fs';
import { DEFAULT_CONFIG_FILE, DEFAULT_STORE } from '../../config/config.js';
import { runIngestEvents } from './ingest-events.js';
import { writeDemoCapacity } from '../../demo/capacity.js';
import { writeSelfHostedTelemetry } from '../../demo/gpu-fleet.js';
import { runIngestCapacity } from './ingest-capacity.js';
import { runIngestFocus } from './ingest-focus.js';
import { runIngestTelemetry } from './ingest-telemetry.js';
import { runReport } from './report.js';
import type { GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';

export interface DemoOptions extends GlobalOptions {
  seed: string;
  rows?: string;
  months: string;
  out: string;
  end?: string;
  ingest: boolean;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${v}: expected a positive whole number`);
  return n;
}

export function previousMonth(today = new Date()): string {
  return addMonths(today.toISOString().slice(0, 7), -1);
}

export async function runDemo(o: DemoOptions, fx: Effects): Promise<void> {
  const seed = positiveInt('--seed', o.seed);
  const monthCount = positiveInt('--months', o.months);
  const end = o.end ?? previousMonth(fx.now());
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(end)) throw new UsageError(`--end ${end}: expected YYYY-MM`);
  const months = Array.from({ length: monthCount }, (_, i) => addMonths(end, i - monthCount + 1));
  const clones = o.rows ? Math.max(1, Math.round(positiveInt('--rows', o.rows) / (ROWS_PER_CLONE_PER_MONTH * monthCount))) : 1;
  const out = resolve(fx.cwd, o.out);
  const runs = await writeDemoExport(join(out, 'billing'), { months, clones, seed });
  // telemetry runs two days past the last billed day, as it does before an export arrives (report estimate prices them),
  // with the usage log of the self-hosted model its inference GPU VM serves (demo/gpu-fleet.ts)
  const telemetry = [...await writeDemoTelemetry(out, { months, clones, seed }, { unbilledDays: 2 }),
    ...writeSelfHostedTelemetry(out, { months, seed })];
  const events = writeDemoEvents(out, { months, clones, seed });
  // the demo's own tokenledger.yaml (units, sharing rules) unless the user brought one
  const store = resolve(fx.cwd, o.store ?? DEFAULT_STORE);
  const demoConfig = o.config ?? writeDemoConfig(out, store);
  // in a folder without a tokenledger.yaml, leave the demo's where the next commands (the README tour) find it
  const here = resolve(fx.cwd, DEFAULT_CONFIG_FILE);
  const leftHere = !o.config && !existsSync(here) ? writeDemoConfig(fx.cwd, store, { here: true }) : null;
  const config = leftHere ?? demoConfig;
  const rows = runs.reduce((a, r) => a + r.rows, 0);
  fx.stdout(`Wrote a FOCUS 1.2-preview export for Fabrikam, Inc.: ${months[0]} to ${end}, ${rows.toLocaleString('en-US')} ` +
    `rows, ${runs.length} export runs under ${join(out, 'billing')}\n`);
  fx.stdout(`Wrote its token telemetry (JSONL usage logs, APIM token metrics, OTLP spans, ` +
    `APIM LLM and gateway logs, a self-hosted model's usage log) under ${join(out, 'telemetry')}\n`);
  const rules = leftHere
    ? `, and its unit types and sharing rules in ${leftHere} (commands in this folder read it; a copy is in ${demoConfig})`
    : o.config ? '' : `, and its unit types and sharing rules in ${config}`;
  fx.stdout(`Wrote its business events (tickets CSV, documents and leads JSONL) under ${join(out, 'events')}${rules}\n`);
  fx.stdout(`Its last month is ${end}: use --month ${end} in the commands below and in the README's tour.\n\n`);
  if (!o.ingest) return;
  const g: GlobalOptions = { store, config };
  // one allocation build, after the telemetry (billing alone would be allocated and then again)
  await runIngestFocus([join(out, 'billing')], { ...g, format: 'table', allocate: false }, fx);
  fx.stdout('\n');
  await runIngestTelemetry(telemetry, { ...g, format: 'table', mapping: demoMapping(RESOURCES.map((r) => resourceIdOf(r))) }, fx);
  fx.stdout('\n');
  await runIngestEvents(events, { ...g, format: 'table' }, fx);
  fx.stdout('\n');
  // capacity snapshots of the last month (quota, reservations, GPU and throughput metrics): src/demo/capacity.ts
  const capacity = writeDemoCapacity(out, { months, seed });
  for (const b of capacity) await runIngestCapacity(b.paths, { ...g, format: 'table', quiet: true, ...b }, fx);
  fx.stdout(`Ingested its capacity snapshots (${capacity.reduce((n, b) => n + b.paths.length, 0)} files under ` +
    `${relative(fx.cwd, join(out, 'capacity')) || 'capacity'}): report quota, capacity-reservations, gpu and throughput read them.\n\n`);
  await runReport('summary', { ...g, format: 'table' }, fx);
  fx.stdout('\n');
  await runReport('cost-per-token', { ...g, format: 'table', month: end }, fx);
  fx.stdout('\n');
  await runReport('allocation', { ...g, format: 'table', month: end, by: ['feature'] }, fx);
  fx.stdout('\n');
  await runReport('unclassified', { ...g, format: 'table' }, fx);
  fx.stdout('\n');
  await runReport('unit-economics', { ...g, format: 'table', month: end }, fx);
  if (monthCount > 1) {
    fx.stdout('\n');
    await runReport('variance', { ...g, format: 'table', month: end }, fx);
  }
  const c = o.config || leftHere ? '' : `--config ${relative(fx.cwd, config)} `;
  fx.stdout('\n');
  const { runExportCfoPack } = await import('./export.js');
  // relative to the folder the demo runs in, as the command prints them
  const shown = (f: string) => relative(fx.cwd, join(out, f)) || f;
  await runExportCfoPack({ ...g, month: end, out: shown(`cfo-pack-${end}.xlsx`), html: shown(`cfo-pack-${end}.html`) }, fx);
  const next = [
    `check`, `report reconcile --month ${end}`, `explain unit-cost --unit ticket --month ${end}`,
    `report chargeback --by team --month ${end}`, 'report unit-economics --unit ticket', `report variance --month ${end} --unit ticket`,
    'report sensitivity --unit ticket --response-length +20% --retries +5% --model gpt-4o-mini',
    `report allocation --by team --month ${end}`, `report meter-matrix --month ${end}`, 'report cost-per-token --by resource --format json',
    'report ingestions', `report quota --month ${end}`, `report capacity-reservations --month ${end}`, `report gpu --month ${end}`,
    `report throughput --month ${end}`, `report budgets --month ${end}`, `report anomalies --month ${end}`, 'report forecast',
    `alerts --dry-run --today ${dayBefore(`${addMonths(end, 1)}-01`)}`, 'serve',
  ];
  fx.stdout(`\nNext, for example:\n${next.map((n) => `  npx tokenledger ${c}${n}`).join('\n')}\n`);
}
