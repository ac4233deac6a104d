/**
 * Root-cause ranking (causes.ts rankCauses) on hand-computed cents, and the invariant behind it: per
 * dimension, the contributions (the OTHERS row included) add up to the anomaly's impact, to the cent.
 *
 * Hand-built anomaly: expected $12.00 over its window, actual $24.00, impact +$12.00.
 *   resource  reference  expected  actual  contribution
 *   r01          1.00      1.00     5.00       +4.00
 *   r02          1.00      1.00     4.00       +3.00
 *   r03..r12     1.00      1.00     1.50       +0.50 each (10 values)
 *   model gpt-4o: reference 12.00, expected 12.00, actual 24.00, +12.00
 * Kept by name: model gpt-4o, r01, r02, r03..r10 (ties in name order); r11 and r12 are one OTHERS row:
 * actual 3.00, expected 2.00, +1.00, others 2.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OTHERS, rankCauses, TOP_CAUSES } from './causes.js';

const row = (dimension: string, value: string, actual: string, reference: string) => ({ dimension, value, actual, reference });

describe('rankCauses', () => {
  it('keeps the first TOP_CAUSES values of a dimension and sums the rest as one OTHERS row, ranked after the named ones', () => {
    const resources = Array.from({ length: 12 }, (_, i) => `r${String(i + 1).padStart(2, '0')}`);
    const rows = [
      row('model', 'gpt-4o', '24.00', '12.00'),
      ...resources.map((r, i) => row('resource', r, i === 0 ? '5.00' : i === 1 ? '4.00' : '1.50', '1.00')),
    ];
    const out = rankCauses({ impact: '12.00', expectedDaily: [6, 6] }, ['model', 'resource'], rows);
    expect(TOP_CAUSES).toBe(10);
    expect(out.map((c) => [c.dimension, c.value, c.contribution, c.actual, c.expected, c.others ?? null])).toEqual([
      ['model', 'gpt-4o', '12.00', '24.00', '12.00', null],
      ['resource', 'r01', '4.00', '5.00', '1.00', null],
      ['resource', 'r02', '3.00', '4.00', '1.00', null],
      ...resources.slice(2, 10).map((r) => ['resource', r, '0.50', '1.50', '1.00', null]),
      ['resource', OTHERS, '1.00', '3.00', '2.00', 2],
    ]);
  });

  it('an OTHERS row stands for two values or more: with TOP_CAUSES + 1 values, all are named', () => {
    const rows = Array.from({ length: TOP_CAUSES + 1 }, (_, i) => row('meter', `m${String(i).padStart(2, '0')}`, '2.00', '1.00'));
    const out = rankCauses({ impact: '11.00', expectedDaily: [11] }, ['meter'], rows);
    expect(out.map((c) => c.value)).toEqual(rows.map((r) => r.value));
    expect(out.every((c) => c.contribution === '1.00' && c.others === undefined)).toBe(true);
  });

  it('a drop ranks the most negative first; a small dimension has no OTHERS row', () => {
    const rows = [row('feature', 'a', '1.00', '3.00'), row('feature', 'b', '2.00', '3.00')];
    const out = rankCauses({ impact: '-3.00', expectedDaily: [6] }, ['feature'], rows);
    expect(out.map((c) => [c.value, c.contribution])).toEqual([['a', '-2.00'], ['b', '-1.00']]);
  });

  it('property: per dimension the contributions add up to the impact, and every value is named or counted once', () => {
    const cents = fc.integer({ min: 0, max: 500_000 }).map((n) => (n / 100).toFixed(2));
    fc.assert(fc.property(
      fc.array(fc.record({ dim: fc.constantFrom('feature', 'resource', 'meter'), actual: cents, reference: cents }), { minLength: 1,
        maxLength: 40 }),
      fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: -1_000_000, max: 1_000_000 }),
      (items, expected, impactCents) => {
        const rows = items.map((x, i) => row(x.dim, `v${i}`, x.actual, x.reference));
        const impact = (impactCents / 100).toFixed(2);
        const dims = ['feature', 'resource', 'meter'];
        const out = rankCauses({ impact, expectedDaily: [expected / 100] }, dims, rows);
        for (const d of dims) {
          const mine = out.filter((c) => c.dimension === d);
          const given = rows.filter((r) => r.dimension === d).length;
          if (!given) { expect(mine).toEqual([]); continue; }
          const sum = mine.reduce((s, c) => s + BigInt(c.contribution.replace('.', '')), 0n);
          expect(sum).toBe(BigInt(impact.replace('.', '')));
          expect(mine.filter((c) => c.value !== OTHERS).length).toBe(given > TOP_CAUSES + 1 ? TOP_CAUSES : given);
          expect(mine.reduce((n, c) => n + (c.others ?? 1), 0)).toBe(given);
        }
      }), { numRuns: 500 });
  });
});
