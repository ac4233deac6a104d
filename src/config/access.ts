/**
 * The `access:` part of tokenledger.yaml: who may open `tokenledger serve` and what each may see. A
 * principal is a name, the sha256 of its bearer token (the token itself is never stored), a role and
 * optionally a scope (teams, features, cost centers, environments, currencies), which the server turns
 * into the Ledger's scope for every query that principal makes.
 */
import { z } from 'zod';

export const ROLES = ['admin', 'finance', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const values = z.array(z.string().min(1)).min(1);

export const PrincipalSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a name of letters, digits, . _ - (at most 64)'),
  token_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected the hex sha256 of the token (64 lowercase hex digits)'),
  role: z.enum(ROLES),
  scope: z.object({
    team: values.optional(), feature: values.optional(), cost_center: values.optional(),
    environment: values.optional(), currency: values.optional(),
  }).strict().optional(),
}).strict();
export type Principal = z.infer<typeof PrincipalSchema>;

export const AccessConfigSchema = z.object({
  principals: z.array(PrincipalSchema).min(1),
}).strict()
  .refine((a) => new Set(a.principals.map((p) => p.name)).size === a.principals.length, 'principal names must be unique')
  .refine((a) => new Set(a.principals.map((p) => p.token_sha256)).size === a.principals.length, 'two principals share a token');
export type AccessConfig = z.infer<typeof AccessConfigSchema>;
