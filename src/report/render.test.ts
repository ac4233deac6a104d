/** How rates read in tables: four significant digits, trailing zeros kept, whatever the magnitude. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRate, renderCsv, renderTable, type Report } from './render.js';

const significant = (text: string) => text.replace(/[-,.]/g, '').replace(/^0+/, '').length;

describe('formatRate', () => {
  it.each([
    [1, '1.000'], [1.25, '1.250'], [0.249, '0.2490'], [0.2514, '0.2514'], [0.0001928, '0.0001928'], [10, '10.00'],
    [1234.5, '1,235'], [0.0000025, '0.000002500'], [9.99996, '10.00'], [0.099996, '0.1000'], [-0.5, '-0.5000'], [0, '0'],
  ])('%s -> %s', (x, text) => {
    expect(formatRate(x)).toBe(text);
  });

  it('shows 4 significant digits for every rate under 10,000 (property)', () => {
    fc.assert(fc.property(fc.double({ min: 1e-9, max: 9999.4, noNaN: true }), fc.boolean(), (x, negative) => {
      const text = formatRate(negative ? -x : x);
      expect(significant(text)).toBe(4);
      expect(Math.abs(Number(text.replace(/,/g, '')) - (negative ? -x : x))).toBeLessThanOrEqual(Math.abs(x) * 5e-4 + 1e-12);
    }), { numRuns: 500 });
  });
});

describe('currency in tables', () => {
  const report = (currencies: string[]): Report => ({
    name: 'x', title: 'Cost (2026-10)', meta: {},
    columns: [{ key: 'currency', label: 'Cur', kind: 'text' }, { key: 'k', label: 'Key', kind: 'text' },
      { key: 'cost', label: 'Cost', kind: 'money' }],
    rows: currencies.map((c, i) => ({ currency: c, k: `k${i}`, cost: '1234.5' })),
  });
  it('says a single currency once, in the title, and keeps the column when there are several', () => {
    const one = renderTable(report(['USD', 'USD']));
    expect(one.split('\n').slice(0, 3)).toEqual(['Cost (2026-10), amounts in USD', '', 'Key      Cost']);
    const two = renderTable(report(['USD', 'EUR']));
    expect(two.split('\n').slice(0, 3)).toEqual(['Cost (2026-10)', '', 'Cur  Key      Cost']);
    expect(renderCsv(report(['USD'])).split('\n')[0]).toBe('currency,k,cost');
  });
});
