/**
 * Business events: CSV and JSONL with plain names or configured columns, the same guarantees as the other
 * ingests (one transaction, re-ingest a no-op, located errors, nothing written on bad input).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { Store } from '../../store/db.js';
import { fingerprint, tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestEvents } from './ingest.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const rowsOf = () => store.query(
  `SELECT tl_source_row AS r, CAST(ts AS VARCHAR) AS ts, unit, feature, count, outcome, correlation_id AS c, ` +
  `CAST(attributes AS VARCHAR) AS a
  FROM event_rows ORDER BY tl_ingestion_id, r`);

describe('ingest events', () => {
  it('JSONL: the issue\'s minimal record, counts, attributes, case and time zones', async () => {
    const f = writeFixture(tempDir(), 'e.jsonl', [
      '{"timestamp":"2026-10-01T10:00:00Z","unit":"document","feature":"doc-intake","outcome":"success"}',
      '{"timestamp":"2026-10-01T12:00:00+02:00","unit":"Ticket","feature":"support-copilot","count":3,"outcome":"Resolved",' +
        '"correlation_id":"c-1","attributes":{"channel":"chat"}}',
      '{"time":"2026-10-02","unit_type":"lead","units":"2"}',
    ].join('\n') + '\n');
    const [o] = await ingestEvents(store, [f]);
    expect(o).toMatchObject({ action: 'ingested', format: 'jsonl', rows: 3 });
    expect(o!.detail).toContain('6 units (document, lead, ticket)');
    expect(await rowsOf()).toEqual([
      { r: '1', ts: '2026-10-01 10:00:00', unit: 'document', feature: 'doc-intake', count: '1', outcome: 'success', c: null, a: null },
      { r: '2', ts: '2026-10-01 10:00:00', unit: 'ticket', feature: 'support-copilot', count: '3', outcome: 'resolved', c: 'c-1',
        a: '{"channel":"chat"}' },
      { r: '3', ts: '2026-10-02 00:00:00', unit: 'lead', feature: null, count: '2', outcome: null, c: null, a: null },
    ]);
  });

  it('CSV: plain names, other columns kept as attributes, data lines numbered from 2', async () => {
    const f = writeFixture(tempDir(), 'e.csv',
      'Timestamp,Unit,Feature,Count,Outcome,channel\n2026-10-01T10:00:00Z,ticket,support-copilot,,success,email\n2026-10-01T11:00:00Z,' +
        'ticket,support-copilot,2,failure,chat\n');
    await ingestEvents(store, [f]);
    expect(await rowsOf()).toEqual([
      { r: '2', ts: '2026-10-01 10:00:00', unit: 'ticket', feature: 'support-copilot', count: '1', outcome: 'success', c: null,
        a: '{"channel":"email"}' },
      { r: '3', ts: '2026-10-01 11:00:00', unit: 'ticket', feature: 'support-copilot', count: '2', outcome: 'failure', c: null,
        a: '{"channel":"chat"}' },
    ]);
  });

  it('events.columns and events.default_unit name other columns', async () => {
    const f = writeFixture(tempDir(), 'helpdesk.csv', 'closed_at,product,result\n2026-10-03 09:00:00,support-copilot,resolved\n');
    await ingestEvents(store, [f],
      { config: { columns: { timestamp: 'closed_at', feature: 'product', outcome: 'result' }, default_unit: 'ticket' } });
    expect(await rowsOf()).toEqual(
      [{ r: '2', ts: '2026-10-03 09:00:00', unit: 'ticket', feature: 'support-copilot', count: '1', outcome: 'resolved', c: null,
        a: null }]);
    await expect(ingestEvents(store, [writeFixture(tempDir(), 'x.csv', 'when,unit\n2026-10-01,ticket\n')],
      { config: { columns: { timestamp: 'closed_at' } } }))
      .rejects.toThrow(/line 1: column closed_at \(events\.columns\.timestamp in tokenledger\.yaml\) is not in the header/);
  });

  it('the same file again is a no-op', async () => {
    const f = writeFixture(tempDir(), 'e.jsonl', '{"timestamp":"2026-10-01T10:00:00Z","unit":"document"}\n');
    await ingestEvents(store, [f]);
    const [again] = await ingestEvents(store, [f]);
    expect(again).toMatchObject({ action: 'skipped', rows: 0 });
    expect(await rowsOf()).toHaveLength(1);
  });

  const BAD: [string, string, string, RegExp][] = [
    ['bad timestamp (JSONL, after a blank line)', 'e.jsonl',
      '{"timestamp":"2026-10-01T10:00:00Z","unit":"d"}\n\n{"timestamp":"yesterday","unit":"d"}\n',
      /e\.jsonl, line 3: timestamp yesterday is not a date-time/],
    ['not JSON', 'e.jsonl', '{"timestamp":"2026-10-01T10:00:00Z","unit":"d"}\n{nope\n', /e\.jsonl, line 2: not valid JSON/],
    ['no unit', 'e.jsonl', '{"timestamp":"2026-10-01T10:00:00Z","feature":"f"}\n', /line 1: no unit; expected a unit type/],
    ['fractional count (CSV)', 'e.csv', 'timestamp,unit,count\n2026-10-01,ticket,1\n2026-10-01,ticket,1.5\n',
      /e\.csv, line 3: count 1\.5 is not a whole number of at least 0/],
    ['negative count', 'e.csv', 'timestamp,unit,count\n2026-10-01,ticket,-1\n', /line 2: count -1 is not a whole number/],
    ['no timestamp column', 'e.csv', 'unit,count\nticket,1\n', /line 1: no timestamp column; expected one of timestamp, time/],
    ['ragged CSV row', 'e.csv', 'timestamp,unit\n2026-10-01,ticket,extra\n', /e\.csv.*cannot read the file as CSV/],
  ];
  it.each(BAD)('%s: a located error, exit 2, nothing written', async (_name, file, content, message) => {
    await ingestEvents(store, [writeFixture(tempDir(), 'ok.jsonl', '{"timestamp":"2026-10-01T10:00:00Z","unit":"document"}\n')]);
    const before = await fingerprint(store);
    const good = writeFixture(tempDir(), 'first.csv', 'timestamp,unit\n2026-10-05,ticket\n');
    const err = await ingestEvents(store, [good, writeFixture(tempDir(), file, content)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
    expect(await fingerprint(store)).toEqual(before);
    expect(await store.query('SELECT count(*) AS n FROM event_rows')).toEqual([{ n: '1' }]);
  });

  it('every record of a valid file lands once, with its count (property)', async () => {
    const rec = fc.record({ d: fc.integer({ min: 1, max: 28 }), unit: fc.constantFrom('ticket', 'document', 'lead'),
      n: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }), f: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) });
    await fc.assert(fc.asyncProperty(fc.array(rec, { minLength: 1, maxLength: 40 }), fc.boolean(), async (recs, csv) => {
      const s = await Store.open(':memory:');
      try {
        const ts = (d: number) => `2026-10-${String(d).padStart(2, '0')}T08:00:00Z`;
        const content = csv
          ? ['timestamp,unit,feature,count', ...recs.map((r) => `${ts(r.d)},${r.unit},${r.f ?? ''},${r.n ?? ''}`)].join('\n') + '\n'
          : recs.map((r) => JSON.stringify({ timestamp: ts(r.d), unit: r.unit, ...(r.f ? { feature: r.f } : {}),
            ...(r.n !== undefined ? { count: r.n } : {}) })).join('\n') + '\n';
        await ingestEvents(s, [writeFixture(tempDir(), csv ? 'p.csv' : 'p.jsonl', content)]);
        const [got] = await s.query<{ n: string; units: string }>('SELECT count(*) AS n, sum(count) AS units FROM event_rows');
        expect(Number(got!.n)).toBe(recs.length);
        expect(Number(got!.units)).toBe(recs.reduce((a, r) => a + (r.n ?? 1), 0));
      } finally {
        s.close();
      }
    }), { numRuns: 25 });
  });
});
