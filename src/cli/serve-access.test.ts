/**
 * Who sees what through `tokenledger serve`, on the demo company with four principals (admin, finance,
 * and viewers of cx-platform and of ops-automation):
 * 1. the access matrix: every principal x every API route: allowed or refused as policy.ts says, and an
 *    allowed answer is exactly the application layer's answer on a Ledger with that principal's scope;
 * 2. zero leaks: no viewer answer names another team, another team's features, or the company's totals;
 * 3. credentials: none, a wrong token, a tampered, forged or expired cookie are 401; a scope parameter in
 *    the URL cannot widen the scope; failed sign-ins are rate limited; cookies are HttpOnly, Strict;
 * 4. every request is in the access log (never a token), which only the admin reads;
 * 5. binding: loopback only without access:, and `tokenledger access add` writes only the hash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { answerReport, formatReport, prepareReport } from '../app/report.js';
import { loadConfig } from '../config/config.js';
import { TokenledgerError } from '../domain/errors.js';
import { Ledger } from '../ledger/ledger.js';
import type { Scope } from '../ledger/scope.js';
import { AccessLog } from '../server/access-log.js';
import { createApp } from '../server/app.js';
import { checkListen, isLoopback } from '../server/listen.js';
import { VIEWER_REPORTS } from '../server/policy.js';
import { FailureLimiter } from '../server/rate-limit.js';
import { SessionKeys } from '../server/session.js';
import { REPORT_NAMES } from '../report/registry.js';
import type { ReportName } from '../report/request.js';
import { Store } from '../store/db.js';
import { bearer, MONTH, PRINCIPALS, serveDemo, TODAY, type ServeDemo } from '../test-support/serve-demo.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { run } from './main.js';

let demo: ServeDemo;

/** The request of each report in the matrix (query string), as registry parameters. */
const REQUESTS: Record<ReportName, Record<string, string>> = {
  'cost-per-token': { month: MONTH }, 'meter-matrix': { month: MONTH }, summary: {}, 'token-kpis': { month: MONTH, by: 'feature' },
  'token-drift': { month: MONTH }, 'tag-coverage': { month: MONTH }, 'telemetry-coverage': { month: MONTH }, unclassified: {},
  allocation: { month: MONTH, by: 'feature' }, ingestions: {}, 'unit-economics': { month: MONTH },
  sensitivity: { month: MONTH, unit: 'ticket', retries: '+5%' }, chargeback: { month: MONTH, by: 'team' },
  reconcile: { month: MONTH }, 'shared-costs': { month: MONTH }, variance: { month: MONTH },
  forecast: { horizon: '3m' }, budgets: { month: MONTH },
  quota: { month: MONTH }, 'capacity-reservations': { month: MONTH }, gpu: { month: MONTH }, throughput: { month: MONTH },
  prices: { month: MONTH }, 'ptu-plan': { month: MONTH }, savings: { month: MONTH }, estimate: { month: MONTH },
  anomalies: { month: MONTH },
};

type Who = (typeof PRINCIPALS)[number];

function scopeOf(p: Who): Scope {
  return p.scope ? { teams: [...p.scope.team] } : {};
}

/** The application layer's JSON for a report under a scope (what the CLI prints, cut to that scope). */
async function expected(name: ReportName, scope: Scope): Promise<string> {
  const q = REQUESTS[name];
  const fx = memoryEffects({ env: { TOKENLEDGER_TODAY: TODAY } });
  const request = prepareReport(demo.config, name, { ...q, by: q.by ? [q.by] : undefined, retries: q.retries }, fx);
  const store = await Store.open(demo.storeFile, { readOnly: true });
  try {
    return formatReport(await answerReport(new Ledger(store, demo.config, scope), request), 'json');
  } catch (e) {
    // what the scoped ledger refuses (a unit type the scope has no feature of) is the API's 400, same message
    if (e instanceof TokenledgerError) return `400 ${e.message}`;
    throw e;
  } finally {
    store.close();
  }
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await demo.app.request(path, { headers });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

const path = (name: string) => `/api/reports/${name}?${new URLSearchParams(REQUESTS[name as ReportName]).toString()}`;

beforeAll(async () => {
  demo = await serveDemo(run, 'tl-serve-access-');
}, 180_000);

describe('the access matrix: 4 principals x every API route', () => {
  const cells = PRINCIPALS.flatMap((p) => REPORT_NAMES.map((r) => [p.name, r] as const));

  it.each(cells)('%s GET /api/reports/%s', async (who, name) => {
    const p = PRINCIPALS.find((x) => x.name === who)!;
    const allowed = p.role !== 'viewer' || VIEWER_REPORTS.has(name);
    const answer = await get(path(name), bearer(who));
    if (!allowed) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({ error: `report ${name} is not open to the viewer role` });
      return;
    }
    const want = await expected(name, scopeOf(p));
    if (want.startsWith('400 ')) {
      expect([answer.status, JSON.parse(answer.body).error]).toEqual([400, want.slice(4)]);
      expect(`${who} ${name}`).toBe('ops-lead sensitivity'); // the one cell: ops-automation has no ticket feature
      return;
    }
    expect(answer.status, answer.body).toBe(200);
    expect(answer.body).toBe(want);
  });

  it('the viewer policy is neither everything nor nothing', () => {
    expect(VIEWER_REPORTS.size).toBeGreaterThanOrEqual(6);
    expect(VIEWER_REPORTS.size).toBeLessThan(REPORT_NAMES.length);
  });

  it.each(PRINCIPALS.map((p) => [p.name, p.role] as const))('%s (%s): explain, status, access log, config', async (who, role) => {
    for (const e of ['allocation?feature=support-copilot', 'unit-cost?unit=ticket', 'cost-per-token?model=gpt-4o&token-type=output']) {
      const answer = await get(`/api/explain/${e}&month=${MONTH}`, bearer(who));
      // ops-automation has no ticket features and no support-copilot: the scoped ledger knows none
      if (who === 'ops-lead' && !e.startsWith('cost-per-token')) expect(answer.status, answer.body).toBe(400);
      else expect(answer.status, `${e}: ${answer.body}`).toBe(200);
    }
    expect((await get(`/api/status?month=${MONTH}`, bearer(who))).status).toBe(200);
    for (const admin of ['/api/access-log', '/api/config']) {
      const answer = await get(admin, bearer(who));
      expect(answer.status).toBe(role === 'admin' ? 200 : 403);
    }
  });

  it('scoped rows are the team\'s: the viewers\' allocations add up to their teams\' lines of the company\'s', async () => {
    const byTeam = JSON.parse((await get(`/api/reports/chargeback?month=${MONTH}&by=team`, bearer('cfo'))).body).rows as
      { key: string; total: string | number }[];
    for (const [who, team] of [['cx-lead', 'cx-platform'], ['ops-lead', 'ops-automation']] as const) {
      const rows = JSON.parse((await get(`/api/reports/chargeback?month=${MONTH}&by=team`, bearer(who))).body).rows as typeof byTeam;
      expect(rows.map((r) => r.key)).toEqual([team]);
      // every amount is the company's line for the team; its share is of what the viewer sees (the company's total stays hidden)
      expect({ ...rows[0], share_pct: null }).toEqual({ ...byTeam.find((r) => r.key === team), share_pct: null });
      expect((rows[0] as unknown as { share_pct: number }).share_pct).toBe(100);
    }
  });
});

describe('the access matrix: 4 principals x every page', () => {
  const PAGE_PATHS = ['/', '/cost-per-token', '/allocation', '/unit-economics', '/variance', '/reconciliation', '/data-quality',
    '/access-log', `/explain/allocation?feature=doc-intake&month=${MONTH}`, '/budgets', '/forecast?horizon=3m', '/anomalies',
    '/savings', '/ptu-plan', '/capacity'];
  const VIEWER_PAGES = ['/', '/cost-per-token', '/allocation', '/unit-economics', '/variance',
    `/explain/allocation?feature=doc-intake&month=${MONTH}`];
  const allowed = (role: string, page: string) =>
    role === 'admin' || (role === 'finance' ? page !== '/access-log' : VIEWER_PAGES.includes(page));
  const cells = PRINCIPALS.flatMap((p) => PAGE_PATHS.map((page) => [p.name, page] as const));
  let foreignOfOps: string[] = [];

  beforeAll(async () => {
    const keys = async (scope: Scope) => (JSON.parse(await expected('allocation', scope)).rows as { key: string }[]).map((r) => r.key);
    const ops = await keys({ teams: ['ops-automation'] });
    foreignOfOps = [...(await keys({ teams: ['cx-platform'] })), 'cx-platform', 'ml-research'].filter((k) => !ops.includes(k));
    expect(foreignOfOps).toEqual(expect.arrayContaining(['support-copilot', 'cx-platform']));
  });

  it.each(cells)('%s GET %s', async (who, page) => {
    const p = PRINCIPALS.find((x) => x.name === who)!;
    const answer = await get(page, bearer(who));
    // cx-platform has no doc-intake: its scoped ledger knows no such feature (400, the CLI's message), nothing about it leaks
    const want = !allowed(p.role, page) ? 403 : who === 'cx-lead' && page.startsWith('/explain') ? 400 : 200;
    expect(answer.status, answer.body.slice(0, 500)).toBe(want);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    if (want === 200) expect(answer.body).toMatch(/<h1>/);
    if (who === 'ops-lead') for (const v of foreignOfOps) expect(answer.body, `${page} names ${v}`).not.toContain(v);
  });

  it('pages without credentials are the sign-in page (401); a scope parameter on a page is 403', async () => {
    for (const page of PAGE_PATHS) {
      const answer = await get(page);
      expect(answer.status).toBe(401);
      expect(answer.body).toContain('name="token"');
      // no data: the page only carries its own URL back (as the escaped value of next)
      expect(answer.body).not.toMatch(/<table|support-copilot|cx-platform|38,511/);
    }
    expect((await get('/allocation?team=cx-platform', bearer('ops-lead'))).status).toBe(403);
    expect((await get('/allocation?wat=1', bearer('ops-lead'))).status).toBe(400);
  });
});

describe('zero leaks', () => {
  it('no viewer answer names another team, another team\'s feature, or the company\'s invoice total', async () => {
    const featuresOf = async (team: string) => (JSON.parse(await expected('allocation', { teams: [team] })).rows as { key: string }[])
      .map((r) => r.key).filter((k) => !k.startsWith('__'));
    const teams = (JSON.parse(await expected('chargeback', {})).rows as { key: string }[]).map((r) => r.key)
      .filter((k) => !k.startsWith('__'));
    expect(teams).toEqual(expect.arrayContaining(['cx-platform', 'ops-automation', 'ml-research']));
    const company = JSON.parse(await expected('allocation', {}));
    const invoice = company.figures[0].invoice_total as string;
    const routes = [...[...VIEWER_REPORTS].map(path), `/api/explain/allocation?feature=support-copilot&month=${MONTH}`,
      `/api/explain/cost-per-token?model=gpt-4o&token-type=output&month=${MONTH}`, `/api/explain/unit-cost?unit=ticket&month=${MONTH}`,
      `/api/explain/unit-cost?unit=document&month=${MONTH}`, `/api/status?month=${MONTH}`];
    let checked = 0;
    for (const [who, team] of [['cx-lead', 'cx-platform'], ['ops-lead', 'ops-automation']] as const) {
      const own = await featuresOf(team);
      expect(own.length).toBeGreaterThan(0);
      const foreign = [...teams.filter((t) => t !== team), ...(await Promise.all(teams.filter((t) => t !== team).map(featuresOf))).flat()]
        .filter((v) => !own.includes(v));
      expect(foreign.length).toBeGreaterThan(1);
      for (const route of routes) {
        const body = (await get(route, bearer(who))).body;
        for (const v of foreign) expect(body, `${who} ${route} names ${v}`).not.toContain(`"${v}"`);
        expect(body, `${who} ${route}`).not.toContain(invoice);
        checked++;
      }
    }
    expect(checked).toBe(routes.length * 2);
    // and the check can see a leak: finance's allocation names ops-automation's feature
    expect((await get(path('allocation'), bearer('cfo'))).body).toContain('"doc-intake"');
  });
});

describe('credentials', () => {
  const ROUTES = ['/api/reports/summary', `/api/explain/unit-cost?unit=ticket&month=${MONTH}`, '/api/status', '/api/access-log', '/'];

  it.each(ROUTES)('%s: no token, a wrong token, a malformed header are 401', async (route) => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer tl_wrong' }, { authorization: 'Basic YWRtaW46YWRtaW4=' },
      { authorization: `Bearer ${PRINCIPALS[0].token}x` }]) {
      const answer = await get(route, headers);
      expect(answer.status, `${JSON.stringify(headers)}`).toBe(401);
      expect(answer.body).not.toMatch(/cx-platform|support-copilot|invoice/);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  async function signIn(token: string, app = demo.app) {
    const res = await app.request('/signin', { method: 'POST', body: new URLSearchParams({ token, next: '/api/status' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    return { status: res.status, cookie: res.headers.get('set-cookie'), location: res.headers.get('location') };
  }

  it('sign-in sets an HttpOnly, SameSite=Strict session cookie that authenticates; Secure under TLS', async () => {
    const s = await signIn(PRINCIPALS[2].token);
    expect(s.status).toBe(303);
    expect(s.location).toBe('/api/status');
    expect(s.cookie).toMatch(/^tl_session=cx-lead\.\d+\.[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/);
    const value = s.cookie!.split(';')[0]!;
    const status = await get('/api/status', { cookie: value });
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body).principal).toBe('cx-lead');
    const tls = createApp(demo.backend, { tls: true });
    expect((await signIn(PRINCIPALS[2].token, tls)).cookie).toMatch(/; Secure/);
  });

  it('a tampered, forged, re-signed or expired cookie is 401', async () => {
    const value = (await signIn(PRINCIPALS[2].token)).cookie!.split(';')[0]!.replace('tl_session=', '');
    const [name, exp, mac] = value.split('.') as [string, string, string];
    const flip = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    const forged = new SessionKeys().sign('cfo', PRINCIPALS[1].token.length ? 'x' : '', 0);
    for (const bad of [`${name}.${exp}.${flip}`, `cfo.${exp}.${mac}`, `${name}.${Number(exp) + 3600}.${mac}`, forged, 'garbage', '']) {
      expect((await get('/api/status', { cookie: `tl_session=${bad}` })).status, bad).toBe(401);
    }
    // expired: a session signed 9 hours ago by the server's own keys
    const keys = new SessionKeys();
    const app = createApp(demo.backend, { keys });
    const hash = demo.config.access!.principals[2]!.token_sha256!;
    const old = keys.sign('cx-lead', hash, Math.floor(Date.now() / 1000) - 9 * 3600);
    expect((await app.request('/api/status', { headers: { cookie: `tl_session=${old}` } })).status).toBe(401);
    const fresh = keys.sign('cx-lead', hash, Math.floor(Date.now() / 1000));
    expect((await app.request('/api/status', { headers: { cookie: `tl_session=${fresh}` } })).status).toBe(200);
  });

  it('failed sign-ins are rate limited: after 5, even the right token waits (429)', async () => {
    const app = createApp(demo.backend, { limiter: new FailureLimiter(5, 60_000) });
    for (let i = 0; i < 5; i++) expect((await signIn('tl_guess' + i, app)).status).toBe(401);
    const blocked = await signIn(PRINCIPALS[0].token, app);
    expect(blocked.status).toBe(429);
    expect(blocked.cookie).toBeNull();
    const limiter = new FailureLimiter(2, 1000);
    limiter.fail('a', 0);
    limiter.fail('a', 400);
    expect([limiter.retryAfterMs('a', 500), limiter.retryAfterMs('a', 1000), limiter.retryAfterMs('b', 500)]).toEqual([500, 0, 0]);
  });

  it('sign-in from another site is refused, and next= cannot leave the server', async () => {
    const res = await demo.app.request('/signin', { method: 'POST', body: new URLSearchParams({ token: PRINCIPALS[1].token }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    const off = await demo.app.request('/signin', { method: 'POST',
      body: new URLSearchParams({ token: PRINCIPALS[1].token, next: '//evil.example/' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(off.headers.get('location')).toBe('/');
  });
});

describe('the access log', () => {
  it('records every request (principal, route, scope, status), never a token; only the admin reads it', async () => {
    await get(`/api/reports/allocation?month=${MONTH}&by=feature`, bearer('ops-lead'));
    await get('/api/reports/ingestions', bearer('ops-lead'));
    await get('/api/status', { authorization: 'Bearer tl_wrong' });
    const entries = JSON.parse((await get('/api/access-log?limit=50', bearer('admin'))).body).entries as Record<string, unknown>[];
    expect(entries.find((e) => e.route === `/api/reports/allocation?month=${MONTH}&by=feature` && e.principal === 'ops-lead'))
      .toMatchObject({ role: 'viewer', scope: 'teams=ops-automation', status: 200, method: 'GET' });
    expect(entries.find((e) => e.route === '/api/reports/ingestions' && e.principal === 'ops-lead')).toMatchObject({ status: 403 });
    expect(entries.find((e) => e.route === '/api/status' && e.principal === '-')).toMatchObject({ status: 401 });
    expect(entries.every((e) => typeof e.time === 'string' && !Number.isNaN(Date.parse(e.time as string)))).toBe(true);
    const text = readFileSync(demo.backend.log.path, 'utf8');
    for (const p of PRINCIPALS) expect(text).not.toContain(p.token);
    expect(text.split('\n').length).toBeGreaterThan(100);
  });
});

describe('binding and principals', () => {
  it('loopback only without access:; any address with it', () => {
    expect(['127.0.0.1', '127.3.4.5', 'localhost', '::1', '[::1]'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', '192.168.1.2', 'example.com', '128.0.0.1'].some(isLoopback)).toBe(false);
    const none = { config: { path: null } };
    expect(() => checkListen(none, { host: '0.0.0.0', port: 8787 })).toThrow(/without access: in tokenledger.yaml the server listens on loopback only/);
    expect(() => checkListen(none, { host: '127.0.0.1', port: 8787 })).not.toThrow();
    expect(() => checkListen(demo, { host: '0.0.0.0', port: 8787 })).not.toThrow();
    expect(() => checkListen(demo, { host: '0.0.0.0', port: 8787, tlsCert: 'c.pem' })).toThrow(/go together/);
  });

  it('the CLI refuses a public --host without access: (exit 2, before listening)', async () => {
    const e = memoryEffects({ cwd: demo.dir });
    const code = await run(['--store', demo.storeFile, '--config', join(demo.dir, 'tokenledger-demo', 'tokenledger.yaml'), 'serve',
      '--host', '0.0.0.0'], e);
    expect(code).toBe(2);
    expect(e.err.join('')).toMatch(/--host 0.0.0.0: without access:/);
  });

  it('access add prints a token once and writes only its hash; the token signs in with its scope', async () => {
    const dir = tempDir('tl-access-');
    const file = join(dir, 'tokenledger.yaml');
    const e = memoryEffects({ cwd: dir });
    expect(await run(['access', 'add', 'support-lead', '--role', 'viewer', '--team', 'cx-platform', '--config', file], e)).toBe(0);
    expect(await run(['access', 'add', 'cfo', '--role', 'finance', '--config', file], memoryEffects({ cwd: dir }))).toBe(0);
    const token = e.out.join('').trim().split('\n').pop()!;
    expect(token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);
    const yaml = readFileSync(file, 'utf8');
    expect(yaml).not.toContain(token);
    const config = { ...loadConfig(file), store: demo.storeFile };
    expect(config.access!.principals.map((p) => [p.name, p.role, p.scope])).toEqual([
      ['support-lead', 'viewer', { team: ['cx-platform'] }], ['cfo', 'finance', undefined]]);
    const app = createApp({ ...demo.backend, config, g: { store: demo.storeFile }, log: new AccessLog(join(dir, 'log.jsonl')) });
    const status = await app.request('/api/status', { headers: { authorization: `Bearer ${token}` } });
    expect(JSON.parse(await status.text())).toMatchObject({ principal: 'support-lead', scope: 'teams=cx-platform' });
    const again = memoryEffects({ cwd: dir });
    expect(await run(['access', 'add', 'cfo', '--role', 'viewer', '--config', file], again)).toBe(2);
    expect(again.err.join('')).toMatch(/principal cfo exists already/);
  });
});
