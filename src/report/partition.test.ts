/**
 * Property tests: whatever the billing rows, every cost lands in exactly one row of each report that
 * partitions spend, totals hold to the last digit per currency, and currencies are never added together.
 * The oracle is an exact BigInt sum in the test, not tokenledger code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumDecimals } from '../domain/decimal.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, tokenRow, writeFixture, type FixtureRow } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';

const rules = loadRules();

type Kind = 'token' | 'ptu' | 'other' | 'unknown-ai';
const METERS: { kind: Kind; row: (cost: string) => FixtureRow }[] = [
  { kind: 'token', row: (c) => ({ ...tokenRow('gpt 4o 0513 Input global Tokens', 1_000_000, '2.5'), BilledCost: c, EffectiveCost: c }) },
  { kind: 'token', row: (c) => ({ ...tokenRow('o3 Outpt DZone 1M Tokens', 3_000_000, '8'), BilledCost: c, EffectiveCost: c }) },
  { kind: 'ptu',
    row: (c) => ({ ...tokenRow('Provisioned Managed Global Unit', 24, '1'), x_PricingUnitDescription: '1 Hour', x_PricingBlockSize: '1',
      BilledCost: c, EffectiveCost: c }) },
  { kind: 'other', row: (c) => ({ BilledCost: c, EffectiveCost: c }) },
  { kind: 'other',
    row: (c) => ({ ServiceName: 'Virtual Machines', x_SkuMeterCategory: 'Virtual Machines', x_SkuMeterName: 'D4s v5', BilledCost: c,
      EffectiveCost: c }) },
  { kind: 'unknown-ai', row: (c) => ({ ...tokenRow('zeta-9 Inp Gl 1M Tokens', 1_000_000, '1'), BilledCost: c, EffectiveCost: c }) },
];

const cost = fc.tuple(fc.integer({ min: -5_000_000, max: 50_000_000 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([units, micro]) => `${units < 0 ? '-' : ''}${Math.abs(units)}.${String(micro).padStart(6, '0')}`);
const rowArb = fc.record({ meter: fc.integer({ min: 0, max: METERS.length - 1 }), cost, currency: fc.constantFrom('USD', 'EUR'),
  day: fc.integer({ min: 1, max: 28 }) });

describe('every cost lands in exactly one report row', () => {
  it('meter-matrix, summary and cost-per-token partition the ledger per currency (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 40 }), async (gen) => {
      const rows = gen.map((g) => ({
        ...METERS[g.meter]!.row(g.cost), BillingCurrency: g.currency,
        ChargePeriodStart: `2026-10-${String(g.day).padStart(2, '0')}T00:00:00Z`,
        ChargePeriodEnd: `2026-10-${String(g.day + 1).padStart(2, '0')}T00:00:00Z`,
      }));
      const store = await Store.open(':memory:');
      try {
        await ingestFocus(store, [writeFixture(tempDir(), 'p.csv', focusCsv(rows))], { rules });
        for (const currency of ['USD', 'EUR']) {
          const mine = gen.filter((g) => g.currency === currency);
          const total = sumDecimals(['0', ...mine.map((g) => g.cost)]);
          const tokenTotal = sumDecimals(['0', ...mine.filter((g) => METERS[g.meter]!.kind === 'token').map((g) => g.cost)]);

          const matrix = (await reportOf(store, 'meter-matrix')).rows.filter((r) => r.currency === currency && Number(r.level) === 3);
          expect(sumDecimals(['0', ...matrix.map((r) => String(r.cost))])).toBe(total);
          expect(matrix.reduce((a, r) => a + Number(r.charge_rows), 0)).toBe(mine.length);

          const summary = (await reportOf(store, 'summary')).rows.filter((r) => r.currency === currency);
          expect(sumDecimals(['0', ...summary.map((r) => String(r.effective_cost))])).toBe(total);

          const cpt = (await reportOf(store, 'cost-per-token')).rows.filter((r) => r.currency === currency);
          expect(sumDecimals(['0', ...cpt.map((r) => String(r.cost))])).toBe(tokenTotal);
          expect(cpt.reduce((a, r) => a + Number(r.charge_rows), 0)).toBe(mine.filter((g) => METERS[g.meter]!.kind === 'token').length);

          const unclassified = (await reportOf(store, 'unclassified')).rows.filter((r) => r.currency === currency);
          expect(unclassified.reduce((a, r) => a + Number(r.charge_rows), 0)).toBe(
            mine.filter((g) => METERS[g.meter]!.kind === 'unknown-ai').length);
        }
      } finally {
        store.close();
      }
    }), { numRuns: 25 });
  });
});
