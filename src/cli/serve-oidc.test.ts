/**
 * Sign-in with an identity provider, end to end: a real OpenID provider (the `oidc-provider` package,
 * the same code many production providers run) on a loopback port, the real tokenledger server, and
 * Debian's Chromium going through the provider's login page. The ID token's `groups` claim names the
 * principal: a finance group signs in as `cfo`, a support group as the team-scoped `cx-lead`, a group
 * reached only through OIDC (no token) as its own principal; a person in two groups gets the first
 * principal in tokenledger.yaml order; one in no mapped group, a replayed or cookieless callback and a
 * missing client secret are refused with a message that says what to do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { loadConfig } from '../config/config.js';
import { AccessLog } from '../server/access-log.js';
import type { Backend } from '../server/api.js';
import { listen, type Running } from '../server/listen.js';
import { findTool } from '../test-support/tools.js';
import { REPO_ROOT } from '../test-support/paths.js';
import { accessYaml, MONTH, serveDemo, TODAY, type ServeDemo } from '../test-support/serve-demo.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { run } from './main.js';

const SHOTS = join(REPO_ROOT, '.ci-out', 'serve-screenshots');
const chromiumPath = findTool(['chromium', 'chromium-browser', 'google-chrome']);
const SECRET = 'tl-test-client-secret-4f1c2b9a7e6d5c3b';
/** Who exists at the provider, and their groups (Entra ID sends group object ids). */
const GROUPS: Record<string, string[]> = {
  carol: ['grp-finance'],
  sam: ['grp-support'],
  olga: ['grp-ops'],
  both: ['grp-support', 'grp-finance'],
  nobody: ['grp-marketing'],
};

let demo: ServeDemo;
let idp: Server;
let tl: Running;
let browser: Browser;
let configFile: string;

function oidcYaml(issuer: string, extra = ''): string {
  return [
    '    - name: ops-oidc', '      role: viewer', '      scope: { team: [ops-automation] }',
    '  oidc:', `    issuer: ${issuer}`, '    client_id: tokenledger', '    client_secret_env: TL_OIDC_SECRET', '    claim: groups',
    '    scopes: [openid, profile]', '    label: Sign in with Contoso ID',
    '    map: { grp-finance: cfo, grp-support: cx-lead, grp-ops: ops-oidc }', extra,
  ].join('\n') + '\n';
}

beforeAll(async () => {
  if (!chromiumPath) return;
  demo = await serveDemo(run, 'tl-serve-oidc-');
  // 1. the provider's port first (the issuer is its URL), then tokenledger's (the client's redirect URI)
  idp = createServer();
  await new Promise<void>((done) => idp.listen(0, '127.0.0.1', done));
  const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  configFile = join(demo.dir, 'tokenledger-demo', 'tokenledger-oidc.yaml');
  writeFileSync(configFile, readFileSync(demo.configFile, 'utf8') + oidcYaml(issuer));
  const config = loadConfig(configFile);
  const fx = memoryEffects({ cwd: demo.dir, env: { TOKENLEDGER_TODAY: TODAY, TL_OIDC_SECRET: SECRET } });
  const log = new AccessLog(join(demo.dir, 'oidc-log.jsonl'));
  const backend: Backend = { g: { store: demo.storeFile, config: configFile }, config, fx, log };
  tl = await listen(backend, { host: '127.0.0.1', port: 0 });
  // 2. the provider: one confidential client, PKCE required, the groups claim in the ID token, consent granted
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'tokenledger', client_secret: SECRET, redirect_uris: [`${tl.url}auth/callback`],
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: id, groups: GROUPS[id] ?? [] }) }),
    claims: { openid: ['sub'], profile: ['name', 'groups'] },
    conformIdTokenClaims: false,
    cookies: { keys: ['tl-test-cookie-key'] },
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  idp.on('request', (req, res) => void handle(req, res));
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await tl?.close();
  await new Promise<void>((done) => (idp ? idp.close(() => done()) : done()));
});

/** Sign in as `login` at the provider, starting from a tokenledger page; the page and the status JSON it then gets. */
async function signInAs(login: string, start = 'cost-per-token')
  : Promise<{ url: string; who: string; status: Record<string, unknown>; body: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${tl.url}${start}`);
  await page.click('#oidc');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any');
  // back at tokenledger: the callback answers a page that steps (same-site) to the page asked for, or says why not
  await Promise.all([page.waitForURL((u) => u.href.startsWith(tl.url), { timeout: 20_000 }), page.click('button[type=submit]')]);
  for (let i = 0; i < 200 && new URL(page.url()).pathname.startsWith('/auth/'); i++) {
    if (await page.locator('.error').count().catch(() => 0)) break; // refused: the sign-in page with its message
    await page.waitForTimeout(100);
  }
  await page.waitForLoadState('load');
  const url = page.url();
  const who = (await page.locator('.who').count()) ? await page.locator('.who').innerText() : '';
  const body = await page.locator('body').innerText();
  const res = await context.request.get(`${tl.url}api/status?month=${MONTH}`);
  const status = res.ok() ? (await res.json()) as Record<string, unknown> : { http: res.status() };
  await context.close();
  return { url, who, status, body };
}

describe.skipIf(!chromiumPath)('sign-in with an OpenID provider', () => {
  it('the sign-in page offers it, and a finance group signs in as cfo on the page asked for', async () => {
    const page = await browser.newPage();
    await page.goto(`${tl.url}signin`);
    expect(await page.locator('#oidc').innerText()).toBe('Sign in with Contoso ID');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'signin-oidc.png') });
    await page.close();
    const r = await signInAs('carol');
    expect(r.url).toBe(`${tl.url}cost-per-token`);
    expect(r.who).toBe('cfo (finance; scope: all)');
    expect(r.status).toMatchObject({ principal: 'cfo', role: 'finance', scope: 'all' });
  });

  it('a support group is the team-scoped viewer; a group reached only through OIDC is its own principal', async () => {
    expect((await signInAs('sam')).status).toMatchObject({ principal: 'cx-lead', role: 'viewer', scope: 'teams=cx-platform' });
    expect((await signInAs('olga')).status).toMatchObject({ principal: 'ops-oidc', role: 'viewer', scope: 'teams=ops-automation' });
  });

  it('in two mapped groups: the first principal in tokenledger.yaml order', async () => {
    // principals are listed admin, cfo, cx-lead, ...: cfo comes first
    expect((await signInAs('both')).status).toMatchObject({ principal: 'cfo' });
  });

  it('a group nobody mapped is refused with what to do, and gets no session', async () => {
    const r = await signInAs('nobody');
    expect(r.body).toMatch(/none of your groups gives access to this dashboard; ask its administrator/);
    expect(r.status).toEqual({ http: 401 });
  });

  it('a callback without its sign-in cookie (replayed, or from another browser) is refused', async () => {
    const res = await fetch(`${tl.url}auth/callback?code=abc&state=xyz`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/this sign-in has expired or was started in another browser; start again/);
    expect(res.headers.get('set-cookie') ?? '').not.toMatch(/tl_session=[^;]/);
  });
});

describe('the oidc: configuration', () => {
  it('names the key to fix', async () => {
    const base = accessYaml();
    const dir = tempDir('tl-oidc-config-');
    const good = join(dir, 'good.yaml');
    writeFileSync(good, base + oidcYaml('https://login.example.com/t/v2.0'));
    expect(loadConfig(good).access?.oidc).toMatchObject({ claim: 'groups', client_id: 'tokenledger' });
    const bad = (extra: string, yaml = base + oidcYaml('https://login.example.com/t/v2.0', extra)) => {
      const f = join(dir, 'bad-oidc.yaml');
      writeFileSync(f, yaml);
      return () => loadConfig(f);
    };
    expect(bad('    unknown_key: 1')).toThrow(/unknown_key/);
    expect(bad('', base + oidcYaml('https://x.example/v2.0').replace('grp-ops: ops-oidc', 'grp-ops: ops-ghost'))).toThrow(
      /oidc\.map names a principal that is not in principals/);
    expect(bad('', base + oidcYaml('https://x.example/v2.0').replace(', grp-ops: ops-oidc', ''))).toThrow(
      /a principal without token_sha256 must be reachable through oidc\.map/);
    expect(bad('', base + oidcYaml('not a url'))).toThrow(/issuer/);
  });

  it.skipIf(!chromiumPath)('a missing client secret stops the server at start, naming the variable', async () => {
    const config = loadConfig(configFile);
    const backend: Backend = { g: { store: demo.storeFile, config: configFile }, config, fx: memoryEffects({ env: {} }),
      log: new AccessLog(join(demo.dir, 'oidc-log-2.jsonl')) };
    await expect(listen(backend, { host: '127.0.0.1', port: 0 })).rejects.toThrow(/TL_OIDC_SECRET is not set/);
  });
});
