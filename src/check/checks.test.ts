/**
 * `tokenledger check` on hand-built ledgers: each check passing and failing, examples naming file:line,
 * and the exit code (0 pass, 1 warnings, 2 failures).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FOCUS_COLUMNS } from '../domain/focus-columns.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, writeFixture, type FixtureRow } from '../test-support/focus-fixture.js';
import { checkExitCode, runChecks, type CheckResult } from './checks.js';
import { dataStatus, gate } from './status.js';
import { parsePeriod } from '../domain/period.js';

const rules = loadRules();
const COLUMNS = [...new Set([...FOCUS_COLUMNS['1.0'], 'ListUnitPrice', 'ContractedUnitPrice', 'x_SkuMeterName', 'Tags'])];
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const day = (month: string, d: number, extra: FixtureRow = {}): FixtureRow => {
  const start = `${month}-${String(d).padStart(2, '0')}`;
  const next = new Date(`${start}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const [y, m] = month.split('-').map(Number) as [number, number];
  return {
    ChargePeriodStart: `${start}T00:00:00Z`, ChargePeriodEnd: `${next.toISOString().slice(0, 10)}T00:00:00Z`,
    BillingPeriodStart: `${month}-01T00:00:00Z`, BillingPeriodEnd: `${new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10)}T00:00:00Z`,
    BillingAccountName: 'Contoso', ChargeClass: '', ChargeDescription: 'storage', ChargeFrequency: 'Usage-Based', ProviderName: 'Microsoft',
    PublisherName: 'Microsoft', InvoiceIssuerName: 'Microsoft', ServiceCategory: 'Storage', ResourceId: '/subscriptions/s/rg/x',
    SubAccountId: 's',
    RegionId: 'eastus', PricingQuantity: '1', PricingUnit: 'GB', ListUnitPrice: '1', ContractedUnitPrice: '1', ListCost: '1',
    ContractedCost: '1', ...extra,
  };
};
const month = (m: string, days: number, skip: number[] = []) =>
  Array.from({ length: days }, (_, i) => i + 1).filter((d) => !skip.includes(d)).map((d) => day(m, d));

async function load(rows: FixtureRow[], columns: string[] = COLUMNS) {
  await ingestFocus(store, [writeFixture(tempDir(), 'export.csv', focusCsv(rows, columns))], { rules });
}
const byId = (rs: CheckResult[]) => Object.fromEntries(rs.map((r) => [r.id, r]));
const opts = (today: string) => ({ today, staleDays: 3, closeDays: 5 });

describe('tokenledger check', () => {
  it('a complete, closed, conformant month passes every check (exit 0)', async () => {
    await load(month('2026-10', 31));
    const rs = await runChecks(store, opts('2026-11-20'));
    expect(rs.filter((r) => r.status !== 'pass').map((r) => r.id)).toEqual([]);
    expect(byId(rs)['completeness.periods']!.detail).toBe('all 1 billing period(s) (months) closed (0 with invoice ids)');
    expect(byId(rs)['recency.latest-data']!.detail).toContain('latest usage through 2026-10-31');
    expect(checkExitCode(rs)).toBe(0);
  });

  it('a day missing inside the period fails, naming the day', async () => {
    await load(month('2026-10', 31, [15]));
    const c = byId(await runChecks(store, opts('2026-11-20')))['completeness.missing-days']!;
    expect(c).toMatchObject({ status: 'fail', count: 1, examples: ['acct-1 2026-10-15'] });
  });

  it('an open period is month to date; stale once its data is older than the threshold', async () => {
    await load([...month('2026-10', 31), ...month('2026-11', 5)]);
    const fresh = byId(await runChecks(store, opts('2026-11-07')));
    expect(fresh['recency.latest-data']!.status).toBe('pass');
    expect(fresh['completeness.periods']!.detail).toBe('open: 2026-11 (month to date through 2026-11-05); closed: 1');
    expect(fresh['completeness.missing-days']!.status).toBe('pass');
    const late = await runChecks(store, opts('2026-11-20'));
    expect(byId(late)['recency.latest-data']).toMatchObject({ status: 'fail', count: 1,
      examples: ['acct-1 2026-11: data through 2026-11-05'] });
    expect(checkExitCode(late)).toBe(2);
  });

  it('an invoice id closes a period before the grace days have passed', async () => {
    await load(month('2026-10', 31).map((r) => ({ ...r, InvoiceId: 'INV-1' })), [...COLUMNS, 'InvoiceId']);
    expect(byId(await runChecks(store, opts('2026-11-02')))['completeness.periods']!.detail).toBe(
      'all 1 billing period(s) (months) closed (1 with invoice ids)');
  });

  it('conformance findings name file and line; two currencies in one period fail', async () => {
    const rows = month('2026-10', 31);
    rows[2] = { ...rows[2], ListCost: '10', ListUnitPrice: '2', PricingQuantity: '3', ContractedCost: '3' }; // line 4
    rows[4] = { ...rows[4], ResourceId: '-2' }; // line 6
    rows[6] = { ...rows[6], EffectiveCost: '0.5' }; // line 8, usage without a commitment discount
    rows[8] = { ...rows[8], BillingCurrency: 'EUR' };
    await load(rows);
    const rs = byId(await runChecks(store, opts('2026-11-20')));
    expect(rs['conformance.list-cost']).toMatchObject({ status: 'warn', count: 1 });
    expect(rs['conformance.list-cost']!.examples[0]).toMatch(
      /export\.csv:4: ListCost 10\.0+ but ListUnitPrice 2\.0+ x PricingQuantity 3\.0+ = 6/);
    expect(rs['conformance.placeholders']!.examples[0]).toMatch(/export\.csv:6: ResourceId is the placeholder -2/);
    expect(rs['conformance.effective-vs-billed']!.examples[0]).toMatch(/export\.csv:8: usage without a commitment discount/);
    expect(rs['conformance.currency']).toMatchObject({ status: 'fail', examples: ['acct-1 2026-10: EUR, USD'] });
    expect(rs['conformance.contracted-cost']!.status).toBe('pass');
  });

  // The FOCUS spec's SaaS examples (appendix: virtual currency pricing model A2, spend agreements B1): usage
  // drawn from funds paid before has BilledCost 0 and EffectiveCost > 0 without a commitment discount.
  it.each([
    ['virtual currency (PricingCurrency Token, billed in USD)', { PricingCurrency: 'Token' }, [], 0, 3],
    ['covered by a prepaid purchase of the account (BilledCost 1200, EffectiveCost 0, a year)', {},
      [{ ChargeCategory: 'Purchase', ChargeFrequency: 'One-Time', BilledCost: '1200', EffectiveCost: '0', ListCost: '1200',
        ContractedCost: '1200', ChargePeriodStart: '2026-10-01T00:00:00Z', ChargePeriodEnd: '2027-10-01T00:00:00Z' }], 0, 3],
    ['no purchase and no virtual currency: still a finding', {}, [], 3, 0],
    ['a purchase of another billing account does not cover it', {},
      [{ ChargeCategory: 'Purchase', BillingAccountId: 'acct-2', BilledCost: '1200', EffectiveCost: '0',
        ChargePeriodStart: '2026-10-01T00:00:00Z', ChargePeriodEnd: '2027-10-01T00:00:00Z' }], 3, 0],
    ['a purchase with an EffectiveCost (not prepaid) does not cover it', {},
      [{ ChargeCategory: 'Purchase', BilledCost: '1200', EffectiveCost: '1200',
        ChargePeriodStart: '2026-10-01T00:00:00Z', ChargePeriodEnd: '2027-10-01T00:00:00Z' }], 3, 0],
  ] as [string, FixtureRow, FixtureRow[], number, number][])('prepaid drawdown rows: %s', async (_name, extra, purchases, findings,
    drawdowns) => {
    const rows = month('2026-10', 31);
    for (const i of [3, 4, 5]) rows[i] = { ...rows[i], BilledCost: '0.00', EffectiveCost: '490.00', ...extra };
    await load([...rows, ...purchases.map((p) => day('2026-10', 1, { ListCost: '0', ContractedCost: '0', ...p }))],
      [...COLUMNS, 'PricingCurrency']);
    const c = byId(await runChecks(store, opts('2026-11-20')))['conformance.effective-vs-billed']!;
    expect(c).toMatchObject({ status: findings ? 'warn' : 'pass', count: findings });
    if (findings) expect(c.examples[0]).toMatch(/export\.csv:5: usage without a commitment discount: BilledCost 0\.0+ but EffectiveCost 490/);
    expect(c.detail.includes(`${drawdowns} prepaid drawdown row(s)`)).toBe(drawdowns > 0);
  });

  it('an export without mandatory columns of its FOCUS version fails; without optional ones it warns', async () => {
    await ingestFocus(store, [writeFixture(tempDir(), 'thin.csv', focusCsv(month('2026-10', 31)))], { rules });
    const rs = byId(await runChecks(store, opts('2026-11-20')));
    expect(rs['conformance.mandatory-columns']!.status).toBe('fail');
    expect(rs['conformance.mandatory-columns']!.examples[0]).toMatch(/thin\.csv \(FOCUS 1\.0\): .*BillingAccountName.*ChargeDescription/);
    expect(rs['conformance.mandatory-columns']!.examples[0]).not.toMatch(/AvailabilityZone|ChargeFrequency/);
    expect(rs['conformance.spec-columns']!.status).toBe('warn');
    expect(rs['conformance.spec-columns']!.examples[0]).toMatch(/AvailabilityZone.*ChargeFrequency/);
  });

  it('FOCUS 1.3 Recency metadata beside the export: incomplete time sectors warn; stale ones fail; a newer file replaces', async () => {
    const dir = tempDir();
    writeFixture(dir, 'export.csv', focusCsv(month('2026-10', 31), COLUMNS));
    const sectors = (complete: (d: number) => boolean) => Array.from({ length: 31 }, (_, i) => ({
      TimeSectorStart: `2026-10-${String(i + 1).padStart(2, '0')}T00:00:00Z`,
      TimeSectorEnd: i === 30 ? '2026-11-01T00:00:00Z' : `2026-10-${String(i + 2).padStart(2, '0')}T00:00:00Z`,
      TimeSectorComplete: complete(i + 1), TimeSectorLastUpdated: '2026-11-02T04:00:00Z',
    }));
    writeFixture(dir, 'recency-ds1.json',
      JSON.stringify({ DatasetInstanceId: 'ds1', RecencyLastUpdated: '2026-11-02T04:00:00Z', TimeSectors: sectors((d) => d < 30) }));
    await ingestFocus(store, [dir], { rules });
    const warn = byId(await runChecks(store, opts('2026-11-03')))['recency.provider-metadata']!;
    expect(warn).toMatchObject({ status: 'warn', count: 1 });
    expect(warn.examples[0]).toMatch(
      /recency-ds1\.json: ds1, last updated 2026-11-02 04:00, 2 incomplete sector\(s\) 2026-10-30 to 2026-11-01/);
    expect(byId(await runChecks(store, opts('2026-11-20')))['recency.provider-metadata']!.status).toBe('fail');
    // the provider completes the month: a newer file replaces the older
    writeFixture(dir, 'recency-ds1.json',
      JSON.stringify(
        { Recency: [{ DatasetInstanceId: 'ds1', RecencyLastUpdated: '2026-11-05T04:00:00Z', DatasetInstanceComplete: true,
          TimeSectors: sectors(() => true) }] }));
    await ingestFocus(store, [join(dir, 'recency-ds1.json')], { rules });
    expect(byId(await runChecks(store, opts('2026-11-20')))['recency.provider-metadata']).toMatchObject({ status: 'pass',
      detail: '1 dataset instance(s), all time sectors complete (provider Recency metadata)' });
  });

  it('an empty store fails with what to do', async () => {
    const rs = await runChecks(store, opts('2026-11-20'));
    expect(rs).toEqual([expect.objectContaining({ status: 'fail', detail: expect.stringContaining('tokenledger ingest focus') })]);
  });
});

describe('data status line and gate', () => {
  const all = parsePeriod({});
  it('complete data: one line, no gate', async () => {
    await load(month('2026-10', 31));
    const st = await dataStatus(store, all, opts('2026-11-20'));
    expect(st.line).toBe('Data: complete through 2026-10-31; open periods: none; checks: ok');
    expect(gate(st, false)).toEqual([st.line]);
  });

  it('an open period is month to date, not refused', async () => {
    await load([...month('2026-10', 31), ...month('2026-11', 14)]);
    const st = await dataStatus(store, all, opts('2026-11-15'));
    expect(st.line).toBe('Data: month to date through 2026-11-14; open periods: 2026-11 (month to date); checks: ok');
    const nov = await dataStatus(store, parsePeriod({ month: '2026-11' }), opts('2026-11-15'));
    expect(nov.line).toBe('Data: month to date through 2026-11-14; open periods: 2026-11 (month to date); checks: ok');
    expect(gate(nov, false)).toEqual([nov.line]);
  });

  it('gaps or stale data refuse the report unless --allow-incomplete, which says so', async () => {
    await load([...month('2026-10', 31, [7]), ...month('2026-11', 5)]);
    const st = await dataStatus(store, all, opts('2026-11-20'));
    expect(st.problems).toEqual(['1 missing day(s) (2026-10-07)', 'acct-1 2026-11 stale (data through 2026-11-05, today 2026-11-20)']);
    expect(() => gate(st, false)).toThrow(
      /the data for this report is incomplete: 1 missing day\(s\) \(2026-10-07\); acct-1 2026-11 stale/);
    expect(gate(st, true)[1]).toMatch(/^INCOMPLETE DATA: reported anyway because of --allow-incomplete/);
    // a period without the gap is fine
    expect((await dataStatus(store, parsePeriod({ from: '2026-10-08', to: '2026-11-01' }), opts('2026-11-20'))).problems).toEqual([]);
  });

  it('a store open for writing is asked again; one opened read-only answers each period from what it read once', async () => {
    await load(month('2026-10', 31, [7]));
    expect((await dataStatus(store, all, opts('2026-11-20'))).problems).toEqual(['1 missing day(s) (2026-10-07)']);
    // the writer fills the gap: the next status sees it (a status kept from before would still name the day)
    await load(month('2026-10', 31));
    expect((await dataStatus(store, all, opts('2026-11-20'))).problems).toEqual([]);
    const dir = tempDir();
    const path = join(dir, 'ledger.duckdb');
    const writer = await Store.open(path);
    await ingestFocus(writer, [writeFixture(dir, 'export.csv', focusCsv([...month('2026-10', 31, [7]), ...month('2026-11', 5)], COLUMNS))],
      { rules });
    writer.close();
    const reader = await Store.open(path, { readOnly: true });
    try {
      const whole = await dataStatus(reader, all, opts('2026-11-20'));
      expect(whole.problems).toEqual(['1 missing day(s) (2026-10-07)', 'acct-1 2026-11 stale (data through 2026-11-05, today 2026-11-20)']);
      // other periods and another day from the same open store: each judged on its own
      expect((await dataStatus(reader, parsePeriod({ month: '2026-11' }), opts('2026-11-20'))).problems)
        .toEqual(['acct-1 2026-11 stale (data through 2026-11-05, today 2026-11-20)']);
      expect((await dataStatus(reader, parsePeriod({ month: '2026-10' }), opts('2026-11-20'))).problems)
        .toEqual(['1 missing day(s) (2026-10-07)']);
      expect((await dataStatus(reader, parsePeriod({ month: '2026-11' }), opts('2026-11-07'))).problems).toEqual([]);
      expect(await dataStatus(reader, all, opts('2026-11-20'))).toEqual(whole);
    } finally {
      reader.close();
    }
  });
});
