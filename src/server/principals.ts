/**
 * Who is asking: bearer tokens, their hashes and the principal each names, and the Ledger scope a
 * principal's `scope:` becomes. Tokens are random, shown once by `tokenledger access add`, and only
 * their sha256 is stored; a presented token is hashed and compared with every principal's hash in
 * constant time (no early exit, so timing says nothing about which principal or how close).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccessConfig, Principal, Role } from '../config/access.js';
import type { Scope } from '../ledger/scope.js';

/** The principal a request runs as: its name, role, the Ledger scope, and the scope as text for the access log. */
export interface Caller {
  name: string;
  role: Role;
  scope: Scope;
  /** Hash of the principal's token: sessions are bound to it, so a changed token ends them. */
  tokenHash: string;
}

/** Without `access:` the server listens on loopback only and the local user is the administrator. */
export const LOCAL_CALLER: Caller = { name: 'local', role: 'admin', scope: {}, tokenHash: '' };

export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new bearer token: 32 random bytes, base64url, with a prefix that says what it is. */
export function newToken(): string {
  return `tl_${randomBytes(32).toString('base64url')}`;
}

/** The Ledger scope of a principal (tokenledger.yaml names the dimensions in the singular). */
export function ledgerScope(p: Pick<Principal, 'scope'>): Scope {
  const s = p.scope ?? {};
  return {
    ...(s.team ? { teams: s.team } : {}),
    ...(s.feature ? { features: s.feature } : {}),
    ...(s.cost_center ? { costCenters: s.cost_center } : {}),
    ...(s.environment ? { environments: s.environment } : {}),
    ...(s.currency ? { currencies: s.currency } : {}),
  };
}

export function callerOf(p: Principal): Caller {
  return { name: p.name, role: p.role, scope: ledgerScope(p), tokenHash: sessionBinding(p) };
}

/** The scope as short text, for the access log and the page header ("all" without one). */
export function scopeText(s: Scope): string {
  const parts = Object.entries(s).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${(v as string[]).join('|')}`);
  return parts.length ? parts.join(' ') : 'all';
}

const NO_TOKEN = '0'.repeat(64);

/**
 * What a principal's sessions are bound to: its token hash (a changed token ends its sessions), or for a
 * principal without a token (OIDC only) its role and scope, so a changed role or scope ends them.
 */
export function sessionBinding(p: Principal): string {
  return p.token_sha256 ?? `oidc:${p.role}:${JSON.stringify(p.scope ?? {})}`;
}

/** The principal whose token this is, or null; every principal's hash is compared, in constant time. */
export function principalByToken(access: AccessConfig, token: string): Principal | null {
  const presented = Buffer.from(tokenSha256(token), 'hex');
  let found: Principal | null = null;
  for (const p of access.principals) {
    // a principal reached only through OIDC has no token: compared with a hash no token has, in the same time
    const stored = Buffer.from(p.token_sha256 ?? NO_TOKEN, 'hex');
    if (timingSafeEqual(presented, stored) && found === null && p.token_sha256) found = p;
  }
  return found;
}

/** The principal of this name, for a session cookie (whose signature binds it to the token hash). */
export function principalByName(access: AccessConfig, name: string): Principal | null {
  return access.principals.find((p) => p.name === name) ?? null;
}
