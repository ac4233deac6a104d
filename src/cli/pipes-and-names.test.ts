/**
 * Two ways a newcomer lost work or saw a stack trace: `--out pack.html` wrote a spreadsheet over the HTML
 * pack, and `tokenledger explain ... | head` died with an unhandled EPIPE. Now a file name that does not fit
 * the format is refused before anything is written, and a reader that goes away ends the command quietly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { BIN as CLI, ext } from '../test-support/paths.js';
import { run } from './main.js';

describe('file names and pipes', () => {
  it('export cfo-pack refuses --out without .xlsx and --html without .html, and writes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pack.html'), '<p>the HTML pack</p>');
    for (const [args, message] of [
      [['--out', 'pack.html'], /--out pack\.html: the spreadsheet is written as \.xlsx/],
      [['--html', 'pack.xlsx'], /--html pack\.xlsx: the HTML pack is written as \.html/],
    ] as const) {
      const fx = memoryEffects({ cwd: dir });
      const code = await run(['export', 'cfo-pack', '--month', '2026-10', ...args], fx);
      expect(code).toBe(2);
      expect(fx.err.join('')).toMatch(message);
    }
    expect(existsSync(join(dir, 'pack.xlsx'))).toBe(false);
    expect(existsSync(join(dir, '.tokenledger'))).toBe(false);
  });

  it('a long output piped into head ends without a stack trace', () => {
    expect(existsSync(CLI), 'run npm run build first').toBe(true);
    const dir = tempDir();
    const ingest = spawnSync(process.execPath, [CLI, 'ingest', 'focus', ext('focus-1.0-sample', 'focus_sample.csv')],
      { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(ingest.status, ingest.stderr).toBe(0);
    writeFileSync(join(dir, 'tokenledger.yaml'), 'checks:\n  accept:\n    - { check: missing-days, reason: a sample with gaps }\n');
    const cmd = `"${process.execPath}" "${CLI}" explain allocation --feature __unallocated__ --format csv | head -c 100 ` +
      '>/dev/null; echo "exit=${PIPESTATUS[0]}" >&2';
    const r = spawnSync('bash', ['-c', cmd], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|node:events/);
    expect(r.stderr).toMatch(/exit=0/);
  }, 180_000);
});
