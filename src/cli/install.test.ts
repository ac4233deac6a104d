/**
 * `tokenledger` from any folder, the way the README says (`npm link` in the checkout, or `npm install -g .`):
 * a global install of this checkout into a temporary prefix (npm links a folder, so nothing is fetched)
 * puts a `tokenledger` command on that prefix's bin that runs the built CLI from an unrelated folder,
 * without `npx` looking the name up in the registry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/focus-fixture.js';
import { BIN, REPO_ROOT } from '../test-support/paths.js';

describe('installing the checkout as a command', () => {
  it('npm install -g . gives a tokenledger command that works in any folder', () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const prefix = tempDir('tl-prefix-');
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, REPO_ROOT, '--offline', '--no-audit', '--no-fund'],
      { encoding: 'utf8', timeout: 120_000 });
    expect(install.status, install.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'tokenledger');
    expect(existsSync(bin)).toBe(true);
    const elsewhere = tempDir('tl-elsewhere-');
    const version = spawnSync(bin, ['--version'], { cwd: elsewhere, encoding: 'utf8', timeout: 60_000 });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // a read command in a folder without a store says what to do, and creates nothing
    const report = spawnSync(bin, ['report', 'summary'], { cwd: elsewhere, encoding: 'utf8', timeout: 60_000 });
    expect(report.status).toBe(2);
    expect(report.stderr).toMatch(/no store at .*\n.*tokenledger ingest focus/);
    expect(existsSync(join(elsewhere, '.tokenledger'))).toBe(false);
  }, 180_000);
});
