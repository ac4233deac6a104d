/**
 * Values that are wrong must not be accepted quietly (issue 11): dates outside the accepted forms, years
 * outside 2000-2100, inverted periods, FOCUS enumerations, money with more than 18 decimals. Each case
 * goes through the real ingest on a real store; a refusal names file, line and column and changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { loadRules } from '../../normalize/rules.js';
import { Store } from '../../store/db.js';
import { fingerprint, focusCsv, tempDir, writeFixture, type FixtureRow } from '../../test-support/focus-fixture.js';
import type { DateOrder } from '../common/timestamps.js';
import { ingestFocus } from './ingest.js';

const rules = loadRules();
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const ingestRows = (rows: FixtureRow[], dateOrder?: DateOrder) =>
  ingestFocus(store, [writeFixture(tempDir(), 'x.csv', focusCsv(rows))], { rules, ...(dateOrder ? { dateOrder } : {}) });

/** The refusal of one bad row (the second data row, line 3), and the store as it was. */
async function refused(row: FixtureRow, pattern: RegExp, column: string, dateOrder?: DateOrder): Promise<void> {
  const before = await fingerprint(store);
  const err = await ingestRows([{}, row], dateOrder).then(() => null, (e: unknown) => e);
  expect(err, JSON.stringify(row)).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as InputError).location).toMatchObject({ line: 3, column });
  expect(await fingerprint(store)).toEqual(before);
}

async function stored(col: string): Promise<string[]> {
  const rows = await store.query<{ v: string }>(`SELECT CAST("${col}" AS VARCHAR) AS v FROM billing_rows ORDER BY tl_source_row`);
  return rows.map((r) => r.v);
}

describe('dates: accepted forms', () => {
  it.each([
    ['2026-10-05T00:00:00Z', '2026-10-05 00:00:00'],
    ['2026-10-05 00:00:00', '2026-10-05 00:00:00'],
    ['2026-10-05', '2026-10-05 00:00:00'],
    ['2026-10-05T02:00:00+02:00', '2026-10-05 00:00:00'],
    ['2026-10-04T19:00:00-0500', '2026-10-05 00:00:00'],
    ['2026-10-05T00:00:00.250Z', '2026-10-05 00:00:00.25'],
    ['2026-10-05 00:00:00 UTC', '2026-10-05 00:00:00'],
    ['10/25/2026', '2026-10-25 00:00:00'],
    ['25/10/2026', '2026-10-25 00:00:00'],
    ['10/10/2026 13:30:00', '2026-10-10 13:30:00'],
    ['10/25/2026 1:30 PM', '2026-10-25 13:30:00'],
    ['2000-01-01', '2000-01-01 00:00:00'],
  ])('%s is stored as %s (UTC)', async (text, want) => {
    await ingestRows([{ ChargePeriodStart: text, ChargePeriodEnd: '2026-11-01' }]);
    expect(await stored('ChargePeriodStart')).toEqual([want]);
  });

  it('an ambiguous slash date is read in the order the user gives', async () => {
    await ingestRows([{ ChargePeriodStart: '10/05/2026', ChargePeriodEnd: '10/06/2026' }], 'dmy');
    expect(await stored('ChargePeriodStart')).toEqual(['2026-05-10 00:00:00']);
    await store.query('DELETE FROM billing_rows; DELETE FROM ingestion_files; DELETE FROM ingestions');
    await ingestRows([{ ChargePeriodStart: '10/05/2026', ChargePeriodEnd: '10/06/2026' }], 'mdy');
    expect(await stored('ChargePeriodStart')).toEqual(['2026-10-05 00:00:00']);
  });
});

describe('dates: refused with file, line, column and the expected form', () => {
  it.each([
    ['4/1/25', /a four-digit year/],
    ['12/31/24', /a four-digit year/],
    ['99999-01-01', /expected a date-time in ISO 8601/],
    ['1999-12-31', /expected a year from 2000 to 2100/],
    ['2101-01-01T00:00:00Z', /expected a year from 2000 to 2100/],
    ['0004-01-25', /expected a year from 2000 to 2100/],
    ['2026-10-05T00:00:00+25:00', /expected a date-time in ISO 8601 .*offsets up to ±14:00/],
    ['10/05/2026', /day and month order is known \(10\/05\/2026 .*date_order/],
    ['2026-02-30', /expected a date-time in ISO 8601/],
    ['13/13/2026', /expected a date-time in ISO 8601/],
    ['Oct 5, 2026', /expected a date-time in ISO 8601/],
    ['2026-10-5', /expected a date-time in ISO 8601/],
    [' 2026-10-05', /expected a date-time in ISO 8601/],
    ['epoch', /expected a date-time in ISO 8601/],
  ])('%s', async (text, pattern) => {
    await refused({ ChargePeriodStart: text }, pattern, 'ChargePeriodStart');
  });

  it('a two-digit year stays refused whatever the date order', async () => {
    await refused({ ChargePeriodStart: '4/1/25' }, /a four-digit year/, 'ChargePeriodStart', 'mdy');
  });

  it('a charge period that ends before it starts, on the row that does it (not the first with the same end)', async () => {
    const before = await fingerprint(store);
    const rows = [{ ChargePeriodStart: '2026-10-02', ChargePeriodEnd: '2026-10-03' },
      { ChargePeriodStart: '2026-10-04', ChargePeriodEnd: '2026-10-03' }];
    const err = await ingestRows(rows).then(() => null, (e: unknown) => e);
    expect((err as Error).message).toMatch(/line 3, data row 2, column ChargePeriodEnd: expected a ChargePeriodEnd not before its ChargePeriodStart/);
    expect((err as InputError).location).toMatchObject({ line: 3, column: 'ChargePeriodEnd' });
    expect(await fingerprint(store)).toEqual(before);
  });

  it('an inverted billing period', async () => {
    await refused({ BillingPeriodEnd: '2026-09-01' }, /BillingPeriodEnd not before its BillingPeriodStart \(2026-10-01T00:00:00Z\)/,
      'BillingPeriodEnd');
  });

  it('a charge period of no length is accepted (a purchase at one instant)', async () => {
    await ingestRows([{ ChargePeriodStart: '2026-10-05', ChargePeriodEnd: '2026-10-05' }]);
    expect(await stored('ChargePeriodEnd')).toEqual(['2026-10-05 00:00:00']);
  });
});

describe('FOCUS enumerations', () => {
  it.each([
    [{ ChargeCategory: 'Bogus' }, 'ChargeCategory', /one of Usage, Purchase, Tax, Credit, Adjustment/],
    // a NUL byte makes the file binary: refused before any value is read, on its line (no column to name)
    [{ ChargeCategory: 'Us\u0000age' }, undefined, /binary data \(a NUL byte on line 3/],
    [{ ChargeCategory: 'usage' }, 'ChargeCategory', /case-sensitive/],
    [{ ChargeClass: 'Refund' }, 'ChargeClass', /one of Correction/],
    [{ ChargeFrequency: 'Weekly' }, 'ChargeFrequency', /one of One-Time, Recurring, Usage-Based/],
    [{ PricingCategory: 'Spot' }, 'PricingCategory', /one of Standard, Dynamic, Committed, Other/],
    [{ CommitmentDiscountStatus: 'Partial' }, 'CommitmentDiscountStatus', /one of Used, Unused/],
    [{ CommitmentDiscountCategory: 'Hours' }, 'CommitmentDiscountCategory', /one of Spend, Usage/],
  ])('%j is refused', async (row, column, pattern) => {
    const rows: FixtureRow[] = [{}, row];
    const cols = ['BilledCost', 'EffectiveCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd',
      'ChargePeriodStart', 'ChargePeriodEnd', 'ChargeCategory', 'ChargeClass', 'ChargeFrequency', 'PricingCategory',
      'CommitmentDiscountStatus', 'CommitmentDiscountCategory'];
    const before = await fingerprint(store);
    const f = writeFixture(tempDir(), 'x.csv', focusCsv(rows, cols));
    const err = await ingestFocus(store, [f], { rules }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as InputError).location).toMatchObject(column ? { line: 3, column } : { line: 3 });
    expect(await fingerprint(store)).toEqual(before);
  });

  it('FOCUS spellings in any case are accepted where no report compares them (the 1.0 sample writes Usage-based)', async () => {
    const cols = ['BilledCost', 'EffectiveCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd',
      'ChargePeriodStart', 'ChargePeriodEnd', 'ChargeCategory', 'ChargeClass', 'ChargeFrequency', 'PricingCategory'];
    const f = writeFixture(tempDir(), 'x.csv', focusCsv([
      { ChargeFrequency: 'Usage-based', PricingCategory: 'committed', ChargeClass: 'Correction', ChargeCategory: 'Credit' }], cols));
    await ingestFocus(store, [f], { rules });
    expect(await stored('ChargeFrequency')).toEqual(['Usage-based']);
  });
});

describe('money: exact or refused, never rounded', () => {
  it.each([
    ['0.123456789012345678', '0.123456789012345678'],
    ['1.5e-3', '0.001500000000000000'],
    ['1500e-20', '0.000000000000000015'],
    ['0.1000000000000000000000', '0.100000000000000000'],
    ['12345678901234567890.5', '12345678901234567890.500000000000000000'],
  ])('%s is kept exactly as %s', async (text, want) => {
    await ingestRows([{ BilledCost: text }]);
    expect(await stored('BilledCost')).toEqual([want]);
  });

  it.each(['0.1234567890123456789', '1.5e-20', '-0.0000000000000000001'])('%s (more than 18 decimals) is refused', async (text) => {
    await refused({ BilledCost: text }, /at most 18 decimal places/, 'BilledCost');
  });
});
