/**
 * `--date-order` and tokenledger.yaml `ingest.date_order` (issue 11): an ambiguous slash date is refused
 * (exit 2, file, line, column, what to set) unless the user says which order the files use.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { run as runCli } from './main.js';

async function run(args: string[], cwd: string) {
  const fx = memoryEffects({ cwd, env: { TZ: 'UTC' } });
  const code = await runCli(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

async function chargeStart(dir: string): Promise<string[]> {
  const store = await Store.open(join(dir, '.tokenledger', 'ledger.duckdb'), { readOnly: true });
  try {
    return (await store.query<{ d: string }>('SELECT CAST(ChargePeriodStart AS VARCHAR) AS d FROM billing_rows')).map((r) => r.d);
  } finally {
    store.close();
  }
}

describe('ingest focus: the order of slash dates', () => {
  const file = (dir: string) => writeFixture(dir, 'x.csv', focusCsv([{ ChargePeriodStart: '10/05/2026', ChargePeriodEnd: '10/06/2026',
    BillingPeriodStart: '10/01/2026', BillingPeriodEnd: '11/01/2026' }]));

  it('is refused when ambiguous, with what to set', async () => {
    const dir = tempDir();
    const r = await run(['ingest', 'focus', file(dir), '--no-allocate'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/x\.csv, line 2, data row 1, column BillingPeriodStart: expected a date whose day and month order is known/);
    expect(r.err).toMatch(/--date-order/);
  });

  it('--date-order mdy reads 10/05/2026 as 5 October', async () => {
    const dir = tempDir();
    expect((await run(['ingest', 'focus', file(dir), '--date-order', 'mdy', '--quiet', '--no-allocate'], dir)).code).toBe(0);
    expect(await chargeStart(dir)).toEqual(['2026-10-05 00:00:00']);
    expect((await run(['ingest', 'focus', file(dir), '--date-order', 'ymd'], dir)).code).toBe(2);
  });

  it('tokenledger.yaml ingest.date_order: dmy reads it as 10 May', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tokenledger.yaml'), 'ingest:\n  date_order: dmy\n');
    const f = writeFixture(dir, 'x.csv', focusCsv([{ ChargePeriodStart: '10/05/2026', ChargePeriodEnd: '11/05/2026',
      BillingPeriodStart: '01/05/2026', BillingPeriodEnd: '01/06/2026' }]));
    expect((await run(['ingest', 'focus', f, '--quiet', '--no-allocate'], dir)).code).toBe(0);
    expect(await chargeStart(dir)).toEqual(['2026-05-10 00:00:00']);
  });
});
