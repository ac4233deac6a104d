/**
 * The sign-in session: a cookie `tl_session` = principal name, expiry (unix seconds) and an HMAC-SHA256
 * over both and the principal's token hash, with a key the server draws at start (so a restart signs
 * everyone out, and a changed token in tokenledger.yaml ends that principal's sessions). Any change to
 * the cookie breaks the signature; the signature is compared in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'tl_session';
export const SESSION_SECONDS = 8 * 3600;

export class SessionKeys {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  private mac(name: string, expires: number, tokenHash: string): string {
    return createHmac('sha256', this.key).update(`${name}\n${expires}\n${tokenHash}`).digest('base64url');
  }

  /** The cookie value for a principal, valid for SESSION_SECONDS from `nowSeconds`. */
  sign(name: string, tokenHash: string, nowSeconds: number): string {
    const expires = nowSeconds + SESSION_SECONDS;
    return `${name}.${expires}.${this.mac(name, expires, tokenHash)}`;
  }

  /**
   * The principal name a cookie value carries if it is intact and not expired; `tokenHashOf` gives the
   * current token hash of a name (null: no such principal).
   */
  verify(value: string, nowSeconds: number, tokenHashOf: (name: string) => string | null): string | null {
    const m = /^([A-Za-z0-9._-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!m) return null;
    const [, name, exp, mac] = m as unknown as [string, string, string, string];
    const hash = tokenHashOf(name);
    if (hash === null) return null;
    const expected = Buffer.from(this.mac(name, Number(exp), hash));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return Number(exp) > nowSeconds ? name : null;
  }

  /** A value sealed against change (not hidden): base64url JSON and its HMAC, for short-lived sign-in state. */
  seal(payload: object): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${createHmac('sha256', this.key).update(`seal\n${body}`).digest('base64url')}`;
  }

  /** The payload of a sealed value, or null when it was changed or is not one. */
  unseal(value: string): Record<string, unknown> | null {
    const m = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!m) return null;
    const expected = Buffer.from(createHmac('sha256', this.key).update(`seal\n${m[1]}`).digest('base64url'));
    const given = Buffer.from(m[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const v: unknown = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8'));
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
}
