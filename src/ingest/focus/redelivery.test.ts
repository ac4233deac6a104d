/**
 * The same data is the same ledger (issue 11): a re-delivery under another name or compression is skipped
 * and says so; a bare file sharing charges with another file of the same account and period is refused,
 * naming both, or replaces it when given its scope. Real ingests on a real store; the FOCUS 1.0 sample.
 */
import { copyFileSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { loadRules } from '../../normalize/rules.js';
import { Store } from '../../store/db.js';
import { ext } from '../../test-support/paths.js';
import { fingerprint, focusCsv, tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestFocus } from './ingest.js';

const rules = loadRules();
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const ingest = (paths: string[], scope?: string) => ingestFocus(store, paths, { rules, ...(scope ? { scope } : {}) });
const totals = async () => (await store.query(
  'SELECT count(*) AS n, CAST(sum(BilledCost) AS VARCHAR) AS billed FROM billing_rows'))[0];

describe('the same content under another name or compression', () => {
  const sample = ext('focus-1.0-sample', 'focus_sample.csv');

  it('focus_sample.csv, then a gzipped copy under another name: 1,000 rows, the cost once', async () => {
    await ingest([sample]);
    const once = await totals();
    expect(once).toMatchObject({ n: '1000' });
    const gz = writeFixture(tempDir(), 'october-redelivered.csv.gz', gzipSync(readFileSync(sample)));
    const [o] = await ingest([gz]);
    expect(o).toMatchObject({ action: 'skipped', rows: 0 });
    expect(o!.detail).toMatch(/same content once decompressed as ing-/);
    expect(await totals()).toEqual(once);
    const [ev] = await store.query<{ action: string; source: string }>(
      `SELECT action, source FROM ingestion_events WHERE action = 'skipped'`);
    expect(ev).toEqual({ action: 'skipped', source: gz });
  });

  it('the .gz first, then the plain file under another name (in one command too)', async () => {
    const d = tempDir();
    const gz = writeFixture(d, 'a.csv.gz', gzipSync(readFileSync(sample)));
    const plain = join(d, 'b.csv');
    copyFileSync(sample, plain);
    const out = await ingest([gz, plain]);
    expect(out.map((o) => o.action)).toEqual(['ingested', 'skipped']);
    expect(out[1]!.detail).toMatch(/same content as ing-/);
    expect(await totals()).toMatchObject({ n: '1000' });
    // and again, both: nothing to do
    expect((await ingest([gz, plain])).map((o) => o.action)).toEqual(['skipped', 'skipped']);
    expect(await totals()).toMatchObject({ n: '1000' });
  });

  it('two gzip encodings of the same content (other level) are the same data', async () => {
    const d = tempDir();
    const content = readFileSync(sample);
    await ingest([writeFixture(d, 'x1.csv.gz', gzipSync(content, { level: 1 }))]);
    const [o] = await ingest([writeFixture(d, 'x9.csv.gz', gzipSync(content, { level: 9 }))]);
    expect(o!.action).toBe('skipped');
    expect(await totals()).toMatchObject({ n: '1000' });
  });
});

describe('a bare file sharing charges with another file of the same account and period', () => {
  const rows = [{ ResourceId: 'r1', BilledCost: '10', EffectiveCost: '10' }, { ResourceId: 'r2', BilledCost: '2.5', EffectiveCost: '2.5' }];

  it('is refused, naming both files; the store is unchanged', async () => {
    const d = tempDir();
    const first = writeFixture(d, 'focus-2026-10-05.csv', focusCsv(rows));
    await ingest([first]);
    const before = await fingerprint(store);
    // the next day's month-to-date file: the same two charges and a new one
    const next = writeFixture(d, 'focus-2026-10-06.csv', focusCsv([...rows, { ResourceId: 'r3', BilledCost: '1', EffectiveCost: '1' }]));
    const err = await ingest([next]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/focus-2026-10-06\.csv: 2 of its 3 charges .* already in the ledger from .*focus-2026-10-05\.csv/);
    expect((err as InputError).hint).toMatch(/--scope "file:acct-1\|focus-2026-10-05"/);
    expect(await fingerprint(store)).toEqual(before);
  });

  it('with the earlier file\'s scope it replaces it (newest wins): the month once', async () => {
    const d = tempDir();
    const first = writeFixture(d, 'focus-2026-10-05.csv', focusCsv(rows));
    utimesSync(first, new Date('2026-10-05'), new Date('2026-10-05'));
    await ingest([first]);
    const next = writeFixture(d, 'focus-2026-10-06.csv', focusCsv([...rows, { ResourceId: 'r3', BilledCost: '1', EffectiveCost: '1' }]));
    utimesSync(next, new Date('2026-10-06'), new Date('2026-10-06'));
    const [o] = await ingest([next], 'file:acct-1|focus-2026-10-05');
    expect(o).toMatchObject({ action: 'ingested', rows: 3 });
    expect(await totals()).toEqual({ n: '3', billed: '13.500000000000000000' });
  });

  it('another account, or other charges of the same account, are added', async () => {
    const d = tempDir();
    await ingest([writeFixture(d, 'a.csv', focusCsv(rows))]);
    await ingest([writeFixture(d, 'b.csv', focusCsv(rows.map((r) => ({ ...r, BillingAccountId: 'acct-2' }))))]);
    await ingest([writeFixture(d, 'c.csv', focusCsv([{ ResourceId: 'r9', BilledCost: '1', EffectiveCost: '1' }]))]);
    expect(await totals()).toEqual({ n: '5', billed: '26.000000000000000000' });
  });
});
