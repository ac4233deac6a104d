/**
 * Golden files: compare output with src/<dir>/__golden__/<name>. A missing golden is written locally
 * (never on CI, where it fails); a difference writes <name>-changed.<ext> beside it for review.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { expect } from 'vitest';

export function expectGolden(path: string, actual: string): void {
  if (!existsSync(path)) {
    if (process.env.CI) throw new Error(`golden file ${path} is missing (generate it locally and commit it)`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  const expected = readFileSync(path, 'utf8');
  if (expected !== actual) {
    const ext = extname(path);
    writeFileSync(path.slice(0, -ext.length) + '-changed' + ext, actual);
  }
  expect(actual).toBe(expected);
}
