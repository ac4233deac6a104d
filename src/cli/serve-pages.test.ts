/**
 * The dashboard as a person sees it: Debian's Chromium (driven by playwright-core with executablePath,
 * never a downloaded browser) against the real server on a loopback port, over the demo store with a
 * hostile feature and team name ingested as telemetry. It signs in through the sign-in page, opens
 * every page without a console error (CSP violations are console errors), finds the overview's invoice
 * total, the estimated days not billed yet and the unit-economics figures equal to the CLI's JSON, clicks a feature down to its billing
 * file:line, sees the hostile names as text, and writes a screenshot of each page under
 * .ci-out/serve-screenshots/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupThousands, roundDecimal, sumDecimals } from '../domain/decimal.js';
import { formatRate } from '../report/render.js';
import { listen, type Running } from '../server/listen.js';
import { findTool } from '../test-support/tools.js';
import { REPO_ROOT } from '../test-support/paths.js';
import { MONTH, PRINCIPALS, serveDemo, type ServeDemo } from '../test-support/serve-demo.js';
import { run } from './main.js';

const SHOTS = join(REPO_ROOT, '.ci-out', 'serve-screenshots');
const HOSTILE_FEATURE = '<script>alert(1)</script>';
const HOSTILE_TEAM = '"><img src=x onerror=alert(1)>';
const chromiumPath = findTool(['chromium', 'chromium-browser', 'google-chrome']);

let demo: ServeDemo;
let server: Running;
let browser: Browser;

beforeAll(async () => {
  if (!chromiumPath) return;
  demo = await serveDemo(run, 'tl-serve-pages-');
  // one usage record of October with hostile names: a share of real token charges goes to them
  const first = readFileSync(join(demo.dir, 'tokenledger-demo', 'telemetry', 'usage-2026-10.jsonl'), 'utf8').split('\n')[0]!;
  const record = JSON.parse(first);
  record.request_id = 'hostile-1';
  record.metadata = { ...record.metadata, feature: HOSTILE_FEATURE, team: HOSTILE_TEAM };
  writeFileSync(join(demo.dir, 'hostile.jsonl'), JSON.stringify(record) + '\n');
  const ingest = await demo.cli(['ingest', 'telemetry', join(demo.dir, 'hostile.jsonl'), '--quiet']);
  expect(ingest.code, ingest.err).toBe(0);
  server = await listen(demo.backend, { host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A signed-in page that records console errors, page errors and dialogs (an alert would be an XSS). */
async function signedIn(who: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => (m.type() === 'error' ? problems.push(`console: ${m.text()}`) : undefined));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${server.url}signin`);
  await page.fill('#token', PRINCIPALS.find((p) => p.name === who)!.token);
  await Promise.all([page.waitForURL(`${server.url}`), page.click('button[type=submit]')]);
  return { page, problems };
}

async function open(page: Page, path: string, shot: string): Promise<void> {
  const res = await page.goto(`${server.url}${path.replace(/^\//, '')}`);
  expect(res?.status(), path).toBe(200);
  await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
}

describe.skipIf(!chromiumPath)('the dashboard in Chromium', () => {
  it('a wrong token stays on the sign-in page (401); the right one lands on the overview', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}`);
    expect(await page.locator('#token').count()).toBe(1);
    await page.fill('#token', 'tl_wrong');
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/signin')), page.click('button[type=submit]')]);
    expect(res.status()).toBe(401);
    expect(await page.textContent('.error')).toBe('unknown token');
    await page.close();
  });

  it('finance: every page renders without console errors; screenshots', async () => {
    const { page, problems } = await signedIn('cfo');
    for (const [path, shot] of [['/', 'overview'], ['/cost-per-token', 'cost-per-token'], ['/allocation?by=team', 'allocation-team'],
      ['/allocation', 'allocation'], ['/unit-economics', 'unit-economics'], ['/variance', 'variance'],
      ['/reconciliation', 'reconciliation'],
      ['/data-quality', 'data-quality'], [`/budgets?month=${MONTH}`, 'budgets'], ['/forecast?horizon=3m&by=feature', 'forecast'],
      [`/anomalies?month=${MONTH}&dimension=feature`, 'anomalies'], [`/savings?month=${MONTH}`, 'savings'],
      [`/ptu-plan?month=${MONTH}`, 'ptu-plan'], [`/capacity?month=${MONTH}`, 'capacity']]) {
      await open(page, path!, `finance-${shot}`);
      expect(await page.locator('h1').textContent()).toBeTruthy();
      expect(await page.locator('main table.data').count(), path).toBeGreaterThan(0);
    }
    expect(await page.locator('a[href="/access-log"]').count()).toBe(0); // admin only
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000); // 14 pages with screenshots: about 25 s on a quiet machine

  it('the overview\'s invoice total and spend are the CLI\'s figures; the unit economics page shows the CLI\'s numbers', async () => {
    const { page, problems } = await signedIn('cfo');
    const cli = JSON.parse((await demo.cli(['report', 'allocation', '--by', 'feature', '--month', MONTH, '--format', 'json'])).out);
    const f = cli.figures.find((x: { currency: string }) => x.currency === 'USD');
    await open(page, `/?month=${MONTH}`, 'finance-overview-month');
    for (const [id, value] of [['invoice_total-USD', f.invoice_total], ['spend-USD', f.spend], ['unallocated-USD', f.unallocated]]) {
      const card = page.locator(`[data-figure="${id}"] .value`);
      expect(await card.getAttribute('data-value')).toBe(value);
      expect(await card.textContent()).toBe(groupThousands(roundDecimal(value, 2)));
    }
    expect(await page.locator('[data-testid=data-status]').textContent()).toBe(cli.data_status.line);
    expect(await page.locator('svg.tl-plot').count()).toBeGreaterThanOrEqual(3);

    const ue = JSON.parse((await demo.cli(['report', 'unit-economics', '--month', MONTH, '--format', 'json'])).out);
    await open(page, `/unit-economics?month=${MONTH}`, 'finance-unit-economics-month');
    const table = page.locator('table[data-report="unit-economics"]').first();
    let compared = 0;
    for (const row of ue.rows as Record<string, number | string>[]) {
      const tr = table.locator('tbody tr').filter({ has: page.locator(`td[data-key="unit"]`, { hasText: new RegExp(`^${row.unit}$`) }) });
      for (const key of ['units', 'cost_per_unit', 'cost_per_success', 'success_pct']) {
        const td = tr.locator(`td[data-key="${key}"]`);
        expect(Number(await td.getAttribute('data-value')), `${row.unit} ${key}`).toBe(Number(row[key]));
        const shown = await td.textContent();
        if (key === 'cost_per_unit' || key === 'cost_per_success') expect(shown).toBe(formatRate(Number(row[key])));
        compared++;
      }
    }
    expect(compared).toBe(ue.rows.length * 4);
    expect(ue.rows.length).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the overview shows the days not billed yet beside the billed figures, marked estimated, with the accuracy on billed days',
    async () => {
      const { page, problems } = await signedIn('cfo');
      // the demo's telemetry runs two days past the last billed day (2026-10-31)
      const cli = JSON.parse((await demo.cli(['report', 'estimate', '--from', `${MONTH}-01`, '--format', 'json'])).out);
      const est = (cli.rows as Record<string, string | number | null>[]).filter((x) => x.status === 'estimated');
      const acc = (cli.rows as Record<string, string | number | null>[]).filter((x) => x.status === 'accuracy');
      expect(est.length).toBeGreaterThan(0);
      await open(page, `/?month=${MONTH}`, 'finance-overview-estimated');
      const card = page.locator('[data-figure="estimated-USD"]');
      expect(await card.getAttribute('class')).toBe('card estimated');
      expect(await card.locator('.label').textContent()).toBe('Estimated, not billed yet: 2026-11-01 to 2026-11-02 (USD)');
      const total = sumDecimals(est.map((x) => String(x.estimated_cost)));
      expect(await card.locator('.value').textContent()).toBe(groupThousands(roundDecimal(total, 2)));
      expect(Number(await card.locator('.value').getAttribute('data-value'))).toBeCloseTo(Number(total), 6);
      // beside the billed figures: the same row of cards as the invoice total
      expect(await page.locator('.cards [data-figure="invoice_total-USD"]').count()).toBe(1);
      expect(await page.locator('[data-testid=estimated-note]').textContent()).toMatch(/^Estimated, not invoiced/);
      const days = page.locator('table[data-report="estimate"] tbody tr');
      expect(await days.count()).toBe(est.length);
      expect(await days.first().locator('td[data-key="feature"]').textContent()).toBe(String(est[0]!.feature));
      // the daily chart goes on past the billed days: the estimate per day, dashed, summing to the card
      const perDay = cli.estimated_days as { day: string; currency: string; estimated_cost: string }[];
      expect(perDay.map((d) => d.day)).toEqual(['2026-11-01', '2026-11-02']);
      expect(sumDecimals(perDay.map((d) => d.estimated_cost))).toBe(total);
      const chart = page.locator('figure.chart', { has: page.locator('figcaption', { hasText: 'estimated from telemetry (dashed)' }) });
      const dashed = chart.locator('[stroke-dasharray="5,4"] path');
      expect(await dashed.count()).toBe(1);
      expect((await dashed.getAttribute('d'))!.match(/[ML]/g)!.length).toBe(perDay.length);
      expect(await chart.textContent()).toContain('estimated, not billed yet (USD)');
      const accuracy = page.locator('table[data-report="estimate-accuracy"] tbody tr');
      expect(await accuracy.count()).toBe(acc.length);
      for (const a of acc) {
        const tr = accuracy.filter({ has: page.locator('td[data-key="model"]', { hasText: new RegExp(`^${String(a.model)}$`) }) });
        expect(Number(await tr.locator('td[data-key="error_pct"]').getAttribute('data-value')), String(a.model)).toBe(a.error_pct);
      }
      // an earlier month has every day billed: nothing estimated on its overview
      await open(page, '/?month=2026-09', 'finance-overview-september');
      expect(await page.locator('[data-figure^="estimated-"]').count()).toBe(0);
      expect(await page.locator('table[data-report="estimate"]').count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });

  it('drill-down: a feature on the overview leads to its explain, down to billing file:line', async () => {
    const { page, problems } = await signedIn('cfo');
    await open(page, `/?month=${MONTH}`, 'finance-overview-drill');
    await Promise.all([page.waitForURL(/\/explain\/allocation\?/),
      page.click('table[data-report="allocation"] a:text-is("support-copilot")')]);
    await page.screenshot({ path: join(SHOTS, 'finance-explain-allocation.png'), fullPage: true });
    const cli = JSON.parse((await demo.cli(['explain', 'allocation', '--feature', 'support-copilot', '--month', MONTH, '--format',
      'json'])).out);
    const first = page.locator('td[data-key="billing_row"]').first();
    const full = (await first.locator('abbr').getAttribute('title')) ?? (await first.textContent());
    expect(full).toBe(cli.rows[0].billing_row);
    expect(full).toMatch(/part_0_0001\.csv\.gz:\d+$/);
    expect(await page.locator('td[data-key="billing_row"]').count()).toBe(cli.rows.length);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('hostile names from the data are text: no script runs, no image loads', async () => {
    const { page, problems } = await signedIn('admin');
    await open(page, `/allocation?month=${MONTH}`, 'admin-allocation-hostile');
    expect(await page.locator('table[data-report="allocation"] td[data-key="key"]').allTextContents()).toContain(HOSTILE_FEATURE);
    await open(page, `/allocation?month=${MONTH}&by=team`, 'admin-allocation-team-hostile');
    expect(await page.locator('table[data-report="allocation"] td[data-key="key"]').allTextContents()).toContain(HOSTILE_TEAM);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.locator('svg.tl-plot text', { hasText: HOSTILE_TEAM }).count()).toBeGreaterThan(0);
    // reflected values too: a hostile filter value comes back in the error banner as text
    const res = await page.goto(`${server.url}explain/allocation?month=${MONTH}&feature=${encodeURIComponent(HOSTILE_TEAM)}`);
    expect(res?.status()).toBe(400);
    expect(await page.locator('[role=alert]').textContent()).toContain(HOSTILE_TEAM);
    expect(await page.locator('main img').count()).toBe(0);
    await open(page, '/access-log', 'admin-access-log');
    // the one error is the browser saying the refused filter was a 400
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.close();
  });

  it('a viewer sees its team\'s pages only: no Reconciliation link, 403 on it, no other team\'s feature', async () => {
    const { page, problems } = await signedIn('ops-lead');
    await open(page, `/?month=${MONTH}`, 'viewer-ops-overview');
    expect(await page.locator('header nav a').allTextContents()).toEqual(['Overview', 'Cost per token', 'Allocation', 'Unit economics',
      'Variance']);
    const text = await page.locator('main').textContent();
    expect(text).toContain('doc-intake');
    for (const other of ['support-copilot', 'agent-assist', 'cx-platform', HOSTILE_FEATURE]) expect(text).not.toContain(other);
    const denied = await page.goto(`${server.url}reconciliation`);
    expect(denied?.status()).toBe(403);
    expect(await page.locator('[role=alert]').textContent()).toBe('Reconciliation is not open to the viewer role');
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    await page.close();
  });
});
