/**
 * --skip-unusable through the real ingest and the command line, on a usage log mixing responses with what
 * logs carry besides (fixtures/mixed-usage-log.jsonl, a blank line included):
 *
 *   line  record  what                                                kept?
 *   1     1       chat.completion, 1000 prompt (800 cached) / 200      yes
 *   2     2       chat.completion.chunk, usage null                    skipped: streaming chunk
 *   3     -       blank
 *   4     3       error body (rate limit)                              skipped: error
 *   5     4       Responses object in_progress, usage null             skipped: in progress
 *   6     5       Responses object completed, 300 / 50                 yes
 *   7     6       Anthropic message_delta event                        skipped: streaming event
 *   8     7       last chunk with usage (include_usage), 20 / 5        yes
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { Store } from '../../store/db.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { recordOf, storeFingerprint } from '../common/conformance.case.js';
import { ingestTelemetry } from './ingest.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

function mixedLog(dir = tempDir()): string {
  const f = join(dir, 'mixed.jsonl');
  copyFileSync(join(FIXTURES, 'mixed-usage-log.jsonl'), f);
  return f;
}
const SKIPPED = [
  { line: 2, reason: 'a streaming chunk without usage (only the last chunk carries it)' },
  { line: 4, reason: 'an error response, without usage' },
  { line: 5, reason: 'a response still in progress, without usage yet' },
  { line: 7, reason: 'an Anthropic streaming event, not a whole response (log the final message and its usage)' },
];

describe('--skip-unusable', () => {
  it('by default the log is refused at its first unusable record, and nothing is written', async () => {
    const before = await storeFingerprint(store);
    const err = await ingestTelemetry(store, [mixedLog()]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location.line).toBe(2);
    expect((err as Error).message).toMatch(/streaming chunk without usage/);
    expect(await storeFingerprint(store)).toEqual(before);
  });

  it('ingests the usable records with their own record numbers and keeps each skipped one by line and reason', async () => {
    const f = mixedLog();
    const [o] = await ingestTelemetry(store, [f], { skipUnusable: true });
    expect(o).toMatchObject({ action: 'ingested', rows: 3, skippedCount: 4, skipped: SKIPPED });
    expect(o!.detail).toMatch(/; 4 unusable record\(s\) skipped \(--skip-unusable\): a streaming chunk without usage .*: 1 \(line 2\);/);
    const rows = await store.query<{ n: string; i: string; c: string; o: string }>(`SELECT tl_source_row AS n, input_tokens AS i,
      cached_input_tokens AS c, output_tokens AS o FROM telemetry ORDER BY n`);
    expect(rows).toEqual([{ n: '1', i: '1000', c: '800', o: '200' }, { n: '5', i: '300', c: '0', o: '50' },
      { n: '7', i: '20', c: '0', o: '5' }]);
    // lineage: each row's record number reads back its own record
    for (const r of rows) {
      const rec = JSON.parse(recordOf(f, Number(r.n))) as { usage?: Record<string, number>; response?: { usage: Record<string, number> } };
      const u = rec.usage ?? rec.response!.usage;
      expect(String(u.completion_tokens ?? u.output_tokens)).toBe(r.o);
    }
    expect(await store.query(`SELECT line, record, reason FROM telemetry_skipped_records ORDER BY line`)).toEqual(
      SKIPPED.map((s, i) => ({ line: String(s.line), record: String([2, 3, 4, 6][i]), reason: s.reason })));
    expect(await store.query('SELECT detail FROM ingestion_events')).toEqual([{ detail: o!.detail }]);
    // numbered already: healing after the commit leaves the numbers as they are
    expect(await store.query('SELECT rows_numbered AS r FROM telemetry_files')).toEqual([{ r: true }]);
  });

  it('a line that is not JSON is still an error; a log of only unusable records is refused with what was skipped', async () => {
    const dir = tempDir();
    const broken = writeFixture(dir, 'broken.jsonl', readFileSync(mixedLog(dir), 'utf8') + '{"timestamp": oops\n');
    await expect(ingestTelemetry(store, [broken], { skipUnusable: true })).rejects.toThrow(/broken\.jsonl, line 9: not valid JSON/);
    const none = writeFixture(dir, 'none.jsonl', readFileSync(mixedLog(dir), 'utf8').split('\n').filter((_, i) => [1, 3].includes(i))
      .join('\n') + '\n');
    await expect(ingestTelemetry(store, [none], { skipUnusable: true })).rejects.toThrow(
      /none\.jsonl: no usable records in the file: 2 unusable record\(s\) skipped/);
    expect(await store.query('SELECT count(*) AS n FROM telemetry_skipped_records')).toEqual([{ n: '0' }]);
  });
});
