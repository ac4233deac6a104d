/**
 * The same data is the same ledger for telemetry too (issue 11): a usage log and a gzipped copy of it under
 * another name are one ingestion, whichever comes first, in one command or two.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestTelemetry } from './ingest.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const log = Array.from({ length: 50 }, (_, i) => JSON.stringify({ timestamp: `2026-10-01T00:${String(i).padStart(2, '0')}:00Z`,
  model: 'gpt-4o', usage: { prompt_tokens: 100 + i, completion_tokens: 10 } })).join('\n') + '\n';
const tokens = async () => (await store.query(
  'SELECT count(*) AS n, CAST(sum(input_tokens) AS BIGINT) AS i, (SELECT count(*) FROM ingestions) AS ingestions FROM telemetry_rows'))[0];
const ONCE = { n: '50', i: String(50 * 100 + (49 * 50) / 2), ingestions: '1' };

describe('a .jsonl and a .jsonl.gz copy of the same usage log', () => {
  it('the plain file, then the .gz under another name: counted once, the skip says why', async () => {
    const d = tempDir();
    await ingestTelemetry(store, [writeFixture(d, 'usage.jsonl', log)]);
    const [o] = await ingestTelemetry(store, [writeFixture(d, 'usage-copy.jsonl.gz', gzipSync(log))]);
    expect(o).toMatchObject({ action: 'skipped', rows: 0 });
    expect(o!.detail).toMatch(/same content as tel-/);
    expect(await tokens()).toEqual(ONCE);
  });

  it('the .gz first, then the plain file, in one command: counted once', async () => {
    const d = tempDir();
    const out = await ingestTelemetry(store, [writeFixture(d, 'a.jsonl.gz', gzipSync(log)), writeFixture(d, 'b.jsonl', log)]);
    expect(out.map((o) => o.action)).toEqual(['ingested', 'skipped']);
    expect(await tokens()).toEqual(ONCE);
    expect((await ingestTelemetry(store, [writeFixture(d, 'c.jsonl.gz', gzipSync(log, { level: 1 }))]))[0]!.action).toBe('skipped');
    expect(await tokens()).toEqual(ONCE);
  });
});
