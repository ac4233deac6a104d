/**
 * The HTTP application (Hono): who is asking, what they may see, and a record of every request.
 *
 * 1. Every response carries the security headers (a Content-Security-Policy allowing only this
 *    server's own scripts and styles, nosniff, frame denial, no caching, no referrer).
 * 2. Authentication: without `access:` everyone is the local administrator (the server then listens
 *    on loopback only, see listen.ts). With it: `Authorization: Bearer <token>` or the signed session
 *    cookie the sign-in page sets; a missing, unknown or tampered credential is 401 (the sign-in page
 *    for a page, JSON for the API). Failed sign-ins are rate limited per client address (429).
 * 3. The route answers for that caller (api.ts, pages.ts); role and scope refusals are 403.
 * 4. The access log records time, principal, route, scope and status.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AccessConfig } from '../config/access.js';
import { APP_CSS } from './assets.js';
import { apiAnswer, jsonAnswer, type Answer, type Backend } from './api.js';
import { signedInPage, signInPage } from './layout.js';
import { CALLBACK_PATH, OIDC_COOKIE, OIDC_SECONDS, OidcError, OidcSignIn, oidcSecret } from './oidc.js';
import { labelAnswer } from './labels.js';
import { pageAnswer, refusedPage } from './pages.js';
import { callerOf, LOCAL_CALLER, principalByName, principalByToken, scopeText, sessionBinding, type Caller } from './principals.js';
import { FailureLimiter } from './rate-limit.js';
import { SESSION_COOKIE, SESSION_SECONDS, SessionKeys } from './session.js';

export interface AppOptions {
  /** Served over TLS (session cookies are then Secure). */
  tls?: boolean;
  /** Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy on this host. */
  behindProxy?: boolean;
  keys?: SessionKeys;
  limiter?: FailureLimiter;
}

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

type Env = { Variables: { caller: Caller | null } };

function send(c: Context<Env>, a: Answer): Response {
  const headers = { 'Content-Type': a.type, ...(a.headers ?? {}) };
  // a large report gzipped (kept with the report, api.ts) when the client says it takes gzip
  if (a.gzip && /\bgzip\b/i.test(c.req.header('accept-encoding') ?? '')) {
    const z = a.gzip() as Uint8Array<ArrayBuffer>;
    return c.body(z, a.status as 200, { ...headers, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
  }
  return c.body(a.body, a.status as 200, headers);
}

function clientAddress(c: Context<Env>, behindProxy: boolean): string {
  const forwarded = behindProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

/** The caller of a request, null when it has no valid credential (`access` configured). */
function authenticate(c: Context<Env>, access: AccessConfig, keys: SessionKeys, now: number): Caller | null {
  const auth = c.req.header('authorization');
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    const p = m ? principalByToken(access, m[1]!) : null;
    return p ? callerOf(p) : null;
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie === undefined) return null;
  const name = keys.verify(cookie, now, (n) => {
    const p = principalByName(access, n);
    return p ? sessionBinding(p) : null;
  });
  const p = name === null ? null : principalByName(access, name);
  return p ? callerOf(p) : null;
}

const PUBLIC = new Set(['/signin', '/assets/app.css', '/favicon.ico', '/auth/oidc/start', CALLBACK_PATH]);

/** This server's origin as the browser sees it (behind a proxy: the forwarded scheme and host). */
function publicOrigin(c: Context<Env>, behindProxy: boolean): string {
  const url = new URL(c.req.url);
  if (!behindProxy) return url.origin;
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
  return `${proto === 'https' || proto === 'http' ? proto : url.protocol.replace(':', '')}://${host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : url.host}`;
}

function oidcRefusal(c: Context<Env>, e: unknown, label: string): Response {
  return c.html(signInPage({ message: (e as Error).message, next: '/', oidc: label }).text, e instanceof OidcError ? e.status : 500);
}

/** A path inside this site to go to after signing in (never another site). */
function localNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[^\s\\]*$/.test(v) ? v : '/';
}

export function createApp(b: Backend, o: AppOptions = {}): Hono<Env> {
  const access = b.config.access ?? null;
  const keys = o.keys ?? new SessionKeys();
  const oidc = access?.oidc ? new OidcSignIn({ ...access, oidc: access.oidc }, oidcSecret(access, b.fx.env), keys) : null;
  const limiter = o.limiter ?? new FailureLimiter();
  const app = new Hono<Env>();
  const nowSeconds = () => Math.floor(b.fx.now().getTime() / 1000);
  const secure = (c: Context<Env>) => Boolean(o.tls) || (Boolean(o.behindProxy) && c.req.header('x-forwarded-proto') === 'https');

  // 1, 4: headers and the access log around everything
  app.use(createMiddleware<Env>(async (c, next) => {
    const started = Date.now();
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
    if (secure(c)) c.res.headers.set('Strict-Transport-Security', 'max-age=31536000');
    const caller = c.get('caller');
    const url = new URL(c.req.url);
    b.log.append({ time: new Date(started).toISOString(), principal: caller?.name ?? '-', role: caller?.role ?? '-', method: c.req.method,
      route: url.pathname + url.search, scope: caller ? scopeText(caller.scope) : '-', status: c.res.status, ms: Date.now() - started });
  }));

  // 2: who is asking
  app.use(createMiddleware<Env>(async (c, next) => {
    const path = new URL(c.req.url).pathname;
    const caller = access ? authenticate(c, access, keys, nowSeconds()) : LOCAL_CALLER;
    c.set('caller', caller);
    if (caller || PUBLIC.has(path)) return next();
    const hadCookie = getCookie(c, SESSION_COOKIE) !== undefined;
    if (hadCookie) deleteCookie(c, SESSION_COOKIE, { path: '/' });
    const message = c.req.header('authorization') !== undefined ? 'unknown token' : hadCookie ? 'session invalid or expired; sign in again'
      : 'sign in, or send Authorization: Bearer <token>';
    if (path.startsWith('/api/')) return send(c, jsonAnswer(401, { error: message }));
    return c.html(signInPage({ message, next: path + new URL(c.req.url).search, oidc: oidc?.label }).text, 401);
  }));

  app.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/signin', (c) => {
    if (!access) return c.redirect('/');
    return c.html(signInPage({ message: null, next: localNext(c.req.query('next')), oidc: oidc?.label }).text);
  });

  // sign-in with the identity provider (oidc.ts)
  app.get('/auth/oidc/start', async (c) => {
    if (!oidc) return c.redirect('/signin');
    try {
      const t = await oidc.start(publicOrigin(c, Boolean(o.behindProxy)), localNext(c.req.query('next')), nowSeconds());
      setCookie(c, OIDC_COOKIE, t.cookie,
        { httpOnly: true, sameSite: 'Lax', secure: secure(c), path: CALLBACK_PATH, maxAge: OIDC_SECONDS });
      return c.redirect(t.location, 302);
    } catch (e) {
      return oidcRefusal(c, e, oidc.label);
    }
  });

  app.get(CALLBACK_PATH, async (c) => {
    if (!oidc) return c.redirect('/signin');
    const sealed = getCookie(c, OIDC_COOKIE);
    deleteCookie(c, OIDC_COOKIE, { path: CALLBACK_PATH }); // one use
    try {
      const done = await oidc.finish(new URL(c.req.url), publicOrigin(c, Boolean(o.behindProxy)), sealed, nowSeconds());
      c.set('caller', callerOf(done.principal));
      setCookie(c, SESSION_COOKIE, keys.sign(done.principal.name, sessionBinding(done.principal), nowSeconds()),
        { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/', maxAge: SESSION_SECONDS });
      // a page, not a redirect: the provider's redirect is a cross-site navigation, on which a browser does not send
      // the SameSite=Strict session cookie; the page's own navigation is same-site
      return c.html(signedInPage(done.principal.name, done.next).text);
    } catch (e) {
      limiter.fail(clientAddress(c, Boolean(o.behindProxy)), Date.now());
      return oidcRefusal(c, e, oidc.label);
    }
  });

  app.post('/signin', async (c) => {
    if (!access) return c.redirect('/');
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin && !o.behindProxy) {
      return c.html(signInPage({ message: 'sign-in from another site refused', next: '/' }).text, 403);
    }
    const who = clientAddress(c, Boolean(o.behindProxy));
    const wait = limiter.retryAfterMs(who, Date.now());
    if (wait > 0) {
      return c.html(signInPage({ message: `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`, next: '/' }).text, 429,
        { 'Retry-After': String(Math.ceil(wait / 1000)) });
    }
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const next = localNext(form.next);
    const p = token ? principalByToken(access, token) : null;
    if (!p) {
      limiter.fail(who, Date.now());
      return c.html(signInPage({ message: 'unknown token', next, oidc: oidc?.label }).text, 401);
    }
    c.set('caller', callerOf(p));
    setCookie(c, SESSION_COOKIE, keys.sign(p.name, sessionBinding(p), nowSeconds()),
      { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/', maxAge: SESSION_SECONDS });
    return c.redirect(next, 303);
  });

  app.post('/signout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect(access ? '/signin' : '/', 303);
  });

  // 3: the routes; labelling an anomaly is the one write (labels.ts): same-site browsers or a bearer token only
  app.post('/api/anomalies/:id/label', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const body = type.startsWith('application/json') ? await c.req.json<Record<string, unknown>>().catch(() => ({}))
      : await c.req.parseBody();
    const origin = c.req.header('origin');
    const sameOrigin = c.req.header('authorization') !== undefined || (origin !== undefined
      ? origin === publicOrigin(c, Boolean(o.behindProxy)) : c.req.header('sec-fetch-site') === 'same-origin');
    const a = await labelAnswer(b, c.get('caller')!, c.req.param('id'), body, { sameOrigin });
    const browser = (c.req.header('accept') ?? '').includes('text/html');
    if (!browser) return send(c, a);
    if (a.status === 200) return c.redirect(a.back ?? '/anomalies', 303);
    const error = (JSON.parse(a.body) as { error: string }).error;
    return c.html(refusedPage(b, c.get('caller')!, 'Anomalies', '/anomalies', { signedIn: Boolean(access) }, error).text, a.status as 400);
  });

  app.get('/api/*', async (c) => {
    const url = new URL(c.req.url);
    return send(c, await apiAnswer(b, c.get('caller')!, url.pathname, url.searchParams));
  });

  app.get('*', async (c) => {
    const url = new URL(c.req.url);
    return send(c, await pageAnswer(b, c.get('caller')!, url.pathname, url.searchParams, { signedIn: Boolean(access) }));
  });

  return app;
}
