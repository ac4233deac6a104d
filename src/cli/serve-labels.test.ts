/**
 * The label buttons of the dashboard's anomalies page (server/labels.ts) on the demo company:
 * 1. in-process: finance labels by bearer token (JSON answer, the label the CLI's report then shows);
 *    a viewer is 403; a signed-in browser session posting with another site's Origin, or with no Origin
 *    and no Sec-Fetch-Site, is 403 and stores nothing; a bad label and an unknown ID are 400;
 * 2. in Chromium (Debian's, playwright-core): finance clicks "planned" on an anomaly, lands back on the
 *    same page with the button pressed and the label shown, equal to what `report anomalies` says; a
 *    viewer (who has no anomalies page) submitting the same form from its own page is refused (403).
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Running } from '../server/listen.js';
import { findTool } from '../test-support/tools.js';
import { bearer, MONTH, PRINCIPALS, serveDemo, type ServeDemo } from '../test-support/serve-demo.js';
import { labelAnomaly } from '../app/anomaly-label.js';
import { parsePeriod } from '../domain/period.js';
import { Store } from '../store/db.js';
import { reportOf } from '../test-support/ledger.js';
import { run } from './main.js';

const chromiumPath = findTool(['chromium', 'chromium-browser', 'google-chrome']);
let demo: ServeDemo;

interface Row { id: string; label: string; value: string; start: string; root_causes: string }
const anomalies = async (): Promise<Row[]> => (JSON.parse((await demo.cli(['report', 'anomalies', '--month', MONTH, '--dimension',
  'feature', '--format', 'json', '--allow-incomplete'])).out) as { rows: Row[] }).rows;

beforeAll(async () => {
  demo = await serveDemo(run, 'tl-serve-labels-');
}, 240_000);

const post = (id: string, headers: Record<string, string>, body: string, type = 'application/x-www-form-urlencoded') =>
  demo.app.request(`http://localhost/api/anomalies/${id}/label`, { method: 'POST', headers: { 'content-type': type, ...headers }, body });

async function sessionCookie(name: string): Promise<string> {
  const res = await demo.app.request('http://localhost/signin', { method: 'POST', headers: { 'content-type':
    'application/x-www-form-urlencoded', origin: 'http://localhost' },
  body: `token=${PRINCIPALS.find((p) => p.name === name)!.token}&next=/` });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('labelling anomalies through the server', () => {
  it('finance by bearer token: stored, and the CLI report shows it; JSON bodies too', async () => {
    const [a, b] = await anomalies();
    expect(a && b).toBeTruthy();
    const res = await post(a!.id, bearer('cfo'), `label=yes&month=${MONTH}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ labelled: { id: a!.id, label: 'yes', start: a!.start }, by: 'cfo' });
    const json = await post(b!.id, bearer('admin'), JSON.stringify({ label: 'No', month: MONTH }), 'application/json');
    expect(json.status).toBe(200);
    const after = await anomalies();
    expect(after.find((x) => x.id === a!.id)!.label).toBe('yes');
    expect(after.find((x) => x.id === b!.id)!.label).toBe('no');
  });

  it('refused: a viewer, another site, a request without Origin; bad label and unknown ID are 400', async () => {
    const [a] = await anomalies();
    const before = a!.label;
    const viewer = await post(a!.id, bearer('ops-lead'), 'label=planned');
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toEqual({ error: 'labelling anomalies is not open to the viewer role' });
    const cookie = await sessionCookie('cfo');
    const foreign = await post(a!.id, { cookie, origin: 'https://evil.example' }, 'label=planned');
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: 'labelling from another site refused' });
    expect((await post(a!.id, { cookie }, 'label=planned')).status).toBe(403);
    expect((await post(a!.id, { cookie, 'sec-fetch-site': 'cross-site' }, 'label=planned')).status).toBe(403);
    expect((await anomalies()).find((x) => x.id === a!.id)!.label).toBe(before);
    // the same session from this site's own page is accepted
    expect((await post(a!.id, { cookie, origin: 'http://localhost' }, `label=${before || 'yes'}&month=${MONTH}`)).status).toBe(200);
    const bad = await post(a!.id, bearer('cfo'), 'label=maybe');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'label maybe: expected yes, no or planned' });
    expect((await post('0123456789ab', bearer('cfo'), `label=yes&month=${MONTH}`)).status).toBe(400);
    expect((await post('nothex', bearer('cfo'), 'label=yes')).status).toBe(400);
    expect((await demo.app.request(`http://localhost/api/anomalies/${a!.id}/label`, { method: 'POST', body: 'label=yes' })).status).toBe(401);
  });
});

describe('labelling under a scope', () => {
  it('a scoped reader sees anomalies and labels one of its scope (the gaps query ran under a scope shadowing telemetry)', async () => {
    const scope = { teams: ['cx-platform'] };
    const store = await Store.open(demo.storeFile, { readOnly: true });
    const rows = await reportOf(store, 'anomalies', { month: MONTH, allowIncomplete: true }, demo.config, scope)
      .finally(() => store.close());
    const a = rows.rows.find((x) => x.label !== 'planned')!;
    expect(a).toBeTruthy();
    const done = await labelAnomaly(demo.backend.g, demo.fx, { id: String(a.id), label: 'planned', note: null,
      period: parsePeriod({ month: MONTH }) }, scope);
    expect(done).toMatchObject({ id: a.id, label: 'planned' });
  });
});

describe.skipIf(!chromiumPath)('the label buttons in Chromium', () => {
  let server: Running;
  let browser: Browser;
  beforeAll(async () => {
    server = await listen(demo.backend, { host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(who: string) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => (m.type() === 'error' ? problems.push(`console: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${server.url}signin`);
    await page.fill('#token', PRINCIPALS.find((p) => p.name === who)!.token);
    await Promise.all([page.waitForURL(`${server.url}`), page.click('button[type=submit]')]);
    return { page, problems };
  }

  it('finance clicks "planned": back on the same page, pressed, and the CLI report agrees', async () => {
    const { page, problems } = await signedIn('cfo');
    const path = `anomalies?month=${MONTH}&dimension=feature`;
    await page.goto(`${server.url}${path}`);
    const rows = page.locator('table[data-report="anomalies"] tbody tr');
    const target = (await anomalies()).find((x) => x.label !== 'planned')!;
    const row = rows.filter({ has: page.locator('td[data-key="id"]', { hasText: target.id }) });
    expect(await row.count()).toBe(1);
    // at 1366 px the whole table fits (no sideways scroll to reach the buttons); root causes are a line under the row
    const scroll = await page.locator('div.scroll:has(table[data-report="anomalies"])').evaluate((e) => [e.scrollWidth, e.clientWidth]);
    expect(scroll[0]).toBeLessThanOrEqual(scroll[1]!);
    expect(await row.locator('td[data-key="root_causes"]').count()).toBe(0);
    const detail = page.locator('tr.detail', { has: page.locator('[data-key="root_causes"]', { hasText: target.root_causes }) });
    expect(await detail.count()).toBe(1);
    await Promise.all([page.waitForURL(`${server.url}${path}`), row.locator('button[data-label="planned"]').click()]);
    const again = rows.filter({ has: page.locator('td[data-key="id"]', { hasText: target.id }) });
    // a labeller's label is the pressed button (the label column is the viewers')
    expect(await again.locator('td[data-key="label"]').count()).toBe(0);
    expect(await again.locator('button[data-label="planned"]').getAttribute('aria-pressed')).toBe('true');
    expect(await again.locator('button[data-label="yes"]').getAttribute('aria-pressed')).toBe('false');
    expect((await anomalies()).find((x) => x.id === target.id)!.label).toBe('planned');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a viewer sees no buttons and its own page\'s form post is refused (403), storing nothing', async () => {
    const { page } = await signedIn('ops-lead');
    const target = (await anomalies()).find((x) => x.label !== 'yes')!;
    expect((await page.goto(`${server.url}anomalies?month=${MONTH}`))?.status()).toBe(403);
    expect(await page.locator('form.label').count()).toBe(0);
    await page.goto(`${server.url}?month=${MONTH}`);
    // the form the finance page would have, submitted from the viewer's own (same-site) page
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().includes('/label')), page.evaluate((id) => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = `/api/anomalies/${id}/label`;
      const i = document.createElement('input');
      i.name = 'label';
      i.value = 'yes';
      f.append(i);
      document.body.append(f);
      f.submit();
    }, target.id)]);
    expect(res.status()).toBe(403);
    await page.waitForLoadState();
    expect(await page.locator('[role=alert]').textContent()).toBe('labelling anomalies is not open to the viewer role');
    expect((await anomalies()).find((x) => x.id === target.id)!.label).toBe(target.label);
    await page.close();
  });
});
