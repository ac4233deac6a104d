/**
 * Token counts and event counts are whole numbers everywhere (issue 11): an events count 2.0000004 is not
 * stored as 2, an APIM metrics valueSum 12.5 is not rounded, and counts beyond the 64-bit range are input
 * errors naming the file (and the line for events), never an internal error with an SQL fragment. Events
 * dates follow the same rules as billing dates; a gzipped copy of an events file is the same data.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { Store } from '../../store/db.js';
import { fingerprint, tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestTelemetry } from '../telemetry/ingest.js';
import { ingestEvents } from './ingest.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

async function refused(run: () => Promise<unknown>, pattern: RegExp, line?: number): Promise<void> {
  const before = await fingerprint(store);
  const err = await run().then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(pattern);
  if (line !== undefined) expect((err as InputError).location).toMatchObject({ line });
  expect(await fingerprint(store)).toEqual(before);
}

describe('events counts', () => {
  const csv = (count: string) => `timestamp,unit,count\n2026-10-01T00:00:00Z,ticket,1\n2026-10-01T00:00:00Z,ticket,${count}\n`;
  const jsonl = (count: string) => `{"timestamp":"2026-10-01T00:00:00Z","unit":"ticket"}\n` +
    `{"timestamp":"2026-10-01T00:00:00Z","unit":"ticket","count":${count}}\n`;

  it.each(['2.0000004', '2.5', '-1', '1e-7', '99999999999999999999', '9223372036854775808', '1e25', 'two'])(
    'CSV count %s is refused on its line', async (count) => {
      await refused(() => ingestEvents(store, [writeFixture(tempDir(), 'e.csv', csv(count))]), /line 3.*count .* is not a whole number/, 3);
    });

  it.each(['2.0000004', '99999999999999999999', '1e25', '"2.5"'])('JSONL count %s is refused on its line', async (count) => {
    await refused(() => ingestEvents(store, [writeFixture(tempDir(), 'e.jsonl', jsonl(count))]), /line 2.*count .* is not a whole number/, 2);
  });

  it.each([['2', '2'], ['2.0', '2'], ['9223372036854775807', '9223372036854775807'], ['1e3', '1000'], ['+4', '4']])(
    'count %s is stored as %s', async (count, want) => {
      await ingestEvents(store, [writeFixture(tempDir(), 'e.csv', csv(count))]);
      expect((await store.query('SELECT CAST(max(count) AS VARCHAR) AS c FROM event_rows'))[0]).toEqual({ c: want });
    });
});

describe('APIM metrics valueSum', () => {
  const dims = JSON.stringify({ Deployment: 'gpt-4o' }).replace(/"/g, '""');
  const csv = (prompt: string) => 'timestamp,name,valueCount,valueSum,customDimensions\n' +
    `2026-10-01T10:00:00Z,Prompt Tokens,1,${prompt},"${dims}"\n2026-10-01T10:00:00Z,Completion Tokens,1,10,"${dims}"\n`;

  it.each(['12.5', '1e-3', '99999999999999999999', '1e25'])('valueSum %s is refused', async (v) => {
    await refused(() => ingestTelemetry(store, [writeFixture(tempDir(), 'customMetrics.csv', csv(v))]),
      /customMetrics\.csv.*(not a whole number|64-bit)/);
  });

  it('query API JSON: Sum 12.5 (a JSON number) is refused, not rounded; ItemCount 2.5 too', async () => {
    const doc = (sum: number, items: number) => JSON.stringify({ tables: [{ name: 'PrimaryResult',
      columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Name', type: 'string' }, { name: 'Sum', type: 'real' },
        { name: 'ItemCount', type: 'long' }, { name: 'Properties', type: 'dynamic' }],
      rows: [['2026-10-02T00:00:00Z', 'Prompt Tokens', sum, items, { Deployment: 'gpt-4o' }],
        ['2026-10-02T00:00:00Z', 'Completion Tokens', 500, items, { Deployment: 'gpt-4o' }]] }] });
    await refused(() => ingestTelemetry(store, [writeFixture(tempDir(), 'appmetrics.json', doc(12.5, 3))]), /not a whole number/);
    await refused(() => ingestTelemetry(store, [writeFixture(tempDir(), 'appmetrics.json', doc(12, 2.5))]), /valueCount .* not a whole/);
    await ingestTelemetry(store, [writeFixture(tempDir(), 'appmetrics.json', doc(12, 3))]);
    expect(await store.query('SELECT input_tokens AS i, requests AS n FROM telemetry')).toEqual([{ i: '12', n: '3' }]);
  });

  it.each(['4/1/25', '2026-10-01T10:00:00+25:00', '99999-01-01'])('timestamp %s is refused', async (ts) => {
    const bad = 'timestamp,name,valueCount,valueSum,customDimensions\n' + `${ts},Prompt Tokens,1,5,"${dims}"\n`;
    await refused(() => ingestTelemetry(store, [writeFixture(tempDir(), 'customMetrics.csv', bad)]), /a timestamp is not a date-time/);
  });

  it('a whole valueSum written as 12.0 or 1e3 is that count', async () => {
    await ingestTelemetry(store, [writeFixture(tempDir(), 'customMetrics.csv', csv('1e3'))]);
    expect(await store.query('SELECT input_tokens AS i, output_tokens AS o FROM telemetry')).toEqual([{ i: '1000', o: '10' }]);
  });
});

describe('events: the same content under another compression, and dates', () => {
  const csv = 'timestamp,unit,count\n2026-10-01T00:00:00Z,ticket,2\n2026-10-02T00:00:00Z,ticket,3\n';

  it('an events file and a gzipped copy under another name count once', async () => {
    const d = tempDir();
    const out = [...await ingestEvents(store, [writeFixture(d, 'e.csv', csv)]),
      ...await ingestEvents(store, [writeFixture(d, 'copy.csv.gz', gzipSync(csv))])];
    expect(out.map((o) => o.action)).toEqual(['ingested', 'skipped']);
    expect(await store.query('SELECT CAST(sum(count) AS BIGINT) AS n FROM event_rows')).toEqual([{ n: '5' }]);
  });

  it.each([['4/1/25', /four-digit year/], ['99999-01-01', /ISO 8601/], ['10/05/2026', /day and month order/]])(
    'timestamp %s is refused on its line', async (ts, pattern) => {
      const f = writeFixture(tempDir(), 'e.csv', `timestamp,unit\n2026-10-01T00:00:00Z,ticket\n${ts},ticket\n`);
      await refused(() => ingestEvents(store, [f]), pattern, 3);
    });

  it('an ambiguous slash date is read in the order given', async () => {
    const f = writeFixture(tempDir(), 'e.csv', 'timestamp,unit\n10/05/2026,ticket\n');
    await ingestEvents(store, [f], { dateOrder: 'dmy' });
    expect(await store.query('SELECT CAST(ts AS VARCHAR) AS ts FROM event_rows')).toEqual([{ ts: '2026-05-10 00:00:00' }]);
  });
});
