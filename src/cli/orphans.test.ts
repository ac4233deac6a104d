/**
 * Orphan rows: the torn store a `kill -9` inside a large ingest's COMMIT leaves (observed with a
 * 300,000-row export, `npm run crash`: every new billing row kept, its `ingestions`, `ingestion_files`,
 * `ingestion_events` and new `meters` rows gone). Here that state is made exactly: a real ingest, then
 * the records DuckDB lost removed, leaving its rows. What must hold:
 * 1. any command that opens the store removes them and says so; the store is the state before the ingest;
 * 2. a reader that cannot write (another process reads the store) hides them: its reports are those of
 *    the before state, and `check` fails with them; the next command that can write removes them;
 * 3. the interrupted ingest run again gives exactly one copy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { Store } from '../store/db.js';
import { describeOrphans, findOrphans, sweepOrphans } from '../store/integrity.js';
import { ident, sql } from '../store/sql.js';
import { logicalState } from '../test-support/crash.js';
import { focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { run } from './main.js';

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const fx = memoryEffects({ cwd, env: { TZ: 'UTC' } });
  const code = await run(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

/** Leave `id`'s rows and drop what a torn COMMIT drops: its records, files, log entries and the meters only it uses. */
async function tear(path: string, id: string): Promise<void> {
  const store = await Store.open(path);
  try {
    await store.transaction(async () => {
      await store.query(sql`DELETE FROM meters WHERE meter_key IN (SELECT tl_meter_key FROM billing_rows WHERE tl_ingestion_id = ${id})
        AND meter_key NOT IN (SELECT tl_meter_key FROM billing_rows WHERE tl_ingestion_id <> ${id})`);
      for (const t of ['ingestions', 'ingestion_files', 'ingestion_events', 'telemetry_files', 'event_files']) {
        await store.query(sql`DELETE FROM ${ident(t)} WHERE ingestion_id = ${id}`);
      }
    });
  } finally {
    store.close();
  }
}

async function lastIngestion(path: string): Promise<string> {
  const store = await Store.open(path, { readOnly: true });
  try {
    const [r] = await store.query<{ id: string }>(
      'SELECT ingestion_id AS id FROM ingestions ORDER BY ingested_at DESC, ingestion_id LIMIT 1');
    return r!.id;
  } finally {
    store.close();
  }
}

/** Another process with the store open read-only, until `release`. */
async function holdReadOnly(path: string): Promise<{ release: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', `
    import { DuckDBInstance } from '@duckdb/node-api';
    const i = await DuckDBInstance.create(${JSON.stringify(path)}, { access_mode: 'READ_ONLY' });
    await i.connect(); process.stdout.write('open\\n'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`],
  { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return { release: async () => { child.stdin!.end(); await once(child, 'exit'); } };
}

const dir = tempDir('tl-orphans-');
const a = writeFixture(dir, 'a.csv',
  focusCsv([{ BilledCost: '1.5', EffectiveCost: '1.5' }, tokenRow('gpt-4o-0806 Inp glbl 1M Tokens', 2000, '2.5')]));
const b = writeFixture(dir, 'b.csv', focusCsv([{ BilledCost: '10', EffectiveCost: '10' }, { BilledCost: '20', EffectiveCost: '20' },
  tokenRow('gpt-4o-0806 Outp glbl 1M Tokens', 3000, '10')]));
const usage = writeFixture(dir, 'usage.jsonl', ['{"timestamp":"2026-10-05T10:00:00Z","model":"gpt-4o","usage":{"prompt_tokens":7,'
  + '"completion_tokens":3}}', ''].join('\n'));
const events = writeFixture(dir, 'events.csv', 'timestamp,unit,count\n2026-10-05T12:00:00Z,ticket,4\n');

let holder: { release: () => Promise<void> } | undefined;
afterEach(async () => { await holder?.release(); holder = undefined; });

/** A store with a.csv (the before state) and a torn ingest of `args` on top; returns the store and both states. */
async function tornStore(args: string[]): Promise<{ path: string; before: string; after: string; id: string }> {
  const path = join(tempDir('tl-torn-'), 'ledger.duckdb');
  expect((await cli(['--store', path, 'ingest', 'focus', a], dir)).code).toBe(0);
  const before = await logicalState(path);
  expect((await cli(['--store', path, ...args], dir)).code).toBe(0);
  const after = await logicalState(path);
  const id = await lastIngestion(path);
  await tear(path, id);
  return { path, before, after, id };
}

describe('orphan rows of a torn ingest', () => {
  for (const [kind, args, what] of [
    ['billing', ['ingest', 'focus', b], /removed 3 billing rows of ingestion ing-\S+ \(.*b\.csv\)/],
    ['telemetry', ['ingest', 'telemetry', usage], /removed 1 telemetry records of ingestion tel-/],
    ['events', ['ingest', 'events', events], /removed 1 event records of ingestion evt-/],
  ] as const) {
    it(`${kind}: the next command removes them and says so; the store is as before; the ingest again gives one copy`, async () => {
      const { path, before, after } = await tornStore([...args]);
      expect(await logicalState(path)).not.toBe(before);
      const reader = await cli(['--store', path, 'report', 'ingestions', '--format', 'json'], dir);
      expect(reader.code).toBe(0);
      expect(reader.err).toMatch(what);
      expect(reader.err).toMatch(/run that ingest again to add them once/);
      expect(await logicalState(path)).toBe(before);
      // nothing left: the next command says nothing
      expect((await cli(['--store', path, 'report', 'ingestions'], dir)).err).toBe('');
      expect((await cli(['--store', path, ...args], dir)).code).toBe(0);
      expect(await logicalState(path)).toBe(after);
    });
  }

  it('a writer removes them first too: the ingest itself, run again on the torn store, gives one copy', async () => {
    const { path, after } = await tornStore(['ingest', 'focus', b]);
    const again = await cli(['--store', path, 'ingest', 'focus', b], dir);
    expect(again.err).toMatch(/removed 3 billing rows/);
    expect(await logicalState(path)).toBe(after);
  });

  it('a reader that cannot write hides them from every report and check fails; the next writer removes them', async () => {
    const { path, before, id } = await tornStore(['ingest', 'focus', b]);
    const clean = join(tempDir('tl-clean-'), 'ledger.duckdb');
    expect((await cli(['--store', clean, 'ingest', 'focus', a], dir)).code).toBe(0);
    const expected = await cli(['--store', clean, 'report', 'summary', '--format', 'json', '--allow-incomplete'], dir);
    holder = await holdReadOnly(path);
    const summary = await cli(['--store', path, 'report', 'summary', '--format', 'json', '--allow-incomplete'], dir);
    expect(summary.code).toBe(0);
    expect(summary.err).toMatch(new RegExp(`ignoring 3 billing rows of ingestion ${id}.*next command that can open the store for writing`));
    expect(summary.out).toBe(expected.out);
    const check = await cli(['--store', path, 'check', '--format', 'json', '--today', '2026-10-07'], dir);
    expect(check.out).toMatch(/"completeness.orphan-rows"/);
    expect((JSON.parse(check.out) as { rows: unknown[] }).rows).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: 'completeness.orphan-rows', status: 'fail', count: 3 })]));
    await holder.release();
    holder = undefined;
    expect((await cli(['--store', path, 'report', 'summary'], dir)).err).toMatch(/removed 3 billing rows/);
    expect(await logicalState(path)).toBe(before);
  });

  it('a reader numbers what a crash between commit and numbering left, billing, telemetry and events alike', async () => {
    const path = join(tempDir('tl-numbering-'), 'ledger.duckdb');
    for (const args of [['ingest', 'focus', b], ['ingest', 'telemetry', usage], ['ingest', 'events', events]]) {
      expect((await cli(['--store', path, ...args], dir)).code).toBe(0);
    }
    const numbered = await logicalState(path);
    const store = await Store.open(path);
    try {
      // what the commits leave before the numbering: rows at 0, billing and telemetry files flagged
      for (const q of ['UPDATE billing_rows SET tl_source_row = 0', 'UPDATE ingestion_files SET rows_numbered = false',
        'UPDATE telemetry_request_rows SET tl_source_row = 0', 'UPDATE telemetry_wide_rows SET tl_source_row = 0',
        'UPDATE telemetry_files SET rows_numbered = false', 'UPDATE event_rows SET tl_source_row = 0']) await store.query(q);
    } finally {
      store.close();
    }
    expect(await logicalState(path)).not.toBe(numbered);
    const reader = await cli(['--store', path, 'report', 'ingestions'], dir);
    expect(reader.code).toBe(0);
    expect(reader.err).toMatch(/numbered the rows of 1 billing file part\(s\), 1 telemetry file\(s\), 1 events file\(s\)/);
    expect(await logicalState(path)).toBe(numbered);
  });

  it('check fails an ingestion whose rows are not all there (the other half of a tear), and passes a healthy store', async () => {
    const path = join(tempDir('tl-lost-'), 'ledger.duckdb');
    expect((await cli(['--store', path, 'ingest', 'focus', a, b], dir)).code).toBe(0);
    type Rows = { rows: { id: string; status: string; count: number; examples: string[] }[] };
    const rowsCheck = async () => {
      const out = (await cli(['--store', path, 'check', '--format', 'json', '--today', '2026-10-07'], dir)).out;
      return (JSON.parse(out) as Rows).rows.filter((r) => r.id.endsWith('ingestion-rows'));
    };
    expect(await rowsCheck()).toEqual([expect.objectContaining({ status: 'pass', count: 0 })]);
    const store = await Store.open(path);
    try {
      await store.query(sql`DELETE FROM billing_rows WHERE tl_source_file = ${b} AND BilledCost = 10`);
    } finally {
      store.close();
    }
    const [r] = await rowsCheck();
    expect(r).toMatchObject({ status: 'fail', count: 1 });
    expect(r!.examples[0]).toMatch(/\(.*b\.csv\): recorded 3 rows, holds 2$/);
  });

  it('rows of a replaced ingestion are orphans too; a healthy store has none and nothing is written', async () => {
    const path = join(tempDir('tl-replaced-'), 'ledger.duckdb');
    expect((await cli(['--store', path, 'ingest', 'focus', a, b], dir)).code).toBe(0);
    const store = await Store.open(path);
    try {
      expect(await findOrphans(store, { full: true })).toEqual([]);
      expect(await sweepOrphans(store)).toEqual([]);
      const id = (await store.query<{ id: string }>("SELECT ingestion_id AS id FROM ingestions WHERE source LIKE '%a.csv'"))[0]!.id;
      await store.query(sql`UPDATE ingestions SET status = 'replaced' WHERE ingestion_id = ${id}`);
      // the counts agree (a status flipped by hand, its rows kept): the rows are found by the scan of the daily
      // rollup every open makes (it is small), and the full scan finds the same
      const found = await findOrphans(store, { full: true });
      expect(found).toEqual([{ table: 'billing_rows', what: 'billing rows', ingestionId: id, rows: 2, source: a },
        { table: 'charges_daily', what: 'billing rollup rows', ingestionId: id, rows: 2, source: null }]);
      expect(await findOrphans(store)).toEqual(found);
      expect(describeOrphans(found)).toEqual([`2 billing rows of ingestion ${id} (${a})`]);
      expect(await sweepOrphans(store, { full: true })).toEqual(found);
      expect(await store.query(sql`SELECT count(*) AS n FROM billing_rows WHERE tl_ingestion_id = ${id}`)).toEqual([{ n: '0' }]);
      expect(await store.query(sql`SELECT count(*) AS n FROM charges_daily WHERE tl_ingestion_id = ${id}`)).toEqual([{ n: '0' }]);
    } finally {
      store.close();
    }
  });
});
