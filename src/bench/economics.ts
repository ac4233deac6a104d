/**
 * The unit-economics benchmark: a year of daily data for 20 features (about 1M billing rows, 10M
 * telemetry requests, 1M business events), then `unit-economics` and `variance` timed in a fresh process
 * each, the way a user runs them after ingest. The year's billing is the demo company's (src/demo/), with the
 * demo's incidents in its last month (a retry storm, a context-window creep, a model swap: demo/incidents.ts)
 * for `report anomalies` to find; its capacity snapshots are the demo's, written for every month of the year
 * (demo/capacity.ts) for quota, capacity-reservations, gpu and throughput; and the configuration has budgets
 * of every measure, period and scope kind (BENCH_BUDGETS) for `report budgets`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { BudgetsSchema } from '../config/budgets.js';
import { gpuJobMapper, type GpuJobRule } from '../config/capacity.js';
import type { EconomicsConfig } from '../config/economics.js';
import { writeDemoCapacity } from '../demo/capacity.js';
import { ingestCapacity } from '../ingest/capacity/ingest.js';
import { addMonths } from '../domain/month.js';
import { ensureAllocation } from '../allocate/materialize.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { insertIngestion } from '../ingest/common/ledger-log.js';
import { loadRules } from '../normalize/rules.js';
import { parsePeriod } from '../domain/period.js';
import { isReportName, reportRequest, runRequest } from '../report/registry.js';
import { Ledger } from '../ledger/ledger.js';
import { Store } from '../store/db.js';
import { addTelemetryRollups } from '../store/telemetry-rollup.js';
import { BENCH_UNITS, benchFeature } from './telemetry-inputs.js';

/** The year of the benchmark (its last month is the month every report is asked for) and the demo seed of its data. */
export const BENCH_MONTHS = Array.from({ length: 12 }, (_, i) => addMonths('2026-10', i - 11));
export const BENCH_SEED = 13;
/**
 * What bench-data/economics-year/billing.done holds: the generator the billing was written with. A folder
 * written by another (before the demo had its incidents) is written again.
 */
export const BENCH_BILLING_VERSION = 'demo export with the incidents of demo/incidents.ts in its last month\n';

/** Unit types over the 20 features, and the demo's sharing rules. */
export const BENCH_ECONOMICS: EconomicsConfig = {
  units: Object.fromEntries(BENCH_UNITS.map((u, i) => [u, { features: [0, 1, 2, 3].map((j) => benchFeature(i + 5 * j)) }])),
  sharing: [
    { name: 'vector-store', match: { service_name: 'Azure AI Search' }, basis: 'units' },
    { name: 'ai-gateway', match: { service_name: 'API Management' }, basis: 'fixed_plus_units', fixed: '300' },
    { name: 'logs-and-storage', match: { service_name: ['Log Analytics', 'Storage Accounts'] }, basis: 'tokens' },
    { name: 'security', classes: ['overhead'], basis: 'percent',
      percent: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [benchFeature(k), 5])) },
  ],
};

/**
 * Budgets over the year store's spend (October 2026: about 6.7M USD in all, 0.2M per feature-N, 0.9M per
 * team-N, 2e11 tokens per feature): cost and token measures, month / quarter / year / rolling periods, scopes by
 * feature, team and model, sized so that some are within, some near and some over their amount.
 */
export const BENCH_BUDGETS = [
  { name: 'ai-total-monthly', measure: 'cost', amount: 7000000, period: 'month' },
  { name: 'feature-3-monthly', scope: { feature: 'feature-3' }, measure: 'cost', amount: 200000, period: 'month' },
  { name: 'support-copilot-monthly', scope: { feature: 'support-copilot' }, measure: 'cost', amount: 1500000, period: 'month' },
  { name: 'team-2-quarterly', scope: { team: 'team-2' }, measure: 'cost', amount: 2900000, period: 'quarter' },
  { name: 'team-1-frontier-models', scope: { team: 'team-1', model: ['gpt-4o', 'gpt-4.1', 'gpt-5'] }, measure: 'cost', amount: 500000,
    period: 'month' },
  { name: 'ml-research-yearly', scope: { team: 'ml-research' }, measure: 'cost', amount: 4000000, period: 'year' },
  { name: 'gpt-4o-tokens-30d', scope: { model: 'gpt-4o' }, measure: 'tokens', amount: 600000000000, period: { rolling_days: 30 } },
  { name: 'feature-7-input-tokens', scope: { feature: 'feature-7' }, measure: 'tokens.input', amount: 200000000000, period: 'month',
    thresholds: [{ at: 80 }, { at: 100 }] },
];

/** The demo's GPU job rules (demo/events.ts writeDemoConfig): its pods' GPU-seconds go to their feature and team. */
const BENCH_JOBS: GpuJobRule[] = [
  { match: { namespace: 'ml-research', pod: 'finetune-*' }, feature: 'fine-tuning', team: 'ml-research' },
  { match: { namespace: 'inference' }, feature: 'llm-serving', team: 'ml-platform' },
];

/** BENCH_ECONOMICS as the Ledger's configuration (with its budgets parsed as tokenledger.yaml's are). */
export const BENCH_LEDGER_CONFIG = { ...BENCH_ECONOMICS, budgets: BudgetsSchema.parse(BENCH_BUDGETS), capacity: { jobs: BENCH_JOBS } };

/** BENCH_ECONOMICS and BENCH_BUDGETS as a tokenledger.yaml in `dir`, for the processes the benches start (CLI, server); its path. */
export function writeBenchConfig(dir: string): string {
  const config = join(dir, 'tokenledger-bench.yaml');
  writeFileSync(config, stringify({ units: BENCH_ECONOMICS.units, sharing: BENCH_ECONOMICS.sharing, budgets: BENCH_BUDGETS,
    capacity: { jobs: BENCH_JOBS } }));
  return config;
}

/**
 * The demo's capacity snapshots for every month of `months` (demo/capacity.ts: compute and Quota Group usages,
 * the capacity reservation twice a month, DCGM samples of the GPU VMs hour by hour, Azure OpenAI usages,
 * deployments and a peak afternoon of minute metrics), under `dir`/<month>, ingested as `ingest capacity`
 * does; the number of files.
 */
export async function ingestBenchCapacity(store: Store, dir: string, months: string[], seed: number): Promise<number> {
  rmSync(dir, { recursive: true, force: true });
  const mapJob = gpuJobMapper(BENCH_JOBS);
  let files = 0;
  for (const month of months) {
    mkdirSync(join(dir, month), { recursive: true });
    for (const b of writeDemoCapacity(join(dir, month), { months: [month], seed })) {
      await ingestCapacity(store, b.paths, { ...b, asOf: b.asOf || undefined, mapJob, clock: () => new Date('2026-11-01T00:00:00Z') });
      files += b.paths.length;
    }
  }
  return files;
}

/**
 * What each report is asked for the month of the year store, by the dashboard bench (query parameters) and the
 * whole-process bench (CLI options of the same names).
 */
export function benchReportParams(name: string, month: string): Record<string, string> {
  const p: Record<string, string> = ['summary', 'ingestions', 'forecast'].includes(name) ? {} : { month };
  if (name === 'allocation' || name === 'token-kpis') p.by = 'feature';
  if (name === 'sensitivity') p.unit = BENCH_UNITS[0]!;
  return p;
}

/**
 * `telemetryRows` synthetic requests spread evenly over the days, resources and models of the token
 * charges (features feature-0..19, 5 teams), inserted in SQL so that what is measured is allocation,
 * not JSON parsing (ingest has its own benchmark).
 */
export async function insertSyntheticTelemetry(store: Store, telemetryRows: number): Promise<void> {
  const [{ groups }] = (await store.query<{ groups: string }>(
    'SELECT count(*) AS groups FROM (SELECT DISTINCT CAST(ChargePeriodStart AS DATE), lower(ResourceId), tl_model FROM charges WHERE ' +
      'tl_token_type IS NOT NULL)')) as [{ groups: string }];
  const per = Math.ceil(telemetryRows / Number(groups));
  await store.query(
    `INSERT INTO telemetry_files VALUES ('tel-bench', 'synthetic', 'none', 0, ${telemetryRows}, true, TIMESTAMP '2026-11-01', ` +
      `'openai-jsonl', 'request', true, 0)`);
  await store.query(`INSERT INTO telemetry_wide_rows
    SELECT 'tel-bench', row_number() OVER (),
      g.day + to_seconds(CAST((r.i * 2711) % 86400 AS BIGINT)), g.resource, NULL, g.model, NULL,
      'feature-' || ((r.i + hash(g.resource)) % 20), 'team-' || (r.i % 5), 'prod', NULL, NULL, 1,
      1000 + (r.i * 37) % 3000 AS input_tokens, CASE WHEN r.i % 3 = 0 THEN 400 ELSE 0 END, 0, 100 + (r.i * 53) % 700, 0, '200', NULL, NULL
    FROM (SELECT DISTINCT CAST(ChargePeriodStart AS DATE) AS day, lower(ResourceId) AS resource, tl_model AS model FROM charges ` +
    `WHERE tl_token_type IS NOT NULL) g,
         range(${per}) r(i)`);
  // rows count only through a committed ingestion record (store/integrity.ts): the synthetic file gets one, as an ingest writes it
  const [{ n }] = (await store.query<{ n: string }>("SELECT count(*) AS n FROM telemetry_wide_rows WHERE tl_ingestion_id = 'tel-bench'")) as
    [{ n: string }];
  // the file record says how many rows it holds (the ceiling above makes more than asked): a count that disagrees
  // would have every command scan for orphans, as after a crash
  await store.query(`UPDATE telemetry_files SET row_count = ${Number(n)} WHERE ingestion_id = 'tel-bench'`);
  await insertIngestion(store, { id: 'tel-bench', kind: 'telemetry', format: 'openai-jsonl', source: 'synthetic', checksum: 'tel-bench',
    files: 1, rows: Number(n), scope: 'tel-bench', at: '2026-11-01 00:00:00' });
  // the telemetry rollups the reports read, as an ingest writes them (store/telemetry-rollup.ts)
  await addTelemetryRollups(store, 'tel-bench');
}

const secondsSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

/** Ingest the year, its telemetry and events, and build the stored allocation; times each step. */
export async function economicsSetup(billingDir: string, telemetryRows: number, eventsFile: string,
  path: string): Promise<Record<string, number>> {
  const store = await Store.open(path, { memoryLimit: '3GB' });
  let t = process.hrtime.bigint();
  await ingestFocus(store, [billingDir], { rules: loadRules() });
  const billingSeconds = secondsSince(t);
  t = process.hrtime.bigint();
  await insertSyntheticTelemetry(store, telemetryRows);
  const telemetrySeconds = secondsSince(t);
  t = process.hrtime.bigint();
  await ingestEvents(store, [eventsFile]);
  const eventsSeconds = secondsSince(t);
  t = process.hrtime.bigint();
  // before the allocation: GPU samples are its GPU-seconds basis
  const capacityFiles = await ingestBenchCapacity(store, join(dirname(billingDir), 'capacity'), BENCH_MONTHS, BENCH_SEED);
  const capacitySeconds = secondsSince(t);
  t = process.hrtime.bigint();
  const built = await ensureAllocation(store);
  const allocateSeconds = secondsSince(t);
  const [c] = await store.query<{ b: string; t: string; e: string }>(
    'SELECT (SELECT count(*) FROM billing_rows) AS b, (SELECT count(*) FROM telemetry_rows) AS t, (SELECT count(*) FROM event_rows) AS e');
  store.close();
  return { billingRows: Number(c!.b), telemetryRows: Number(c!.t), eventRows: Number(c!.e), billingSeconds, telemetrySeconds, eventsSeconds,
    capacityFiles, capacitySeconds, allocateSeconds, allocationRows: built.rows };
}

/** One report on the stored year, as a user runs it: open the store, check the allocation, answer. */
export async function economicsReport(name: string, month: string, path: string): Promise<Record<string, number>> {
  const t = process.hrtime.bigint();
  const store = await Store.open(path, { memoryLimit: '3GB', readOnly: true });
  if (!isReportName(name)) throw new Error(`no report ${name}`);
  const ledger = new Ledger(store, { path: null, ...BENCH_LEDGER_CONFIG });
  const base = { period: parsePeriod(month === 'all' ? {} : { month }), costBasis: 'effective' as const, today: '2030-01-01',
    allowIncomplete: true };
  const report = await runRequest(ledger, reportRequest(name, base, {}));
  const reportSeconds = secondsSince(t);
  store.close();
  return { reportSeconds, rows: report.rows.length };
}
