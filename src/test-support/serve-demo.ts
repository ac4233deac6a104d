/**
 * The demo company behind `tokenledger serve`, for the server's tests: `tokenledger demo` run
 * in-process (two months ending 2026-10, seed 7), its tokenledger.yaml extended with four principals
 * (admin, finance, and two viewers scoped to different teams), the server's application built over it
 * (requests answered in-process by Hono's app.request, no socket), and the CLI run on the same store
 * and configuration, to compare with (the tests live in src/cli/ and pass the CLI's `run` in: nothing
 * outside src/cli imports it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryEffects, type Effects } from '../app/effects.js';
import { loadConfig, type Config } from '../config/config.js';
import { AccessLog } from '../server/access-log.js';
import type { Backend } from '../server/api.js';
import { createApp } from '../server/app.js';
import { tokenSha256 } from '../server/principals.js';
import { tempDir } from './focus-fixture.js';

export const TODAY = '2026-11-20';
export const MONTH = '2026-10';

/** The principals of the test configuration, with their tokens. */
export const PRINCIPALS = [
  { name: 'admin', role: 'admin', token: 'tl_test-admin-token-0000000000000000000000', scope: undefined },
  { name: 'cfo', role: 'finance', token: 'tl_test-finance-token-11111111111111111111', scope: undefined },
  { name: 'cx-lead', role: 'viewer', token: 'tl_test-viewer-cx-2222222222222222222222', scope: { team: ['cx-platform'] } },
  { name: 'ops-lead', role: 'viewer', token: 'tl_test-viewer-ops-333333333333333333333', scope: { team: ['ops-automation'] } },
] as const;

export interface ServeDemo {
  dir: string;
  storeFile: string;
  /** The demo's tokenledger.yaml with the access: section. */
  configFile: string;
  config: Config;
  fx: Effects;
  backend: Backend;
  app: ReturnType<typeof createApp>;
  /** `tokenledger --store S --config C ...args`, in-process. */
  cli(args: string[]): Promise<{ code: number; out: string; err: string }>;
}

export function accessYaml(): string {
  const lines = ['access:', '  principals:'];
  for (const p of PRINCIPALS) {
    lines.push(`    - name: ${p.name}`, `      token_sha256: ${tokenSha256(p.token)}`, `      role: ${p.role}`);
    if (p.scope) lines.push(`      scope: { team: [${p.scope.team.join(', ')}] }`);
  }
  return lines.join('\n') + '\n';
}

export type Run = (argv: string[], fx: Effects) => Promise<number>;

export async function serveDemo(run: Run, prefix = 'tl-serve-'): Promise<ServeDemo> {
  const dir = tempDir(prefix);
  const storeFile = join(dir, 'ledger.duckdb');
  const code = await run(['--store', storeFile, 'demo', '--end', MONTH, '--months', '2', '--seed', '7'], memoryEffects({ cwd: dir }));
  if (code !== 0) throw new Error(`demo exited ${code}`);
  const demoConfig = join(dir, 'tokenledger-demo', 'tokenledger.yaml');
  const configFile = join(dir, 'tokenledger-demo', 'tokenledger-access.yaml');
  writeFileSync(configFile, readFileSync(demoConfig, 'utf8') + '\n' + accessYaml());
  const config = loadConfig(configFile);
  const fx = memoryEffects({ cwd: dir, env: { TOKENLEDGER_TODAY: TODAY } });
  const backend: Backend = { g: { store: storeFile, config: configFile }, config, fx, log: new AccessLog(join(dir, 'access-log.jsonl')) };
  const cli = async (args: string[]) => {
    const e = memoryEffects({ cwd: dir, env: { TOKENLEDGER_TODAY: TODAY } });
    const c = await run(['--store', storeFile, '--config', configFile, ...args], e);
    return { code: c, out: e.out.join(''), err: e.err.join('') };
  };
  return { dir, storeFile, configFile, config, fx, backend, app: createApp(backend), cli };
}

export function bearer(name: (typeof PRINCIPALS)[number]['name']): Record<string, string> {
  return { authorization: `Bearer ${PRINCIPALS.find((p) => p.name === name)!.token}` };
}
