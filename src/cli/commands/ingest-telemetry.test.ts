/**
 * `tokenledger ingest telemetry --skip-unusable` as a user runs it (in-process, effects captured): the
 * skipped lines on stderr, the count in `report ingestions`, and the same log refused without the flag.
 * The records of fixtures/mixed-usage-log.jsonl are described in ingest/telemetry/skip-unusable.test.ts.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../../app/effects.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { run } from '../main.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'ingest', 'telemetry', 'fixtures', 'mixed-usage-log.jsonl');
const SKIPPED = [
  { line: 2, reason: 'a streaming chunk without usage (only the last chunk carries it)' },
  { line: 4, reason: 'an error response, without usage' },
  { line: 5, reason: 'a response still in progress, without usage yet' },
  { line: 7, reason: 'an Anthropic streaming event, not a whole response (log the final message and its usage)' },
];

describe('ingest telemetry --skip-unusable', () => {
  it('the command line lists the skipped lines on stderr and report ingestions shows the count', async () => {
    const dir = tempDir();
    const f = join(dir, 'mixed.jsonl');
    copyFileSync(FIXTURE, f);
    const fx = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
    expect(await run(['ingest', 'telemetry', f, '--skip-unusable', '--quiet'], fx)).toBe(0);
    expect(fx.err.join('')).toContain(['skipped 4 unusable record(s) of ' + f + ':',
      ...SKIPPED.map((s) => `  mixed.jsonl:${s.line}: ${s.reason}`)].join('\n'));
    const rx = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
    expect(await run(['report', 'ingestions', '--format', 'json'], rx)).toBe(0);
    const report = JSON.parse(rx.out.join('')) as { rows: { rows: number; detail: string }[] };
    expect(report.rows).toEqual([expect.objectContaining({ rows: 3, detail: expect.stringMatching(/4 unusable record\(s\) skipped/) })]);
    // without the flag, the same log is refused (exit 2) and names the line
    const other = writeFixture(tempDir(), 'again.jsonl', readFileSync(f, 'utf8') + '\n');
    const bx = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
    expect(await run(['ingest', 'telemetry', other, '--quiet'], bx)).toBe(2);
    expect(bx.err.join('')).toMatch(/again\.jsonl, line 2.*: a streaming chunk without usage/);
  });
});
