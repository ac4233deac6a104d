/**
 * The seam every view reads through, on the demo company as a user gets it (`tokenledger demo`, run
 * in-process): every report answers on a store opened read-only and leaves its file byte for byte as it
 * was; a stale stored allocation is refused with the command to run; hostile values are values; a scope
 * cuts every relation in one place; and the headline figures agree across views to the last digit.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sumDecimals } from '../domain/decimal.js';
import { run } from './main.js';
import { loadConfig, type Config } from '../config/config.js';
import { parsePeriod } from '../domain/period.js';
import { Ledger } from '../ledger/ledger.js';
import type { Scope } from '../ledger/scope.js';
import { bridgeChecks } from '../report/bridge.js';
import { REPORT_NAMES } from '../report/registry.js';
import type { Report } from '../report/render.js';
import { Store } from '../store/db.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { memoryEffects } from '../app/effects.js';
import { answerReport, prepareReport } from '../app/report.js';
import type { BaseParams } from '../app/report.js';
import type { ReportParams } from '../report/registry.js';

let dir: string;
let storeFile: string;
let config: Config;
const fx = () => memoryEffects({ cwd: dir, env: { TOKENLEDGER_TODAY: '2026-11-20' } });

async function cli(args: string[]) {
  const e = fx();
  const code = await run(['--store', storeFile, '--config', join(dir, 'tokenledger-demo', 'tokenledger.yaml'), ...args], e);
  return { code, out: e.out.join(''), err: e.err.join('') };
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Parameters that make each report of the registry answer for the demo's last month. */
const PARAMS: Record<string, BaseParams & ReportParams> = {
  allocation: { by: ['feature'] }, 'token-kpis': { by: ['feature'] }, summary: {}, ingestions: {},
  sensitivity: { month: '2026-10', unit: 'ticket' }, forecast: { month: undefined },
};

async function withReadOnly<T>(fn: (ledger: Ledger) => Promise<T>, scope: Scope = {}): Promise<T> {
  const store = await Store.open(storeFile, { readOnly: true });
  try {
    return await fn(new Ledger(store, config, scope));
  } finally {
    store.close();
  }
}

async function report(ledger: Ledger, name: string, p: BaseParams & ReportParams = {}): Promise<Report> {
  return answerReport(ledger, prepareReport(config, name, { month: '2026-10', ...p }, fx()));
}

beforeAll(async () => {
  dir = tempDir('tl-seam-');
  storeFile = join(dir, 'ledger.duckdb');
  const e = memoryEffects({ cwd: dir });
  expect(await run(['--store', storeFile, 'demo', '--end', '2026-10', '--months', '2', '--seed', '7'], e)).toBe(0);
  config = loadConfig(join(dir, 'tokenledger-demo', 'tokenledger.yaml'));
}, 120_000);

describe('reads never write', () => {
  it('every report of the registry answers on a store opened read-only, and the file is unchanged', async () => {
    const before = sha(storeFile);
    const answered = await withReadOnly(async (ledger) => {
      const names: string[] = [];
      for (const name of REPORT_NAMES) {
        const r = await report(ledger, name, PARAMS[name] ?? {});
        expect(r.name).toBe(name);
        names.push(name);
      }
      return names;
    });
    expect(answered).toEqual(REPORT_NAMES);
    expect(answered.length).toBeGreaterThanOrEqual(16);
    expect(sha(storeFile)).toBe(before);
  });

  it('two readers at once: reports run side by side on the same file', async () => {
    const [a, b] = await Promise.all([cli(['report', 'summary', '--format', 'json']),
      cli(['report', 'chargeback', '--month', '2026-10', '--format', 'json'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
  });

  it('a stale stored allocation is refused with the command to run, and `allocate` mends it', async () => {
    const copy = join(dir, 'stale.duckdb');
    copyFileSync(storeFile, copy);
    const store = await Store.open(copy);
    await store.query("UPDATE allocation_state SET data_key = 'built from other data'");
    store.close();
    const e = fx();
    const args = ['--store', copy, '--config', join(dir, 'tokenledger-demo', 'tokenledger.yaml')];
    expect(await run([...args, 'report', 'allocation', '--by', 'feature', '--month', '2026-10'], e)).toBe(3);
    expect(e.err.join('')).toMatch(/stored allocation is out of date[\s\S]*tokenledger allocate/);
    // a report that does not read the allocation still answers
    expect(await run([...args, 'report', 'cost-per-token', '--month', '2026-10'], fx())).toBe(0);
    const a = fx();
    expect(await run([...args, 'allocate'], a)).toBe(0);
    expect(a.out.join('')).toMatch(/allocation rebuilt/);
    expect(await run([...args, 'report', 'allocation', '--by', 'feature', '--month', '2026-10'], fx())).toBe(0);
  });
});

describe('values are parameters', () => {
  it('hostile values are refused as values or taken as values, never as SQL', async () => {
    const today = await cli(['report', 'summary', '--today', "x' OR 1=1 --"]);
    expect(today.code).toBe(2);
    expect(today.err).toMatch(/--today x' OR 1=1 --: expected a date YYYY-MM-DD/);
    const tag = await cli(['report', 'allocation', '--by', "o'brien; DROP TABLE ingestions; --", '--month', '2026-10', '--format', 'json']);
    // a tag name is a value: looked up as a parameter, found on no billing row, refused with what there is
    expect(tag.code).toBe(2);
    const hostile = "o'brien; DROP TABLE ingestions; --";
    expect(tag.err).toContain(`--by ${hostile}: no billing row carries a tag named ${hostile}`);
    const feature = await cli(['explain', 'allocation', '--feature', "x' OR '1'='1", '--month', '2026-10', '--format', 'json']);
    expect(feature.code).toBe(2);
    expect(feature.err).toContain("--feature x' OR '1'='1: no such feature in the ledger");
    expect((await cli(['report', 'ingestions'])).code).toBe(0);
  });
});

describe('the headline figures agree across views', () => {
  it('invoice, spend, allocated, shared and unallocated are the same numbers in every view, and the bridge adds up', async () => {
    await withReadOnly(async (ledger) => {
      const [f] = await ledger.figures(parsePeriod({ month: '2026-10' }), 'effective');
      expect(bridgeChecks(f!).every((c) => c.ok)).toBe(true);
      const summary = await report(ledger, 'summary', { month: undefined });
      expect(summary.rows.find((r) => r.billing_period === '2026-10')!.billed_cost).toBe(f!.invoice_total);
      const reconcile = await report(ledger, 'reconcile');
      expect(sumDecimals(reconcile.rows.map((r) => String(r.invoice_total)))).toBe(sumDecimals([f!.invoice_total]));
      const chargeback = await report(ledger, 'chargeback', { by: ['team'] });
      expect(sumDecimals(chargeback.rows.map((r) => String(r.total)))).toBe(sumDecimals([f!.spend]));
      expect(chargeback.notes!.join('\n')).toContain('Each step adds up to the last digit.');
      const byFeature = await report(ledger, 'allocation', { by: ['feature'] });
      const unallocatedLine = byFeature.rows.find((r) => r.key === '__unallocated__')!;
      expect(sumDecimals([String(unallocatedLine.cost)])).toBe(sumDecimals([f!.shared_spread, f!.shared_unspread, f!.unallocated]));
      const allocated = byFeature.rows.filter((r) => r.key !== '__unallocated__').map((r) => String(r.cost));
      expect(sumDecimals(allocated)).toBe(sumDecimals([f!.allocated]));
      const units = await report(ledger, 'unit-economics');
      const inUnits = sumDecimals(units.rows.map((r) => String(r.total_cost)));
      expect(sumDecimals([inUnits, f!.no_unit_type, f!.shared_unspread, f!.unallocated])).toBe(sumDecimals([f!.spend]));
      expect(units.notes!.join('\n')).not.toMatch(/MISMATCH/);
    });
  });
});

describe('a scope cuts every relation in one place', () => {
  it('a team sees its own lines, with the same numbers as without the scope', async () => {
    const full = await withReadOnly((l) => report(l, 'chargeback', { by: ['team'] }));
    const team = String(full.rows.find((r) => !String(r.key).startsWith('__'))!.key);
    const scoped = await withReadOnly((l) => report(l, 'chargeback', { by: ['team'] }), { teams: [team] });
    expect(scoped.rows.map((r) => r.key)).toEqual([team]);
    expect(scoped.rows[0]!.total).toBe(full.rows.find((r) => r.key === team)!.total);
    const alloc = await withReadOnly((l) => report(l, 'allocation', { by: ['team'] }), { teams: [team] });
    const fullAlloc = await withReadOnly((l) => report(l, 'allocation', { by: ['team'] }));
    expect(alloc.rows.map((r) => [r.key, r.cost])).toEqual([[team, fullAlloc.rows.find((r) => r.key === team)!.cost]]);
    // raw charges are cut to the team's shares: cost per token adds up to the team's token cost, never the whole invoice
    const cpt = await withReadOnly((l) => report(l, 'cost-per-token'), { teams: [team] });
    const teamTokens = String(fullAlloc.rows.find((r) => r.key === team)!.token_cost ?? '0');
    expect(sumDecimals(cpt.rows.map((r) => String(r.cost)))).toBe(sumDecimals([teamTokens]));
    const kpis = await withReadOnly((l) => report(l, 'token-kpis', { by: ['feature'] }), { teams: [team] });
    const fullKpis = await withReadOnly((l) => report(l, 'token-kpis', { by: ['feature'] }));
    expect(kpis.rows.length).toBeLessThan(fullKpis.rows.length);
  });

  it('under every scope the figures chain adds up: the spend of a team is its direct cost plus the shared costs spread to it', async () => {
    const period = parsePeriod({ month: '2026-10' });
    const whole = await withReadOnly((l) => l.figures(period, 'effective'));
    expect(whole.map((f) => sumDecimals([f.shared_net]))).toEqual(['0']);
    const teams = await withReadOnly((l) => report(l, 'chargeback', { by: ['team'] }));
    const names = teams.rows.map((r) => String(r.key)).filter((k) => !k.startsWith('__'));
    expect(names.length).toBeGreaterThanOrEqual(2);
    const scopes: Scope[] = [...names.map((t) => ({ teams: [t] })), { features: ['support-copilot'] }, { environments: ['prod'] },
      { teams: names }];
    for (const scope of scopes) {
      const figures = await withReadOnly((l) => l.figures(period, 'effective'), scope);
      for (const f of figures) expect(bridgeChecks(f).filter((c) => !c.ok), JSON.stringify(scope)).toEqual([]);
      // the team's spend is its chargeback total, and what the sharing rules moved in is its shared cost
      if (scope.teams?.length === 1) {
        const row = teams.rows.find((r) => r.key === scope.teams![0])!;
        expect(sumDecimals([figures[0]!.spend]), scope.teams[0]).toBe(sumDecimals([String(row.total)]));
        expect(sumDecimals([figures[0]!.shared_net])).toBe(sumDecimals([figures[0]!.shared_spread]));
      }
    }
  });

  it('a currency nobody bills in shows nothing; no scope changes nothing', async () => {
    const none = await withReadOnly((l) => report(l, 'allocation', { by: ['feature'] }), { currencies: ['EUR'] });
    expect(none.rows).toHaveLength(0);
    const all = await withReadOnly((l) => report(l, 'allocation', { by: ['feature'] }), {});
    const usd = await withReadOnly((l) => report(l, 'allocation', { by: ['feature'] }), { currencies: ['USD'] });
    expect(usd.rows).toEqual(all.rows);
  });
});

describe('a newcomer is told what to do', () => {
  it('--version, unknown units and features, bare percentages, missing or wrong stores', async () => {
    const v = memoryEffects({ cwd: dir });
    expect(await run(['--version'], v)).toBe(0);
    expect(v.out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
    const unit = await cli(['report', 'unit-economics', '--unit', 'tiket']);
    expect(unit.code).toBe(2);
    expect(unit.err).toMatch(/--unit tiket: no such unit type[\s\S]*Known: document, lead, ticket/);
    const feature = await cli(['explain', 'allocation', '--feature', 'suport-copilot', '--month', '2026-10']);
    expect(feature.code).toBe(2);
    expect(feature.err).toMatch(/Known: .*support-copilot/);
    const bare = await cli(['report', 'sensitivity', '--unit', 'ticket', '--response-length', '20']);
    expect(bare.code).toBe(2);
    expect(bare.err).toMatch(/--response-length 20: expected a change in percent/);
    expect((await cli(['report', 'sensitivity', '--unit', 'ticket', '--response-length', '20%'])).code).toBe(0);
    for (const [store, message] of [[join(dir, 'missing.duckdb'), /no store at/], [dir, /is a folder/], [join(dir, 'tokenledger-demo', 'tokenledger.yaml'), /is not a tokenledger store/]] as const) {
      const e = memoryEffects({ cwd: dir });
      expect(await run(['--store', store, 'report', 'summary'], e)).toBe(2);
      expect(e.err.join('')).toMatch(message);
    }
  });
});
