/**
 * The `access:` part of tokenledger.yaml: who may open `tokenledger serve` and what each may see. A
 * principal is a name, the sha256 of its bearer token (the token itself is never stored), a role and
 * optionally a scope (teams, features, cost centers, environments, currencies), which the server turns
 * into the Ledger's scope for every query that principal makes. With `oidc:`, people sign in with the
 * company's identity provider (Entra ID...) and a claim of their ID token (groups or roles) names the
 * principal they act as; a principal reached only that way needs no token.
 */
import { z } from 'zod';

export const ROLES = ['admin', 'finance', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const values = z.array(z.string().min(1)).min(1);

export const PrincipalSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a name of letters, digits, . _ - (at most 64)'),
  token_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected the hex sha256 of the token (64 lowercase hex digits)').optional(),
  role: z.enum(ROLES),
  scope: z.object({
    team: values.optional(), feature: values.optional(), cost_center: values.optional(),
    environment: values.optional(), currency: values.optional(),
  }).strict().optional(),
}).strict();
export type Principal = z.infer<typeof PrincipalSchema>;

export const OidcSchema = z.object({
  /** The issuer URL (Entra ID: https://login.microsoftonline.com/<tenant>/v2.0); its discovery document is read. */
  issuer: z.string().url('expected the issuer URL (https://...)'),
  client_id: z.string().min(1),
  /** The environment variable holding the client secret (the secret stays out of the file); none: a public client with PKCE. */
  client_secret_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the name of an environment variable').optional(),
  /** Where the provider sends people back; default: this server's /auth/callback as the browser reached it. */
  redirect_uri: z.string().url().optional(),
  /** The ID token claim whose values name principals (Entra ID: groups or roles). */
  claim: z.string().min(1).default('groups'),
  scopes: z.array(z.string().min(1)).min(1).default(['openid', 'profile']),
  /** Claim value (a group object id, an app role) -> principal name; the first principal in `principals` order wins. */
  map: z.record(z.string().min(1), z.string().min(1)).refine((m) => Object.keys(m).length > 0, 'expected at least one claim value'),
  label: z.string().min(1).max(60).default('Sign in with your company account'),
}).strict();
export type OidcConfig = z.infer<typeof OidcSchema>;

export const AccessConfigSchema = z.object({
  principals: z.array(PrincipalSchema).min(1),
  oidc: OidcSchema.optional(),
}).strict()
  .refine((a) => new Set(a.principals.map((p) => p.name)).size === a.principals.length, 'principal names must be unique')
  .refine((a) => {
    const tokens = a.principals.flatMap((p) => (p.token_sha256 ? [p.token_sha256] : []));
    return new Set(tokens).size === tokens.length;
  }, 'two principals share a token')
  .refine((a) => !a.oidc || Object.values(a.oidc.map).every((n) => a.principals.some((p) => p.name === n)),
    { message: 'oidc.map names a principal that is not in principals', path: ['oidc', 'map'] })
  .refine((a) => a.principals.every((p) => p.token_sha256 || Object.values(a.oidc?.map ?? {}).includes(p.name)),
    { message: 'a principal without token_sha256 must be reachable through oidc.map', path: ['principals'] });
export type AccessConfig = z.infer<typeof AccessConfigSchema>;
