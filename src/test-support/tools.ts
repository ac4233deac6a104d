/**
 * External programs some tests drive (LibreOffice, Chromium). .ci/run installs them and sets
 * TOKENLEDGER_REQUIRE_TOOLS=1, so on CI a missing program fails the test instead of skipping it.
 */
import { spawnSync } from 'node:child_process';

export function findTool(names: string[]): string | null {
  for (const n of names) {
    const r = spawnSync('sh', ['-c', `command -v ${n}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  if (process.env.TOKENLEDGER_REQUIRE_TOOLS === '1') throw new Error(`none of ${names.join(', ')} is installed; .ci/run installs them`);
  process.stderr.write(`note: ${names[0]} is not installed; the part of this test that needs it is skipped (.ci/run installs it)\n`);
  return null;
}
