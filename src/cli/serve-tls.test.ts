/**
 * HTTPS and the reverse proxy, as the README documents them. With --tls-cert/--tls-key (a self-signed
 * certificate made by openssl for 127.0.0.1) the server answers HTTPS only, with HSTS, and the sign-in
 * cookie is Secure; behind a proxy (--behind-proxy), X-Forwarded-Proto: https makes the cookie Secure
 * and X-Forwarded-For is the address failed sign-ins are counted by, while without --behind-proxy both
 * headers are ignored (a client cannot claim another address).
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.js';
import { listen, type Running } from '../server/listen.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { findTool } from '../test-support/tools.js';
import { PRINCIPALS, serveDemo, type ServeDemo } from '../test-support/serve-demo.js';
import { run } from './main.js';

const openssl = findTool(['openssl']);
let demo: ServeDemo;
let tls: Running | null = null;
let cert: string;
const token = PRINCIPALS.find((p) => p.name === 'cfo')!.token;

beforeAll(async () => {
  demo = await serveDemo(run, 'tl-serve-tls-');
  if (!openssl) return;
  const dir = tempDir('tl-tls-');
  const r = spawnSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out',
    join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  tls = await listen(demo.backend, { host: '127.0.0.1', port: 0, tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') });
}, 180_000);

afterAll(async () => {
  await tls?.close();
});

/** An HTTPS request that trusts only the test's certificate. */
function https(path: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {})
  : Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, tls!.url), { method: o.method ?? 'GET', headers: o.headers, ca: cert }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const form = (t: string) => new URLSearchParams({ token: t, next: '/' }).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.skipIf(!openssl)('--tls-cert / --tls-key', () => {
  it('answers HTTPS with HSTS; the session cookie is Secure, HttpOnly and SameSite=Strict', async () => {
    expect(tls!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const status = await https('/api/status', { headers: { authorization: `Bearer ${token}` } });
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toMatchObject({ principal: 'cfo' });
    expect(status.headers['strict-transport-security']).toBe('max-age=31536000');
    const signin = await https('/signin', { method: 'POST', headers: FORM, body: form(token) });
    expect(signin.status).toBe(303);
    const cookie = String(signin.headers['set-cookie']);
    expect(cookie).toMatch(/^tl_session=[^;]+;/);
    for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict']) expect(cookie).toContain(attr);
  });

  it('plain HTTP on the TLS port gets no page', async () => {
    const plain = await fetch(tls!.url.replace('https:', 'http:') + 'api/status').then((r) => r.status, () => 'refused');
    expect(plain).not.toBe(200);
  });
});

describe('--behind-proxy', () => {
  const signIn = (app: ReturnType<typeof createApp>, t: string, headers: Record<string, string>) =>
    app.request('/signin', { method: 'POST', headers: { ...FORM, ...headers }, body: form(t) });

  it('X-Forwarded-Proto: https makes the cookie Secure; without --behind-proxy the header is ignored', async () => {
    const proxied = createApp(demo.backend, { behindProxy: true });
    expect((await signIn(proxied, token, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).toContain('Secure');
    expect((await signIn(proxied, token, {})).headers.get('set-cookie')).not.toContain('Secure');
    const direct = createApp(demo.backend);
    expect((await signIn(direct, token, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).not.toContain('Secure');
  });

  it('failed sign-ins are counted per X-Forwarded-For address behind the proxy, and not on a direct connection', async () => {
    const proxied = createApp(demo.backend, { behindProxy: true });
    for (let i = 0; i < 5; i++) expect((await signIn(proxied, 'tl_wrong', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);
    expect((await signIn(proxied, token, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    expect((await signIn(proxied, token, { 'x-forwarded-for': '198.51.100.7, 10.0.0.1' })).status).toBe(303);
    // direct: a client naming other addresses in the header is still one client
    const direct = createApp(demo.backend);
    for (let i = 0; i < 5; i++) await signIn(direct, 'tl_wrong', { 'x-forwarded-for': `203.0.113.${i}` });
    expect((await signIn(direct, token, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
  });
});
