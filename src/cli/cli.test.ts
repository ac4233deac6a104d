/**
 * The command line as a user runs it: commands run in-process through `run(argv, effects)` with the
 * output captured (exit codes, stdout, stderr), and the built bin (dist/, so `npm run build` first, as the
 * README's test command does) spawned once to show it starts and exits as a program.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { ext, REPO_ROOT } from '../test-support/paths.js';
import { run as runCli } from './main.js';
import { focusCsv, tempDir } from '../test-support/focus-fixture.js';

const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

function spawnBin(args: string[], cwd: string) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build before the tests`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function run(args: string[], cwd: string) {
  const fx = memoryEffects({ cwd, env: { TZ: 'UTC' } });
  const code = await runCli(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

describe('tokenledger CLI', () => {
  it('the built bin: help exits 0 and lists the commands; a usage mistake exits 2', async () => {
    const r = spawnBin(['--help'], tempDir());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ingest/);
    expect(r.out).toMatch(/report/);
    expect(r.out).toMatch(/demo/);
    const bad = spawnBin(['report', 'nope'], tempDir());
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown report nope/);
  });

  it('usage mistakes exit 2 with a message', async () => {
    const dir = tempDir();
    expect((await run(['report', 'nope'], dir))).toMatchObject({ code: 2 });
    const xml = await run(['report', 'summary', '--format', 'xml'], dir);
    expect(xml.code).toBe(2);
    // the error and a pointer to --help, not the whole help after it
    expect(xml.err).toMatch(/argument 'xml' is invalid\. expected one of table, json, csv\n\(add --help for the command's usage and options\)/);
    expect(xml.err).not.toMatch(/Options:/);
    expect((await run(['report', 'summary', '--month', '2026-13'], dir)).err).toMatch(/--month 2026-13: the month is 13, expected 01 to 12/);
    expect((await run(['report', 'summary', '--month', 'Oct-2026'], dir)).err).toMatch(/--month Oct-2026: expected YYYY-MM, e\.g\. 2026-10/);
    expect((await run(['frobnicate'], dir)).code).toBe(2);
  });

  it('ingests, reports as JSON, re-ingests as a no-op, and refuses bad input with file and line', async () => {
    const dir = tempDir();
    const sample = ext('focus-1.0-sample', 'focus_sample.csv');
    const first = (await run(['ingest', 'focus', sample, '--format', 'json'], dir));
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).rows[0]).toMatchObject({ action: 'ingested', rows: 1000, focus_version: '1.0' });
    expect(existsSync(join(dir, '.tokenledger', 'ledger.duckdb'))).toBe(true);

    const again = (await run(['ingest', 'focus', sample, '--quiet', '--format', 'json'], dir));
    expect(JSON.parse(again.out).rows[0]).toMatchObject({ action: 'skipped', rows: 0 });

    // the sample has days without usage: reports refuse it, unless --allow-incomplete (and then say so)
    const refused = (await run(['report', 'summary'], dir));
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/the data for this report is incomplete: \d+ missing day\(s\)/);
    const summary = JSON.parse((await run(['report', 'summary', '--format', 'json', '--allow-incomplete'], dir)).out);
    expect(summary.report).toBe('summary');
    expect(summary.data_status.allow_incomplete).toBe(true);
    expect(summary.data_status.problems[0]).toMatch(/missing day/);
    expect(summary.rows.map((r: { charge_rows: number }) => r.charge_rows).reduce((a: number, b: number) => a + b, 0)).toBe(1000);
    // a real export without AI meters: the empty cost-per-token table says why and what to run
    const cpt = await run(['report', 'cost-per-token', '--allow-incomplete'], dir);
    expect(cpt.out.replace(/\s+/g, ' ')).toMatch(/1000 billing row\(s\) in this period, none of them an AI token charge.*report unclassified/);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, focusCsv([{}, { BilledCost: 'twelve' }]));
    const r = (await run(['ingest', 'focus', bad], dir));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.csv, line 3, data row 2, column BilledCost: expected a decimal number/);
    const after = JSON.parse((await run(['report', 'summary', '--format', 'json', '--allow-incomplete'], dir)).out);
    expect(after).toEqual(summary);
  });

  it('init writes a config that the next command reads (store path)', async () => {
    const dir = tempDir();
    expect((await run(['init'], dir)).code).toBe(0);
    expect((await run(['init'], dir)).code).toBe(2);
    writeFileSync(join(dir, 'tokenledger.yaml'), 'store: ./custom/ledger.duckdb\n');
    (await run(['ingest', 'focus', ext('focus-ai-examples', 'multi_model_usage.csv'), '--quiet'], dir));
    expect(existsSync(join(dir, 'custom', 'ledger.duckdb'))).toBe(true);
    writeFileSync(join(dir, 'tokenledger.yaml'), 'stroe: x\n');
    const r = (await run(['report', 'summary'], dir));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid configuration/);
  });

  it('demo writes, ingests and prints the main reports, deterministically', async () => {
    const dir = tempDir();
    const r = (await run(['demo', '--end', '2026-10', '--months', '2', '--seed', '3'], dir));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Spend by billing period/);
    expect(r.out).toMatch(/Cost per token \(effective cost, 2026-10\)/);
    expect(r.out).toMatch(/gpt-4o-mini .* 0\.165/);
    const dir2 = tempDir();
    const r2 = (await run(['demo', '--end', '2026-10', '--months', '2', '--seed', '3'], dir2));
    const strip = (s: string) => s.replace(/ing-\d+-/g, 'ing-').replace(/\/tmp\/\S+/g, '');
    expect(strip(r2.out).split('Spend by')[1]).toBe(strip(r.out).split('Spend by')[1]);
    // the demo writes the CFO pack; its summary is the invoice total that reconcile reads from the export
    expect(existsSync(join(dir, 'tokenledger-demo', 'cfo-pack-2026-10.xlsx'))).toBe(true);
    expect(existsSync(join(dir, 'tokenledger-demo', 'cfo-pack-2026-10.html'))).toBe(true);
    expect(r.out).toMatch(/invoice totals: G\d+ \d{1,3}(,\d{3})*\.\d{2} USD/);
    // the demo's events and tokenledger.yaml drive unit economics, as the README shows
    expect(r.out).toMatch(/Unit economics \(effective cost, 2026-10\)/);
    expect(r.out).toMatch(/Unit economics \(effective cost, 2026-10\), amounts in USD\n[^]*\n2026-10 +ticket +[\d,]+ /);
    const cfg = ['--config', join('tokenledger-demo', 'tokenledger.yaml')];
    const v = JSON.parse(
      (await run([...cfg, 'report', 'variance', '--month', '2026-10', '--format', 'json'], dir)).out) as {
        rows: Record<string, number | string>[] };
    expect(v.rows.map((x) => x.unit)).toEqual(['document', 'lead', 'ticket', '(outside units)', 'TOTAL']);
    for (const x of v.rows) {
      const parts = ['volume', 'intensity', 'rate', 'shared', 'outside'].reduce((a, k) => a + Math.round(Number(x[k]) * 100), 0);
      expect(parts).toBe(Math.round(Number(x.change) * 100));
    }
    const cb = (await run([...cfg, 'report', 'chargeback', '--by', 'team', '--month', '2026-10'], dir));
    expect(cb.code).toBe(0);
    expect(cb.out).toMatch(/equal to the last digit/);
    const s = (await run([...cfg, 'report', 'sensitivity', '--unit', 'ticket', '--response-length', '+20%', '--retries', '+5%', '--format',
      'csv'], dir));
    expect(s.out.split('\n')[0]).toBe(
      'unit,currency,units,token_per_unit_before,token_per_unit_after,other_per_unit,cost_per_unit_before,cost_per_unit_after,change_pct,' +
        'cost_per_success_before,cost_per_success_after');
    expect((await run([...cfg, 'report', 'sensitivity', '--retries', 'lots'], dir))).toMatchObject({ code: 2 });
    expect((await run([...cfg, 'report', 'variance'], dir)).err).toMatch(/needs --month/);
    // data checks: the demo's periods are closed and complete; its export lacks AvailabilityZone (a warning, exit 1)
    const chk = (await run([...cfg, 'check', '--format', 'json'], dir));
    expect(chk.code).toBe(1);
    const rows = (JSON.parse(chk.out) as { rows: { id: string; status: string }[] }).rows;
    expect(rows.filter((x) => x.status !== 'pass').map((x) => `${x.id} ${x.status}`)).toEqual(['conformance.spec-columns warn']);
  }, 180_000); // two demo writes and ingests: about 30 s on a quiet machine, twice that under load

  it('ingest events: a bad record exits 2 naming file and line; the good file again is a no-op', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.csv'), 'timestamp,unit,feature\n2026-10-01T09:00:00Z,ticket,support-copilot\n');
    writeFileSync(join(dir, 'bad.jsonl'),
      '{"timestamp":"2026-10-01T09:00:00Z","unit":"lead"}\n{"timestamp":"2026-10-01T09:00:00Z","count":2}\n');
    expect((await run(['ingest', 'events', 'ok.csv', '--format', 'json'], dir)).code).toBe(0);
    const bad = (await run(['ingest', 'events', 'bad.jsonl'], dir));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.jsonl, line 2: no unit/);
    const again = JSON.parse((await run(['ingest', 'events', 'ok.csv', '--format', 'json'], dir)).out) as { rows: { action: string }[] };
    expect(again.rows[0]!.action).toBe('skipped');
  });
});

describe('tokenledger reclassify', () => {
  it('user rules classify a meter the built-in rules could not, without re-ingesting', async () => {
    const dir = tempDir();
    const csv = join(dir, 'zeta.csv');
    writeFileSync(csv, focusCsv([{
      ServiceName: 'Azure AI Services', x_SkuMeterCategory: 'Foundry Models', x_SkuMeterSubcategory: 'Azure OpenAI',
      x_SkuMeterName: 'zeta-9 Inp Gl 1M Tokens', x_PricingBlockSize: '1000000', ConsumedQuantity: '2000000', PricingQuantity: '2',
      ListUnitPrice: '3', ListCost: '6', BilledCost: '6', EffectiveCost: '6',
    }]));
    (await run(['ingest', 'focus', csv, '--quiet'], dir));
    const before = JSON.parse((await run(['report', 'unclassified', '--format', 'json', '--allow-incomplete'], dir)).out);
    expect(before.rows).toHaveLength(1);
    writeFileSync(join(dir, 'my-rules.yaml'), 'version: 1\nmodels:\n  - { pattern: "zeta-9", id: zeta-9 }\n');
    writeFileSync(join(dir, 'tokenledger.yaml'), 'rules: ./my-rules.yaml\n');
    const r = (await run(['reclassify'], dir));
    expect(r.code).toBe(0);
    expect(JSON.parse((await run(['report', 'unclassified', '--format', 'json', '--allow-incomplete'], dir)).out).rows).toHaveLength(0);
    const cpt = JSON.parse((await run(['report', 'cost-per-token', '--format', 'json', '--allow-incomplete'], dir)).out);
    expect(cpt.rows).toEqual(
      [expect.objectContaining({ model: 'zeta-9', token_type: 'input', tokens: 2000000, cost: 6, cost_per_1m_tokens: 3 })]);
  });
});

describe('telemetry mapping in tokenledger.yaml', () => {
  it('config check prints what it resolved; the mapping applies at ingest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tokenledger.yaml'), [
      'telemetry:',
      '  dimensions:',
      '    feature: [product_area]',
      '  resources:',
      '    - match: { deployment: chat-prod }',
      '      resource_id: /subscriptions/S/resourceGroups/R/providers/Microsoft.CognitiveServices/accounts/AOAI-Prod',
      '      model: gpt-4o',
      '  defaults:',
      '    environment: prod',
    ].join('\n') + '\n');
    const check = (await run(['config', 'check', '--format', 'json'], dir));
    expect(check.code).toBe(0);
    const resolved = JSON.parse(check.out);
    expect(resolved.telemetry_dimensions.feature.slice(0, 2)).toEqual(['product_area', 'feature']);
    expect(resolved.telemetry_resources).toHaveLength(1);
    const log = join(dir, 'u.jsonl');
    writeFileSync(log,
      JSON.stringify({ timestamp: '2026-10-01T00:00:00Z', deployment: 'chat-prod', metadata: { product_area: 'billing-bot' },
        usage: { prompt_tokens: 10, completion_tokens: 2 } }) + '\n');
    expect((await run(['ingest', 'telemetry', log, '--quiet'], dir)).code).toBe(0);
    const kpis = JSON.parse((await run(['report', 'token-kpis', '--by', 'model', '--format', 'json'], dir)).out);
    expect(kpis.rows.map((r: { key: string }) => r.key)).toEqual(['gpt-4o']);
    const feats = JSON.parse((await run(['report', 'token-kpis', '--by', 'feature', '--format', 'json'], dir)).out);
    expect(feats.rows.map((r: { key: string }) => r.key)).toEqual(['billing-bot']);
  });

  it('a bad mapping is refused with the key that is wrong', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tokenledger.yaml'), 'telemetry:\n  resources:\n    - match: {}\n      model: gpt-4o\n');
    const r = (await run(['config', 'check'], dir));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/telemetry\.resources\.0\.match: match needs deployment, model, resource_id, api_id or backend_id/);
  });
});
