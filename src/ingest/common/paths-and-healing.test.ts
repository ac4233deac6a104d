/**
 * Regressions that cut across sources. 1. A path is a value: a file named `cost$'x.csv` once made the insert
 * a DuckDB Parser Error (String.replace read `$'` as "the text after the match") and `cost$$x.csv` was "not
 * found" (`$$` became `$`); every source reads such names now. 2. Row numbers are written after the commit;
 * a crash in between is healed by the next ingest of any kind, for every kind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRules } from '../../normalize/rules.js';
import { Store } from '../../store/db.js';
import { code } from '../../store/sql.js';
import { focusCsv, tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestEvents } from '../events/ingest.js';
import { ingestFocus } from '../focus/ingest.js';
import { ingestTelemetry } from '../telemetry/ingest.js';
import { healPendingRows } from './heal.js';

const rules = loadRules();
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const NAMES = ["cost$'x", 'cost$$x', "cost$&x", "o'brien -- $1 \"q\""];
const usage = (n: number) =>
  JSON.stringify({ timestamp: '2026-10-01T10:00:00Z', model: 'o3', usage: { prompt_tokens: n, completion_tokens: 1 } });

describe('file names are values, whatever they hold', () => {
  for (const name of NAMES) {
    it(`focus: ${name}.csv is ingested and its rows name it exactly`, async () => {
      const path = writeFixture(tempDir(), `${name}.csv`, focusCsv([{ BilledCost: '1.5' }, { BilledCost: '2.5' }]));
      const [o] = await ingestFocus(store, [path], { rules });
      expect(o).toMatchObject({ action: 'ingested', rows: 2 });
      expect(await store.query(code('SELECT DISTINCT tl_source_file AS f FROM billing_rows'))).toEqual([{ f: path }]);
      expect(await store.query(code('SELECT path FROM ingestion_files'))).toEqual([{ path }]);
    });
  }

  it('a bad value in such a file is an InputError naming the file and line, not a Parser Error', async () => {
    const path = writeFixture(tempDir(), "cost$'x.csv", focusCsv([{}, { BilledCost: 'twelve' }]));
    await expect(ingestFocus(store, [path], { rules })).rejects.toMatchObject({ name: 'InputError',
      location: { file: path, line: 3, column: 'BilledCost' } });
  });

  it('telemetry and events read such names too', async () => {
    const dir = tempDir();
    const tel = writeFixture(dir, "usage$'x$$.jsonl", `${usage(5)}\n${usage(6)}\n`);
    const evt = writeFixture(dir, "events$'x$$.csv", 'timestamp,unit,count\n2026-10-01T10:00:00Z,ticket,2\n');
    expect((await ingestTelemetry(store, [tel]))[0]).toMatchObject({ action: 'ingested', rows: 2 });
    expect((await ingestEvents(store, [evt]))[0]).toMatchObject({ action: 'ingested', rows: 1 });
    expect(await store.query(code('SELECT path FROM telemetry_files UNION ALL SELECT path FROM event_files ORDER BY path'))).toEqual(
      [{ path: evt }, { path: tel }]);
  });
});

describe('row numbers after a crash between commit and numbering, for every kind', () => {
  /** One file of each kind, ingested and numbered; returns what each kind's numbering should be. */
  async function ingestAll() {
    const dir = tempDir();
    await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv([{ BilledCost: '1' }, { BilledCost: '2' }, { BilledCost: '3' }]))],
      { rules });
    await ingestTelemetry(store, [writeFixture(dir, 'usage.jsonl', [usage(1), usage(2)].join('\n') + '\n')]);
    await ingestEvents(store,
      [writeFixture(dir, 'events.csv', 'timestamp,unit,count\n2026-10-01T10:00:00Z,ticket,1\n2026-10-02T10:00:00Z,ticket,2\n')]);
    return numbers();
  }
  const numbers = async () => store.query(code(`SELECT
    (SELECT list(tl_source_row ORDER BY BilledCost) FROM billing_rows) AS billing,
    (SELECT list(tl_source_row ORDER BY input_tokens) FROM telemetry_rows) AS telemetry,
    (SELECT list(tl_source_row ORDER BY count) FROM event_rows) AS events`));
  /** What a crash right after the commits leaves: rows at 0, billing and telemetry files flagged. */
  async function crash() {
    await store.query(code('UPDATE billing_rows SET tl_source_row = 0; UPDATE ingestion_files SET rows_numbered = false'));
    await store.query(
      code('UPDATE telemetry_wide_rows SET tl_source_row = 0; UPDATE telemetry_request_rows SET tl_source_row = 0; UPDATE ' +
        'telemetry_files SET rows_numbered = false'));
    await store.query(code('UPDATE event_rows SET tl_source_row = 0'));
  }

  it('the numbers are the lines (billing: data rows, telemetry: records, events: CSV lines)', async () => {
    expect(await ingestAll()).toEqual([{ billing: ['1', '2', '3'], telemetry: ['1', '2'], events: ['2', '3'] }]);
  });

  it('healPendingRows restores every kind, once', async () => {
    const want = await ingestAll();
    await crash();
    expect(await healPendingRows(store)).toEqual({ billing: 1, telemetry: 1, events: 1 });
    expect(await numbers()).toEqual(want);
    expect(await healPendingRows(store)).toEqual({ billing: 0, telemetry: 0, events: 0 });
  });

  for (const kind of ['focus', 'telemetry', 'events'] as const) {
    it(`the next ${kind} ingest heals all of them`, async () => {
      const want = await ingestAll();
      await crash();
      const dir = tempDir();
      // an ingest that writes nothing new still heals (it starts with healPendingRows)
      if (kind === 'focus')
        await ingestFocus(store, [writeFixture(dir, 'other.csv', focusCsv([{ BilledCost: '9', BillingAccountId: 'acct-9' }]))], { rules });
      if (kind === 'telemetry') await ingestTelemetry(store, [writeFixture(dir, 'other.jsonl', usage(900) + '\n')]);
      if (kind === 'events')
        await ingestEvents(store,
          [writeFixture(dir, 'other.jsonl', JSON.stringify({ timestamp: '2026-10-03T00:00:00Z', unit: 'ticket', count: 900 }) + '\n')]);
      const [got] = await numbers() as [{ billing: string[]; telemetry: string[]; events: string[] }];
      const [w] = want as [{ billing: string[]; telemetry: string[]; events: string[] }];
      // the new file's row is last in its kind (largest value) and numbered 1
      const cut = (xs: string[], k: string) => (k === kind ? xs.slice(0, -1) : xs);
      expect({ billing: cut(got.billing, 'focus'), telemetry: cut(got.telemetry, 'telemetry'), events: cut(got.events, 'events') })
        .toEqual(w);
      expect(await store.query(
        code("SELECT (SELECT count(*) FROM ingestion_files WHERE NOT rows_numbered) + (SELECT count(*) FROM telemetry_files WHERE NOT " +
          "rows_numbered) + (SELECT count(*) FROM event_rows WHERE tl_source_row = 0) AS pending")))
        .toEqual([{ pending: '0' }]);
    });
  }
});
