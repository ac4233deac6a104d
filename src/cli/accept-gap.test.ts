/**
 * A known gap accepted once in tokenledger.yaml (`checks.accept`) instead of --allow-incomplete on every
 * command, on the official FOCUS 1.0 sample (19 missing days in 2024-09): with the acceptance, reports run
 * and every data status line names the gap and its reason; `check` still reports the finding and lists what
 * is accepted; an acceptance for another month or account, or without a reason, does not open the gate.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { run } from './main.js';
import { EXTERNAL } from '../test-support/paths.js';
import { tempDir } from '../test-support/focus-fixture.js';

let dir: string;

async function cli(args: string[], yaml?: string) {
  if (yaml !== undefined) writeFileSync(join(dir, 'tokenledger.yaml'), yaml);
  const fx = memoryEffects({ cwd: dir, env: { TOKENLEDGER_TODAY: '2026-12-01' } });
  const code = await run(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

const accept = (entry: string) => `checks:\n  accept:\n${entry}`;
const SAMPLE_GAP = accept('    - check: missing-days\n      month: 2024-09\n      reason: the FOCUS 1.0 sample has gaps\n');

beforeAll(async () => {
  dir = tempDir();
  const r = await cli(['ingest', 'focus', join(EXTERNAL, 'focus-1.0-sample', 'focus_sample.csv')], '');
  expect(r.code, r.err).toBe(0);
}, 120_000);

describe('accepting a known gap once', () => {
  it('without it, reports are refused and the hint names checks.accept', async () => {
    const r = await cli(['report', 'summary'], '');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/19 missing day\(s\)/);
    expect(r.err).toMatch(/checks\.accept/);
  });

  it('with it, every report runs and its data status names the gap and the reason', async () => {
    const r = await cli(['report', 'summary'], SAMPLE_GAP);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('checks: ok; accepted: 19 missing day(s) in 2024-09: the FOCUS 1.0 sample has gaps');
    expect(r.out).not.toMatch(/INCOMPLETE DATA/);
    const j = await cli(['report', 'tag-coverage', '--format', 'json']);
    expect(j.code, j.err).toBe(0);
    const status = (JSON.parse(j.out) as { data_status: { problems: string[]; accepted: string[] } }).data_status;
    expect(status.problems).toEqual([]);
    expect(status.accepted).toEqual(['19 missing day(s) in 2024-09: the FOCUS 1.0 sample has gaps']);
  });

  it('check still reports the missing days and lists what is accepted', async () => {
    const r = await cli(['check'], SAMPLE_GAP);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/completeness\.missing-days\s+FAIL\s+19/);
    expect(r.out).toContain('missing-days 2024-09: the FOCUS 1.0 sample has gaps');
  });

  it('an acceptance for another month, another account or another check does not open the gate', async () => {
    for (const entry of [
      '    - check: missing-days\n      month: 2024-10\n      reason: r\n',
      '    - check: missing-days\n      account: someone-else\n      reason: r\n',
      '    - check: stale\n      reason: r\n',
    ]) {
      const r = await cli(['report', 'summary'], accept(entry));
      expect(r.code, entry).toBe(2);
      expect(r.err).toMatch(/19 missing day\(s\)/);
    }
  });

  it('an acceptance needs a known check and a reason, and says which key to fix', async () => {
    const noReason = await cli(['report', 'summary'], accept('    - check: missing-days\n      month: 2024-09\n      reason: " "\n'));
    expect(noReason.code).toBe(2);
    expect(noReason.err).toMatch(/checks\.accept\.0\.reason: say why the gap is accepted/);
    const unknown = await cli(['report', 'summary'], accept('    - check: everything\n      reason: r\n'));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/checks\.accept\.0\.check/);
    const badMonth = await cli(['report', 'summary'], accept('    - check: missing-days\n      month: 2024-9\n      reason: r\n'));
    expect(badMonth.err).toMatch(/checks\.accept\.0\.month: expected a billing month YYYY-MM/);
  });
});
