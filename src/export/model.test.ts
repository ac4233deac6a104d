/**
 * `export model` reproduces `report unit-economics`: on a hand-built ledger (two months, billed and
 * effective differing, four sharing rules, a feature claimed by two unit types, a feature with two teams,
 * custom success outcomes, unshared and unallocated cost), the exported CSV files are read back in a
 * fresh in-memory DuckDB and, per month, unit and currency, in both cost bases:
 *  - SUM(fact_unit_costs cost) equals the report's total_cost exactly (decimal strings), its shared part
 *    equals shared_cost, and SUM / SUM(fact_units.units) equals cost_per_unit to the last bit (the report
 *    divides the decimal total cast to DOUBLE by the units; the test divides the same way);
 *  - fact_unit_costs of a month + what the report notes leave out = the month's charges in fact_costs.
 *
 *   October 2026 (USD)                     billed  effective  goes to
 *   R1 gpt-4o input 1,000,000 tok            2.50   2.10       telemetry A/t1 500k, A/t2 250k, B 150k, C 100k
 *   R1 gpt-4o output  100,000 tok            1.00   0.90       telemetry A/t1 30k, A/t2 30k, B 20k, C 20k
 *   AI Search                               10.00   9.00       rule search: units (ticket + document)
 *   Log Analytics                            3.00   3.00       rule logs: tokens
 *   Defender for Cloud                       5.00   4.70       rule sec: percent A 60 / B 40
 *   API Management                           4.00   4.00       rule gw: fixed 1 + by units
 *   VM NC A100 (feature C, team ml)          7.00   6.50       direct C: ticket and document claim it (101 : 300)
 *   VM NC A100 (feature D, team ml)          1.25   1.25       direct D: no unit type
 *   Storage                                  2.00   2.00       unshared (no rule)
 *   VM D4s v5 untagged                       1.50   1.40       unallocated
 *   events: ticket A 81 success + 20 failure; document B 270 success + 20 partial + 10 failed
 *   (document success = success, partial). September: input 800k tok 2.00 / 1.90, all A/t1; 80 tickets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EconomicsConfig } from '../config/economics.js';
import { sumDecimals } from '../domain/decimal.js';
import { parsePeriod } from '../domain/period.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { leftOutNotes } from '../report/unit-economics.js';
import { code, join as joinSql } from '../store/sql.js';
import { ledgerOf, ready, reportOf } from '../test-support/ledger.js';
import { Store } from '../store/db.js';
import { BASE_COLUMNS, focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { exportModel } from './model.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
const oct = { ChargePeriodStart: '2026-10-01T00:00:00Z', ChargePeriodEnd: '2026-10-02T00:00:00Z' };
const sep = { ChargePeriodStart: '2026-09-01T00:00:00Z', ChargePeriodEnd: '2026-09-02T00:00:00Z',
  BillingPeriodStart: '2026-09-01T00:00:00Z', BillingPeriodEnd: '2026-10-01T00:00:00Z' };
const other = (billed: string, effective: string, extra: Record<string, string>) =>
  ({ ...oct, BilledCost: billed, EffectiveCost: effective, ServiceCategory: '', ...extra });
const tok = (meter: string, n: number, billed: string, effective: string, when: object) =>
  ({ ...tokenRow(meter, n, '1', { ...when, ResourceId: R1 }), BilledCost: billed, EffectiveCost: effective });
const NC = { ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterSubcategory: 'NCadsA100v4 Series',
  x_SkuMeterName: 'NC24ads A100 v4' };

const ECONOMICS: EconomicsConfig = {
  units: { ticket: { features: ['A', 'C'] }, document: { features: ['B', 'C'], success: ['success', 'partial'] } },
  sharing: [
    { name: 'search', match: { service_name: 'Azure AI Search' }, basis: 'units', units: ['ticket', 'document'] },
    { name: 'logs', match: { service_name: 'Log Analytics' }, basis: 'tokens' },
    { name: 'sec', classes: ['overhead'], basis: 'percent', percent: { A: 60, B: 40 } },
    { name: 'gw', match: { service_name: 'API Management' }, basis: 'fixed_plus_units', fixed: '1' },
  ],
};
const BILLED: Record<string, string[]> = { '2026-10': ['2.5', '1', '10', '3', '5', '4', '7', '1.25', '2', '1.5'], '2026-09': ['2'] };
const EFFECTIVE: Record<string, string[]> = { '2026-10': ['2.1', '0.9', '9', '3', '4.7', '4', '6.5', '1.25', '2', '1.4'],
  '2026-09': ['1.9'] };

let store: Store;
let out: string;
let db: DuckDBConnection;
beforeAll(async () => {
  store = await Store.open(':memory:');
  const dir = tempDir();
  const bill = focusCsv([
    tok('gpt 4o 0513 Input global Tokens', 1_000_000, '2.5', '2.1', oct),
    tok('gpt 4o 0513 Output global Tokens', 100_000, '1', '0.9', oct),
    other('10', '9', { ServiceName: 'Azure AI Search', x_SkuMeterCategory: 'Azure Cognitive Search', x_SkuMeterName: 'Standard S1 Unit' }),
    other('3', '3', { ServiceName: 'Log Analytics', x_SkuMeterCategory: 'Log Analytics', x_SkuMeterName: 'Analytics Logs Data Ingestion' }),
    other('5', '4.7',
      { ServiceName: 'Microsoft Defender for Cloud', x_SkuMeterCategory: 'Microsoft Defender for Cloud', x_SkuMeterName: 'Standard Node' }),
    other('4', '4', { ServiceName: 'API Management', x_SkuMeterCategory: 'API Management', x_SkuMeterName: 'Standard Unit' }),
    other('7', '6.5', { ...NC, Tags: '{"feature":"C","team":"ml"}' }),
    other('1.25', '1.25', { ...NC, Tags: '{"feature":"D","team":"ml"}' }),
    other('2', '2', { ServiceName: 'Storage Accounts', ServiceCategory: 'Storage' }),
    other('1.5', '1.4',
      { ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterSubcategory: 'Dv5 Series',
        x_SkuMeterName: 'D4s v5' }),
    tok('gpt 4o 0513 Input global Tokens', 800_000, '2', '1.9', sep),
  ], [...BASE_COLUMNS, 'ServiceCategory']);
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', bill)], { rules: loadRules() });
  const tel = (day: string, feature: string, team: string, prompt: number, completion: number) =>
    JSON.stringify({ timestamp: `${day}T10:00:00Z`, model: 'gpt-4o', resource_id: R1, feature, team,
      usage: { prompt_tokens: prompt, completion_tokens: completion } });
  await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', [
    tel('2026-10-01', 'A', 't1', 500_000, 30_000), tel('2026-10-01', 'A', 't2', 250_000, 30_000),
    tel('2026-10-01', 'B', 't2', 150_000, 20_000),
    tel('2026-10-01', 'C', 't3', 100_000, 20_000), tel('2026-09-01', 'A', 't1', 800_000, 0),
  ].join('\n') + '\n')]);
  await ingestEvents(store, [writeFixture(dir, 'events.csv', [
    'timestamp,unit,feature,count,outcome',
    '2026-10-03T09:00:00Z,ticket,A,81,success', '2026-10-04T09:00:00Z,ticket,A,20,failure',
    '2026-10-03T09:00:00Z,document,B,270,success', '2026-10-05T09:00:00Z,document,B,20,partial',
    '2026-10-05T09:00:00Z,document,B,10,failed',
    '2026-09-10T09:00:00Z,ticket,A,80,success',
  ].join('\n') + '\n')]);
  out = join(tempDir(), 'model');
  await ready(store);
  await exportModel(ledgerOf(store, ECONOMICS), out);
  db = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  db.closeSync();
  store.close();
});

/** Rows of a query on the exported CSV files (fresh DuckDB, money read as DECIMAL(38,18)). */
async function csv(query: string, params: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
  const dec = "'DECIMAL(38,18)'";
  const views: Record<string, string> = {
    unit_costs: `read_csv($unit_costs, header = true, types = {'month': 'VARCHAR', 'team': 'VARCHAR', 'effective_cost': ${dec}, ` +
      `'billed_cost': ${dec}})`,
    units: `read_csv($units, header = true, types = {'month': 'VARCHAR', 'units': 'BIGINT', 'ok_units': 'BIGINT'})`,
    costs: `read_csv($costs, header = true, types = {'date': 'DATE', 'effective_cost': ${dec}, 'billed_cost': ${dec}})`,
  };
  const files: Record<string, string> = { unit_costs: 'fact_unit_costs.csv', units: 'fact_units.csv', costs: 'fact_costs.csv' };
  const used = [...query.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const text = query.replace(/\{(\w+)\}/g, (_, v: string) => views[v]!);
  const paths = Object.fromEntries(used.map((v) => [v, join(out, 'csv', files[v]!)]));
  return (await db.runAndReadAll(text, { ...paths, ...params })).getRowObjectsJson();
}

describe('export model: unit economics', () => {
  it('writes the unit tables and documents them', () => {
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    for (const t of ['fact_unit_costs', 'fact_units', 'dim_month', 'dim_unit']) expect(readme).toContain(`| ${t} |`);
    expect(readme).toContain('SUM(fact_unit_costs.effective_cost) / SUM(fact_units.units)');
    expect(readFileSync(join(out, 'csv', 'fact_unit_costs.csv'), 'utf8').split('\n')[0])
      .toBe('month,currency,unit,feature,team,cost_class,source,effective_cost,billed_cost,input_tokens,output_tokens');
  });

  for (const basis of ['effective', 'billed'] as const) {
    it(`CSV files reproduce report unit-economics (${basis}): total, shared, cost per unit and per success`, async () => {
      const col = `${basis}_cost`;
      const fromCsv = await csv(
        `WITH c AS (SELECT month, unit, currency, sum(${col}) AS total, coalesce(sum(${col}) FILTER (WHERE source = 'shared'), 0) AS shared
          FROM {unit_costs} GROUP BY ALL)
        SELECT c.month, c.unit, c.currency, CAST(c.total AS VARCHAR) AS total, CAST(c.shared AS VARCHAR) AS shared, n.units, n.ok_units,
          CAST(c.total AS DOUBLE) / nullif(n.units, 0) AS per_unit, CAST(c.total AS DOUBLE) / nullif(n.ok_units, 0) AS per_success
        FROM c LEFT JOIN {units} n USING (month, unit) ORDER BY ALL`);
      const reported = [];
      for (const month of ['2026-09', '2026-10']) {
        const r = await reportOf(store, 'unit-economics', { month, cost: basis }, ECONOMICS);
        reported.push(...r.rows.filter((x) => x.currency !== null).map((x) => ({
          month: x.month, unit: x.unit, currency: x.currency, total: x.total_cost, shared: x.shared_cost, units: x.units,
          ok_units: x.ok_units,
          per_unit: x.cost_per_unit, per_success: x.cost_per_success,
        })));
      }
      expect(reported.map((x) => `${x.month} ${x.unit}`)).toEqual(['2026-09 ticket', '2026-10 document', '2026-10 ticket']);
      expect(fromCsv).toEqual(reported);
      // the shared pools are in the file, not just the direct cost
      expect(fromCsv.every((x) => x.month === '2026-09' || x.shared !== '0.000000000000000000')).toBe(true);
    });

    it(`nothing is lost (${basis}): unit costs + what the notes leave out = the month's charges`, async () => {
      const col = `${basis}_cost`;
      const notesSql = readFileSync(new URL('../report/economics-notes.sql', import.meta.url), 'utf8');
      for (const month of ['2026-09', '2026-10']) {
        const ledger = ledgerOf(store, ECONOMICS);
        const o = { period: parsePeriod({ month }), costBasis: basis };
        const left = await ledger.query<{ cost: string }>(joinSql([ledger.economics(o.period, basis), code(notesSql)], '\n'));
        expect((await leftOutNotes(ledger, o)).length).toBe(left.length);
        const [u] = await csv(`SELECT CAST(coalesce(sum(${col}), 0) AS VARCHAR) AS s FROM {unit_costs} WHERE month = $month`, { month });
        const [c] = await csv(`SELECT CAST(sum(${col}) AS VARCHAR) AS s FROM {costs} WHERE strftime(date, '%Y-%m') = $month`, { month });
        const charged = sumDecimals((basis === 'billed' ? BILLED : EFFECTIVE)[month]!);
        expect(sumDecimals([String(c!.s)])).toBe(charged);
        expect(sumDecimals([String(u!.s), ...left.map((l) => String(l.cost))])).toBe(charged);
        if (month === '2026-10') expect(left.length).toBe(3); // D without a unit type, storage unshared, the untagged VM
      }
    });
  }

  it('teams, units and the feature two unit types share', async () => {
    const teams = await csv(`SELECT team, CAST(sum(effective_cost) AS VARCHAR) AS cost FROM {unit_costs}
      WHERE month = '2026-10' AND feature = 'A' AND source = 'direct' GROUP BY ALL ORDER BY ALL`);
    expect(teams.map((t) => t.team)).toEqual(['t1', 't2']);
    const c = await csv(
      `SELECT unit, CAST(sum(billed_cost) AS VARCHAR) AS cost FROM {unit_costs} WHERE month = '2026-10' AND feature = 'C' ` +
        `AND source = 'direct' GROUP BY ALL ORDER BY ALL`);
    expect(sumDecimals(c.map((x) => String(x.cost)))).toBe(sumDecimals(['7', '0.45'])); // the GPU VM and C's token share
    expect(await csv(`SELECT * FROM {units} ORDER BY ALL`)).toEqual([
      { month: '2026-09', unit: 'ticket', units: '80', ok_units: '80', records: '1' },
      { month: '2026-10', unit: 'document', units: '300', ok_units: '290', records: '3' },
      { month: '2026-10', unit: 'ticket', units: '101', ok_units: '81', records: '2' },
    ]);
  });
});
