/**
 * `ingest telemetry` on the command line, for what issue 11 added to telemetry: the stderr warning for records
 * whose request id another file already gave, `ingest.telemetry.skip_duplicate_ids` in tokenledger.yaml, and
 * `--date-order` / `ingest.date_order` for slash dates (the readers' own tests are in src/ingest/telemetry/).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { Store } from '../store/db.js';
import { tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { run } from './main.js';

const rec = (id: string, prompt: number, i = 0) => JSON.stringify({ id,
  timestamp: `2026-10-01T10:${String(i).padStart(2, '0')}:00Z`, model: 'gpt-4o', usage: { prompt_tokens: prompt, completion_tokens: 1 } });
const A = Array.from({ length: 10 }, (_, i) => rec(`r${i}`, 100 + i, i)).join('\n') + '\n';
const B = [rec('r7', 107, 7), rec('s0', 200, 20), rec('r8', 108, 8), rec('r9', 109, 9)].join('\n') + '\n';

describe('ingest telemetry: request ids another file gave', () => {
  it('warns on stderr and takes ingest.telemetry.skip_duplicate_ids from tokenledger.yaml', async () => {
    const d = tempDir();
    writeFixture(d, 'a.jsonl', A);
    writeFixture(d, 'b.jsonl', B);
    const cli = async (argv: string[]) => {
      const fx = memoryEffects({ cwd: d, env: { TZ: 'UTC' } });
      const code = await run(['--store', join(d, 'l.duckdb'), ...argv], fx);
      return { code, err: fx.err.join('') };
    };
    expect(await cli(['ingest', 'telemetry', 'a.jsonl', '--quiet'])).toMatchObject({ code: 0 });
    const r = await cli(['ingest', 'telemetry', 'b.jsonl', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: b.jsonl: 3 record(s) repeat request ids already ingested from a.jsonl (3); they are counted twice');
    writeFixture(d, 'tokenledger.yaml', 'ingest:\n  telemetry:\n    skip_duplicate_ids: true\n');
    writeFixture(d, 'c.jsonl', [rec('r1', 101, 1), rec('c1', 5, 30)].join('\n') + '\n');
    const c = await cli(['ingest', 'telemetry', 'c.jsonl', '--quiet']);
    expect(c.err).toContain('c.jsonl: left out 1 record(s) whose request ids were already ingested from a.jsonl (1)');
  });
});

describe('ingest telemetry: --date-order and ingest.date_order', () => {
  it('10/05/2026 is refused without an order, 10 May with --date-order dmy, 5 October with ingest.date_order: mdy', async () => {
    const d = tempDir();
    const rec = (ts: string) =>
      JSON.stringify({ timestamp: ts, model: 'gpt-4o', usage: { prompt_tokens: 1, completion_tokens: 1 } }) + '\n';
    writeFixture(d, 'a.jsonl', rec('10/05/2026 08:00:00'));
    writeFixture(d, 'b.csv', 'time,model,p,c\n10/05/2026 09:00:00,gpt-4o,1,1\n');
    const cli = async (dir: string, ...argv: string[]) => {
      const fx = memoryEffects({ cwd: dir, env: { TZ: 'UTC' } });
      const code = await run(['--store', join(dir, 'l.duckdb'), ...argv], fx);
      return { code, err: fx.err.join('') };
    };
    const refused = await cli(d, 'ingest', 'telemetry', 'a.jsonl', '--quiet');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/a\.jsonl, line 1.*could be month\/day or day\/month/);
    expect(await cli(d, 'ingest', 'telemetry', 'a.jsonl', '--quiet', '--date-order', 'dmy')).toMatchObject({ code: 0 });
    writeFixture(d, 'tokenledger.yaml', 'ingest:\n  date_order: mdy\ntelemetry:\n  csv:\n    timestamp: time\n    model: model\n'
      + '    prompt_tokens: p\n    completion_tokens: c\n');
    expect(await cli(d, 'ingest', 'telemetry', 'b.csv', '--quiet')).toMatchObject({ code: 0 });
    const s = await Store.open(join(d, 'l.duckdb'), { readOnly: true });
    try {
      expect(await s.query(`SELECT strftime(ts, '%Y-%m-%d %H:%M') AS ts FROM telemetry ORDER BY ts`)).toEqual([
        { ts: '2026-05-10 08:00' }, { ts: '2026-10-05 09:00' }]);
    } finally {
      s.close();
    }
  }, 60_000);
});
