import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupThousands, negateDecimal, roundDecimal, sumDecimals, trimDecimal } from './decimal.js';

describe('decimal strings', () => {
  it('trims', () => {
    expect(trimDecimal('42.000000000000000000')).toBe('42');
    expect(trimDecimal('-0.0000')).toBe('0');
    expect(trimDecimal('0.00000080000')).toBe('0.0000008');
    expect(trimDecimal('007.50')).toBe('7.5');
  });
  it('rounds half away from zero', () => {
    expect(roundDecimal('2.345', 2)).toBe('2.35');
    expect(roundDecimal('-2.345', 2)).toBe('-2.35');
    expect(roundDecimal('-0.004', 2)).toBe('0.00');
    expect(roundDecimal('999.995', 2)).toBe('1000.00');
    expect(roundDecimal('5', 2)).toBe('5.00');
  });
  it('sums exactly where floats do not', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['1.005', '-2', '0.995'])).toBe('0');
  });
  it('sum agrees with BigInt cents (property)', () => {
    fc.assert(fc.property(fc.array(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n })), (cents) => {
      const asText = cents.map(
        (c) => { const neg = c < 0n; const a = (neg ? -c : c).toString().padStart(3, '0');
          return `${neg ? '-' : ''}${a.slice(0, -2)}.${a.slice(-2)}`; });
      const expected = cents.reduce((a, b) => a + b, 0n);
      const got = sumDecimals(asText.length ? asText : ['0']);
      const [i, f = ''] = got.replace('-', '').split('.');
      const back = BigInt(i! + f.padEnd(2, '0')) * (got.startsWith('-') ? -1n : 1n);
      expect(back).toBe(expected);
    }));
  });
  it('groups thousands', () => {
    expect(groupThousands('1234567.50')).toBe('1,234,567.50');
    expect(groupThousands('-1000')).toBe('-1,000');
  });
});

describe('negateDecimal', () => {
  it('negates exactly, zero stays zero', () => {
    expect(['12.5', '-3', '0', '0.000', '+7'].map(negateDecimal)).toEqual(['-12.5', '3', '0', '0.000', '-7']);
    expect(sumDecimals(['123.456789012345678901', negateDecimal('123.456789012345678901')])).toBe('0');
  });
});
