/**
 * Telemetry records delivered again in another file (issue 11): the same request id in two files is named in
 * the ingest summary and by `tokenledger check`, and `--skip-duplicate-ids` leaves the repeats out. Scenario
 * (hand-computed):
 *
 *   a.jsonl  10 records, ids r0..r9, prompt tokens 100+i            -> 1,045 prompt tokens
 *   b.jsonl  10 records, lines 1, 5, 10 repeat r7, r8, r9 (107, 108, 109 tokens);
 *            lines 2-4 and 6-9 are s0..s6, 200 tokens each           -> 324 + 1,400 = 1,724
 *   both kept:                 20 records, 2,769 prompt tokens; b names a.jsonl with 3 records
 *   --skip-duplicate-ids:      17 records, 1,045 + 1,400 = 2,445; b keeps lines 2, 3, 4, 6, 7, 8, 9
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChecks } from '../../check/checks.js';
import { Store } from '../../store/db.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestTelemetry } from './ingest.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const rec = (id: string | number | null, prompt: number, i = 0) => JSON.stringify({ ...(id === null ? {} : { id }),
  timestamp: `2026-10-01T10:${String(i).padStart(2, '0')}:00Z`, model: 'gpt-4o', usage: { prompt_tokens: prompt, completion_tokens: 1 } });
const A = Array.from({ length: 10 }, (_, i) => rec(`r${i}`, 100 + i, i)).join('\n') + '\n';
const S = (k: number) => rec(`s${k}`, 200, 20 + k);
const B = [rec('r7', 107, 7), S(0), S(1), S(2), rec('r8', 108, 8), S(3), S(4), S(5), S(6), rec('r9', 109, 9)].join('\n') + '\n';

const totals = async () => (await store.query<{ n: string; prompt: string }>(
  'SELECT count(*) AS n, CAST(sum(input_tokens) AS BIGINT) AS prompt FROM telemetry'))[0];
const CHECK = { today: '2026-10-05', staleDays: 3, closeDays: 5 };
/** The check's finding (a store without billing lists only what does not pass). */
const finding = async () => (await runChecks(store, CHECK)).find((c) => c.id === 'completeness.duplicate-request-ids')
  ?? { status: 'pass', count: 0 };

describe('request ids delivered again in another file', () => {
  it('kept by default: the summary and check name both files and the 3 records', async () => {
    const d = tempDir();
    const [a, b] = [writeFixture(d, 'a.jsonl', A), writeFixture(d, 'b.jsonl', B)];
    expect((await ingestTelemetry(store, [a]))[0]).not.toHaveProperty('duplicates');
    const [o] = await ingestTelemetry(store, [b]);
    expect(o).toMatchObject({ action: 'ingested', rows: 10, duplicates: { total: 3, skipped: false, files: [{ file: a, records: 3 }] } });
    expect(o!.detail).toContain(`3 record(s) repeat request ids already ingested from ${a} (3): counted twice`);
    expect(await totals()).toEqual({ n: '20', prompt: '2769' });
    expect(await finding()).toMatchObject({ status: 'warn', count: 3,
      examples: [`${b}: 3 record(s) with request ids of ${a} (3 record(s) there)`] });
    // the same file again is still a no-op, and reports nothing new
    expect((await ingestTelemetry(store, [b]))[0]).toMatchObject({ action: 'skipped', rows: 0 });
    expect(await totals()).toEqual({ n: '20', prompt: '2769' });
  });

  it('--skip-duplicate-ids: 17 records, the rest of b keep their lines, check passes', async () => {
    const d = tempDir();
    const [a, b] = [writeFixture(d, 'a.jsonl', A), writeFixture(d, 'b.jsonl', B)];
    const out = await ingestTelemetry(store, [a, b], { skipDuplicateIds: true });
    expect(out.map((o) => [o.action, o.rows])).toEqual([['ingested', 10], ['ingested', 7]]);
    expect(out[1]!.detail).toContain(`3 record(s) with request ids already ingested from ${a} (3) left out (--skip-duplicate-ids)`);
    expect(await totals()).toEqual({ n: '17', prompt: '2445' });
    const lines = await store.query<{ row: string; id: string }>(
      `SELECT CAST(tl_source_row AS VARCHAR) AS row, request_id AS id FROM telemetry WHERE tl_source_file LIKE '%b.jsonl' ORDER BY 1`);
    expect(lines.map((l) => `${l.row}:${l.id}`)).toEqual(['2:s0', '3:s1', '4:s2', '6:s3', '7:s4', '8:s5', '9:s6']);
    expect((await store.query<{ n: string }>('SELECT row_count AS n FROM telemetry_files WHERE path LIKE \'%b.jsonl\''))[0])
      .toEqual({ n: '7' });
    expect(await finding()).toMatchObject({ status: 'pass', count: 0 });
    // again, both: nothing changes
    expect((await ingestTelemetry(store, [a, b], { skipDuplicateIds: true })).map((o) => o.action)).toEqual(['skipped', 'skipped']);
    expect(await totals()).toEqual({ n: '17', prompt: '2445' });
  });

  it('a file whose every record was ingested from another file adds nothing; numbers are not ids', async () => {
    const d = tempDir();
    await ingestTelemetry(store, [writeFixture(d, 'a.jsonl', A)]);
    const again = A.split('\n').slice(7).join('\n'); // r7, r8, r9 alone
    const [o] = await ingestTelemetry(store, [writeFixture(d, 'tail.jsonl', again)], { skipDuplicateIds: true });
    expect(o).toMatchObject({ action: 'skipped', rows: 0, duplicates: { total: 3, skipped: true } });
    expect(await totals()).toEqual({ n: '10', prompt: '1045' });
    // line counters (numbers) and empty ids are not request ids: two files numbering their lines share nothing
    const numbered = (p: number) => [1, 2, 3].map((i) => rec(i, p + i, i)).concat([rec('', 1, 9)]).join('\n') + '\n';
    await ingestTelemetry(store, [writeFixture(d, 'n1.jsonl', numbered(10)), writeFixture(d, 'n2.jsonl', numbered(20))],
      { skipDuplicateIds: true });
    expect(await totals()).toEqual({ n: '18', prompt: String(1045 + 36 + 66 + 2) });
    expect(await finding()).toMatchObject({ status: 'pass' });
  });

  it('OTLP spans (gen_ai.response.id) and a mapped CSV (telemetry.csv.request_id) carry ids too', async () => {
    const d = tempDir();
    const attr = (key: string, v: string | number) =>
      ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });
    const span = (id: string, n: number) => ({ traceId: 't', spanId: id, name: 'chat', startTimeUnixNano: '1790000000000000000',
      attributes: [attr('gen_ai.request.model', 'gpt-4o'), attr('gen_ai.response.id', id), attr('gen_ai.usage.input_tokens', n),
        attr('gen_ai.usage.output_tokens', 1)] });
    const doc = (...spans: object[]) =>
      JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] }) + '\n';
    await ingestTelemetry(store, [writeFixture(d, 't1.jsonl', doc(span('chatcmpl-1', 5), span('chatcmpl-2', 6)))]);
    const [o] = await ingestTelemetry(store, [writeFixture(d, 't2.jsonl', doc(span('chatcmpl-2', 6), span('chatcmpl-3', 7)))]);
    expect(o!.duplicates).toMatchObject({ total: 1, files: [{ records: 1 }] });
    const mapping = { csv: { timestamp: 'time', model: 'model', prompt_tokens: 'p', completion_tokens: 'c', request_id: 'rid' } };
    const csv = 'time,model,p,c,rid\n2026-10-01 10:00:00,gpt-4o,6,1,chatcmpl-3\n2026-10-01 10:01:00,gpt-4o,9,1,x-9\n';
    const [c] = await ingestTelemetry(store, [writeFixture(d, 'u.csv', csv)], { mapping, skipDuplicateIds: true });
    expect(c).toMatchObject({ rows: 1, duplicates: { total: 1, skipped: true, files: [{ file: join(d, 't2.jsonl'), records: 1 }] } });
  });
});
