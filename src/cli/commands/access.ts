/**
 * `tokenledger access add NAME --role viewer --team X`: a new principal in tokenledger.yaml. The token is
 * drawn at random and printed once; only its sha256 is written. The file is edited as a YAML document
 * (comments and order kept), and the result is validated before it is written.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { yaml } from '../../store/packages.js';
import type { Effects } from '../../app/effects.js';
import { ROLES, type Role } from '../../config/access.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../config/config.js';
import { UsageError } from '../../domain/errors.js';
import { newToken, tokenSha256 } from '../../server/principals.js';

export interface AccessAddOptions {
  config?: string;
  role: string;
  team?: string[];
  feature?: string[];
  costCenter?: string[];
  environment?: string[];
  currency?: string[];
}

const split = (v: string[] | undefined) => v?.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

export function runAccessAdd(name: string, o: AccessAddOptions, fx: Effects): void {
  if (!(ROLES as readonly string[]).includes(o.role)) throw new UsageError(`--role ${o.role}: expected ${ROLES.join(', ')}`);
  const path = resolve(fx.cwd, o.config ?? DEFAULT_CONFIG_FILE);
  const doc = yaml().parseDocument(existsSync(path) ? readFileSync(path, 'utf8') : '');
  const existing = (doc.getIn(['access', 'principals']) as { toJSON(): unknown } | undefined)?.toJSON() as { name: string }[] | undefined;
  if (existing?.some((p) => p.name === name)) throw new UsageError(`principal ${name} exists already in ${path}`);
  const scope = Object.fromEntries(Object.entries({
    team: split(o.team), feature: split(o.feature), cost_center: split(o.costCenter), environment: split(o.environment),
    currency: split(o.currency),
  }).filter(([, v]) => v?.length));
  const token = newToken();
  const principal = { name, token_sha256: tokenSha256(token), role: o.role as Role, ...(Object.keys(scope).length ? { scope } : {}) };
  if (existing) doc.addIn(['access', 'principals'], doc.createNode(principal));
  else doc.setIn(['access', 'principals'], doc.createNode([principal]));
  const text = doc.toString();
  // the result must be a valid configuration before it replaces the file (checked beside it: relative paths)
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  try {
    loadConfig(tmp, fx.cwd);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  fx.stdout(`added ${name} (${o.role}${Object.keys(scope).length ? `, scope ${JSON.stringify(scope)}` : ''}) to ${path}\n`);
  fx.stdout(`token (shown once; tokenledger.yaml keeps only its sha256):\n${token}\n`);
}
