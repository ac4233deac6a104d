/**
 * Sign-in with the company's identity provider (OpenID Connect, Entra ID in production): the
 * authorization code flow with PKCE, state and nonce (openid-client), and the ID token's claim mapped to
 * a principal of tokenledger.yaml, who then gets the same signed session cookie as a token sign-in.
 *
 * 1. /auth/oidc/start: the provider's metadata (discovery, cached; retried after a failure), a fresh
 *    code verifier, state and nonce sealed into a short-lived cookie (SameSite=Lax: it must come back
 *    on the provider's redirect, a cross-site navigation), and a redirect to the provider.
 * 2. /auth/callback: the sealed cookie checked and consumed, the code exchanged (openid-client checks
 *    state, nonce, the ID token's signature, issuer, audience and expiry), the claim's values looked up
 *    in `oidc.map`; the first matching principal in `principals:` order is the one signed in.
 * 3. An http:// issuer is accepted only on loopback (a provider on this machine, for tests and trials).
 */
import * as client from 'openid-client';
import type { AccessConfig, OidcConfig, Principal } from '../config/access.js';
import { UsageError } from '../domain/errors.js';
import { isLoopback } from './hosts.js';
import type { SessionKeys } from './session.js';

export const OIDC_COOKIE = 'tl_oidc';
export const OIDC_SECONDS = 600;
export const CALLBACK_PATH = '/auth/callback';

/** The client secret from the environment variable `oidc.client_secret_env` names; refused at start when it is unset. */
export function oidcSecret(access: AccessConfig, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const name = access.oidc?.client_secret_env;
  if (name === undefined) return undefined;
  const v = env[name];
  if (!v) {
    throw new UsageError(`access.oidc.client_secret_env: the environment variable ${name} is not set`,
      `Set it to the client secret of the app registration (the secret never goes into tokenledger.yaml).`);
  }
  return v;
}

/** A sign-in that cannot complete, with what the person (or the administrator) can do. */
export class OidcError extends Error {
  constructor(message: string, readonly status: 400 | 403 | 502 = 400) {
    super(message);
  }
}

export class OidcSignIn {
  private metadata: Promise<client.Configuration> | null = null;

  constructor(private readonly access: AccessConfig & { oidc: OidcConfig }, private readonly secret: string | undefined,
    private readonly keys: SessionKeys) {}

  get label(): string {
    return this.access.oidc.label;
  }

  private configuration(): Promise<client.Configuration> {
    const o = this.access.oidc;
    const issuer = new URL(o.issuer);
    const insecure = issuer.protocol === 'http:';
    if (insecure && !isLoopback(issuer.hostname)) {
      return Promise.reject(new OidcError(`oidc.issuer ${o.issuer}: expected https:// (http:// only for a provider on this machine)`, 502));
    }
    this.metadata ??= client.discovery(issuer, o.client_id, undefined,
      this.secret === undefined ? client.None() : client.ClientSecretPost(this.secret),
      insecure ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((e: unknown) => {
        this.metadata = null; // the next sign-in tries again
        throw new OidcError(`the identity provider ${o.issuer} did not answer its discovery document: ${(e as Error).message}`, 502);
      });
    return this.metadata;
  }

  private redirectUri(origin: string): string {
    return this.access.oidc.redirect_uri ?? `${origin}${CALLBACK_PATH}`;
  }

  /** 1. Where to send the browser, and the sealed cookie value that must come back with it. */
  async start(origin: string, next: string, nowSeconds: number): Promise<{ location: string; cookie: string }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(origin), scope: this.access.oidc.scopes.join(' '), response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce,
    });
    const cookie = this.keys.seal({ v: verifier, s: state, n: nonce, next, exp: nowSeconds + OIDC_SECONDS });
    return { location: url.href, cookie };
  }

  /** 2. The principal the provider's answer names, and where to go next. */
  async finish(callbackUrl: URL, origin: string, sealed: string | undefined, nowSeconds: number)
    : Promise<{ principal: Principal; next: string; subject: string }> {
    const error = callbackUrl.searchParams.get('error');
    if (error) {
      throw new OidcError(`the identity provider refused the sign-in: ${error} ${callbackUrl.searchParams.get('error_description') ?? ''}`
        .trim(), 403);
    }
    const t = sealed === undefined ? null : this.keys.unseal(sealed);
    if (!t || typeof t.v !== 'string' || typeof t.s !== 'string' || typeof t.n !== 'string' || typeof t.next !== 'string'
      || typeof t.exp !== 'number' || t.exp <= nowSeconds) {
      throw new OidcError('this sign-in has expired or was started in another browser; start again');
    }
    const config = await this.configuration();
    // the URL the provider redirected to, as the provider knows it (redirect_uri), with its query
    const current = new URL(this.redirectUri(origin));
    current.search = callbackUrl.search;
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, current,
        { pkceCodeVerifier: t.v, expectedState: t.s, expectedNonce: t.n, idTokenExpected: true });
      claims = tokens.claims();
    } catch (e) {
      throw new OidcError(`the sign-in could not be completed: ${(e as Error).message}`, 403);
    }
    if (!claims) throw new OidcError('the identity provider sent no ID token', 403);
    const principal = this.principalOf(claims);
    return { principal, next: t.next, subject: String(claims.sub) };
  }

  /** The first principal (in tokenledger.yaml order) that one of the claim's values maps to. */
  principalOf(claims: Record<string, unknown>): Principal {
    const o = this.access.oidc;
    const raw = claims[o.claim];
    if (raw === undefined && claims._claim_names && typeof claims._claim_names === 'object' && o.claim in claims._claim_names) {
      throw new OidcError(`your account has too many ${o.claim} for the ID token (Entra ID's overage); `
        + 'map app roles instead (claim: roles)', 403);
    }
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    const names = new Set(values.flatMap((v) => (Object.hasOwn(o.map, v) ? [o.map[v]!] : [])));
    const p = this.access.principals.find((x) => names.has(x.name));
    if (!p) throw new OidcError(`signed in, but none of your ${o.claim} gives access to this dashboard; ask its administrator`, 403);
    return p;
  }
}
