/**
 * Invoice reconciliation on a hand-built invoice with credits, a purchase, commitment usage and a
 * correction of an earlier period.
 *
 *   INV-10 (acct-1, USD, billing period 2026-10)            BilledCost  EffectiveCost  goes to
 *   gpt-4o input 1M tokens, telemetry feature A                   2.50           2.50  allocated
 *   AI Search, tag team=platform                                 10.00          10.00  shared (platform)
 *   VM D4s, untagged                                              1.50           1.50  unallocated
 *   Credit                                                       -3.00          -3.00  unallocated
 *   Purchase (reservation)                                      100.00           0.00  unallocated; bridge purchases -100
 *   Usage on the reservation (CommitmentDiscountId), feature B     0.00          80.00  allocated (0 billed); bridge commitment +80
 *   Correction of 2026-09-15, untagged VM                        -0.75          -0.75  unallocated; listed as correction
 *                                                              -------
 *   invoice total 110.25 = allocated 2.50 + shared 10.00 + unallocated 97.75; effective 90.25
 *
 *   acct-2 (EUR, no invoice id yet): 5.00 untagged VM; open until 2026-11-06.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { BASE_COLUMNS, focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { ledgerOf, ready, reportOf } from '../test-support/ledger.js';
import { buildCfoPack } from '../export/cfo-pack.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
const oct = { ChargePeriodStart: '2026-10-03T00:00:00Z', ChargePeriodEnd: '2026-10-04T00:00:00Z', InvoiceId: 'INV-10' };
const vm = { ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterSubcategory: 'Dv5 Series',
  x_SkuMeterName: 'D4s v5' };
const row = (billed: string, effective: string, extra: Record<string, string>) =>
  ({ ...oct, BilledCost: billed, EffectiveCost: effective, ...extra });

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  const dir = tempDir();
  const csv = focusCsv([
    tokenRow('gpt 4o 0513 Input global Tokens', 1_000_000, '2.5', { ...oct, ResourceId: R1 }),
    row('10', '10', { ServiceName: 'Azure AI Search', x_SkuMeterName: 'Standard S1 Unit', Tags: '{"team":"platform"}' }),
    row('1.5', '1.5', vm),
    row('-3', '-3', { ChargeCategory: 'Credit', ServiceName: 'Virtual Machines', x_SkuMeterName: 'Azure credit' }),
    row('100', '0', { ChargeCategory: 'Purchase', ServiceName: 'Virtual Machines', x_SkuMeterName: 'Reservation' }),
    row('0', '80', { ...vm, CommitmentDiscountId: 'cd-1', Tags: '{"feature":"B"}' }),
    row('-0.75', '-0.75',
      { ...vm, ChargeClass: 'Correction', ChargePeriodStart: '2026-09-15T00:00:00Z', ChargePeriodEnd: '2026-09-16T00:00:00Z' }),
    row('5', '5', { ...vm, BillingAccountId: 'acct-2', BillingCurrency: 'EUR', InvoiceId: '' }),
  ], [...BASE_COLUMNS, 'InvoiceId', 'CommitmentDiscountId']);
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', csv)], { rules: loadRules() });
  await ingestTelemetry(store,
    [writeFixture(dir, 'tel.jsonl',
      JSON.stringify({ timestamp: '2026-10-03T10:00:00Z', model: 'gpt-4o', resource_id: R1, feature: 'A',
        usage: { prompt_tokens: 1000, completion_tokens: 0 } }) + '\n')]);
});
afterAll(() => store.close());

const reconcile = (extra: Record<string, unknown> = {}) => reportOf(store, 'reconcile',
  { month: '2026-10', cost: 'billed', today: '2026-11-20', ...extra });

describe('report reconcile', () => {
  it('invoice total = allocated + shared + unallocated to the last digit, corrections apart, bridge to effective', async () => {
    const r = await reconcile();
    expect(r.title).not.toMatch(/DRAFT/);
    const inv = r.rows.find((x) => x.invoice === 'INV-10')!;
    expect(inv).toMatchObject({
      currency: 'USD', invoice_total: '110.250000000000000000', allocated: '2.500000000000000000', shared: '10.000000000000000000',
      unallocated: '97.750000000000000000', difference: '0.000000000000000000', corrections: '-0.750000000000000000', correction_rows: '1',
      effective_total: '90.250000000000000000', bridge_purchases: '-100.000000000000000000',
      bridge_commitment_usage: '80.000000000000000000', bridge_other: '0.000000000000000000',
    });
    // without an invoice id: billing account + period; currencies never added together
    expect(r.rows.find((x) => x.invoice === 'acct-2 2026-10')).toMatchObject({ currency: 'EUR', invoice_total: '5.000000000000000000',
      unallocated: '5.000000000000000000' });
    expect(r.notes?.[0]).toBe('Every invoice: total = allocated + shared + unallocated, to the last digit (2 invoice(s)).');
    expect(r.notes?.join('\n')).toContain('INV-10: 1 row(s) of other charge periods (corrections), -0.75 USD');
  });

  it('an open period is refused, or reported as DRAFT with --allow-incomplete', async () => {
    await expect(reconcile({ today: '2026-11-03' })).rejects.toThrow(/billing period 2026-10 is still open for acct-2/);
    const draft = await reconcile({ today: '2026-11-03', allowIncomplete: true });
    expect(draft.title).toMatch(/^DRAFT \(period still open\)/);
    expect(draft.meta.draft).toBe(true);
  });

  it('the CFO pack of an open period is refused, or written as a DRAFT', async () => {
    await ready(store);
    await expect(buildCfoPack(ledgerOf(store), { month: '2026-12', today: '2027-01-20', allowIncomplete: true })).rejects.toThrow(/no billing data for 2026-12/);
    await expect(buildCfoPack(ledgerOf(store), { month: '2026-10', today: '2026-11-03', allowIncomplete: false })).rejects.toThrow(
      /still open/);
    // closed, but with days missing: refused like any report, or a DRAFT with allowIncomplete
    await expect(buildCfoPack(ledgerOf(store), { month: '2026-10', today: '2026-11-20', allowIncomplete: false })).rejects.toThrow(/incomplete/);
    expect((await buildCfoPack(ledgerOf(store), { month: '2026-10', today: '2026-11-20', allowIncomplete: true })).draft).toBe(true);
    const pack = await buildCfoPack(ledgerOf(store), { month: '2026-10', today: '2026-11-03', allowIncomplete: true });
    expect(pack.draft).toBe(true);
    expect(pack.title).toBe('DRAFT: AI spend, CFO pack for 2026-10');
    expect(pack.invoices.map((i) => [i.invoice, i.total])).toEqual([['INV-10', '110.250000000000000000'],
      ['acct-2 2026-10', '5.000000000000000000']]);
  });

  it('needs --month', async () => {
    await expect(reconcile({ month: undefined })).rejects.toThrow(/needs --month/);
  });
});
