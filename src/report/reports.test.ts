/**
 * Golden-file tests of every report in every format, on the demo company (2 months, seed 7, ending
 * 2026-10), ingested at a frozen time. Regenerate by deleting a golden file and running the tests locally.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoExport } from '../demo/write-export.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { demoMapping, writeDemoTelemetry } from '../demo/telemetry.js';
import { RESOURCES } from '../demo/catalog.js';
import { resourceIdOf } from '../demo/generate.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { expectGolden } from '../test-support/golden.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { formatReport } from '../app/report.js';
import { reportOf } from '../test-support/ledger.js';
import { sql } from '../store/sql.js';
import { FORMATS, render } from './render.js';
import { sumDecimals } from '../domain/decimal.js';
import { writeDemoConfig, writeDemoEvents } from '../demo/events.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { loadConfig } from '../config/config.js';
import type { EconomicsConfig } from '../config/economics.js';

const GOLDEN = join(import.meta.dirname, '__golden__');
let store: Store;
let dir: string;
let economics: EconomicsConfig;

beforeAll(async () => {
  dir = tempDir('tl-golden-');
  await writeDemoExport(dir, { months: ['2026-09', '2026-10'], clones: 1, seed: 7 });
  const telemetry = await writeDemoTelemetry(join(dir, '..', `${dir.split('/').pop()}-telemetry`),
    { months: ['2026-09', '2026-10'], clones: 1, seed: 7 });
  store = await Store.open(':memory:');
  await ingestFocus(store, [dir], { rules: loadRules(), clock: () => new Date('2026-11-05T08:00:00Z') });
  await ingestTelemetry(store, telemetry,
    { clock: () => new Date('2026-11-05T08:00:00Z'), mapping: demoMapping(RESOURCES.map(resourceIdOf)) });
  const extra = join(dir, '..', `${dir.split('/').pop()}-events`);
  await ingestEvents(store, writeDemoEvents(extra, { months: ['2026-09', '2026-10'], clones: 1, seed: 7 }),
    { clock: () => new Date('2026-11-05T08:00:00Z') });
  // the demo's own tokenledger.yaml, read the way the CLI reads it
  economics = loadConfig(writeDemoConfig(extra, join(extra, 'ledger.duckdb')));
});
afterAll(() => store.close());

const CASES: { report: string; month?: string; by?: string[]; cost?: 'billed'; measure?: string; reconcile?: true }[] = [
  { report: 'cost-per-token', month: '2026-10' },
  { report: 'cost-per-token', month: '2026-10', by: ['resource'] },
  { report: 'cost-per-token', month: '2026-10', cost: 'billed', by: ['subscription'] },
  { report: 'meter-matrix', month: '2026-10' },
  { report: 'summary' },
  { report: 'unclassified' },
  { report: 'ingestions' },
  { report: 'allocation', month: '2026-10', by: ['feature'] },
  { report: 'allocation', month: '2026-10', by: ['team'] },
  { report: 'allocation', month: '2026-10', by: ['cost_center'] },
  { report: 'token-drift', month: '2026-10' },
  { report: 'token-kpis', month: '2026-10', by: ['model'] },
  { report: 'tag-coverage', month: '2026-10' },
  { report: 'telemetry-coverage', month: '2026-10' },
  { report: 'unit-economics', month: '2026-10' },
  { report: 'unit-economics' },
  { report: 'chargeback', month: '2026-10', by: ['team'] },
  { report: 'chargeback', month: '2026-10', by: ['cost-center'], cost: 'billed' },
  { report: 'variance', month: '2026-10' },
  { report: 'shared-costs', month: '2026-10' },
  { report: 'reconcile', month: '2026-10' },
  { report: 'sensitivity', month: '2026-10', by: [] },
  { report: 'budgets', month: '2026-10' },
  { report: 'forecast' },
  { report: 'forecast', by: ['feature'] },
  { report: 'forecast', reconcile: true },
  { report: 'prices', month: '2026-10' },
  { report: 'ptu-plan', month: '2026-10' },
  { report: 'savings', month: '2026-10' },
  { report: 'estimate', month: '2026-10' },
  { report: 'anomalies', month: '2026-10' },
  { report: 'anomalies', month: '2026-10', by: [], measure: 'tokens' },
];

describe.each(CASES)('report $report $month $by $cost', (c) => {
  it.each(FORMATS)('%s', async (format) => {
    const r = await reportOf(store, c.report, { month: c.month, cost: c.cost, by: c.by, responseLength: '+20%', retries: '+5%',
      measure: c.measure, reconcile: c.reconcile }, economics);
    const out = formatReport(r, format).split(`${dir}-telemetry`).join('<telemetry>').split(`${dir}-events`).join('<events>').split(dir)
      .join('<demo>');
    const name = [c.report, c.month, ...(c.by ?? []), c.cost, c.measure, c.reconcile && 'reconcile'].filter(Boolean).join('_');
    expectGolden(join(GOLDEN, `${name}.${format === 'table' ? 'txt' : format}`), out);
  });
});

describe('report JSON shape', () => {
  it('cost-per-token has the documented keys and JSON numbers', async () => {
    const r = await reportOf(store, 'cost-per-token', { month: '2026-10' });
    const doc = JSON.parse(render(r, 'json')) as { report: string; cost_basis: string; rows: Record<string, unknown>[] };
    expect(doc.report).toBe('cost-per-token');
    expect(doc.cost_basis).toBe('effective');
    expect(Object.keys(doc.rows[0]!)).toEqual(['provider', 'model', 'model_version', 'token_type', 'tier', 'scope', 'currency', 'tokens',
      'cost', 'cost_per_1m_tokens']);
    for (const row of doc.rows) {
      expect(typeof row.tokens).toBe('number');
      expect(typeof row.cost).toBe('number');
      expect(typeof row.cost_per_1m_tokens).toBe('number');
    }
    const gpt4oIn = doc.rows.find((x) => x.model === 'gpt-4o' && x.token_type === 'input')!;
    expect(gpt4oIn.cost_per_1m_tokens).toBe(2.5);
    const miniIn = doc.rows.find((x) => x.model === 'gpt-4o-mini' && x.token_type === 'input')!;
    expect(miniIn.cost_per_1m_tokens).toBe(0.165); // a 1K meter at $0.000165 per 1K tokens
  });

  it('allocation: the lines of each month add up to the charges of the month (independent read)', async () => {
    const r = await reportOf(store, 'allocation', { month: '2026-10', by: ['team'] });
    const [raw] = await store.query(
      sql`SELECT CAST(sum(CAST(EffectiveCost AS DECIMAL(38,18))) AS VARCHAR) AS t FROM read_csv(${`${dir}/**/*.csv.gz`}, all_varchar = true)
      WHERE CAST(ChargePeriodStart AS TIMESTAMP) >= TIMESTAMP '2026-10-01'
        AND CAST(ChargePeriodStart AS TIMESTAMP) < TIMESTAMP '2026-11-01'`);
    expect(sumDecimals(r.rows.map((x) => String(x.cost)))).toBe(sumDecimals([String(raw!.t)]));
  });

  it('summary: billed total of each month equals the sum of the export rows (independent read)', async () => {
    const r = await reportOf(store, 'summary');
    const raw = await store.query(
      sql`SELECT strftime(CAST(BillingPeriodStart AS TIMESTAMP), '%Y-%m') AS p,
        CAST(sum(CAST(BilledCost AS DECIMAL(38,18))) AS VARCHAR) AS b
      FROM read_csv(${`${dir}/**/*.csv.gz`}, all_varchar = true) GROUP BY p ORDER BY p`);
    expect(r.rows.map((x) => ({ p: x.billing_period, b: x.billed_cost }))).toEqual(raw);
  });
});

describe('tables on a 120-column terminal', () => {
  it.each(CASES)('report $report $month $by $cost fits, saying what it left out or shortened', async (c) => {
    const params = { month: c.month, cost: c.cost, by: c.by, responseLength: '+20%', retries: '+5%', measure: c.measure,
      reconcile: c.reconcile };
    const r = await reportOf(store, c.report, params, economics);
    const lines = formatReport(r, 'table', { width: 120 }).split('\n');
    const table = lines.slice(0, lines.indexOf('', 2));
    // every report's table and every line under it fit 120 columns
    expect(lines.filter((l) => l.length > 120)).toEqual([]);
    // text is only ever shortened with a visible mark, never silently
    const full = formatReport(r, 'table').split('\n');
    if (full.slice(0, full.indexOf('', 2)).join('\n') !== table.join('\n')) {
      expect(lines.join('\n')).toMatch(/\u2026|left out to fit: /);
    }
  });
});
