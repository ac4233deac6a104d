import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideDecimals, groupThousands, negateDecimal, roundDecimal, sumDecimals, trimDecimal } from './decimal.js';

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

describe('divideDecimals', () => {
  it('divides exactly to significant digits', () => {
    expect(divideDecimals('6.9', '3')).toBe('2.3');
    expect(divideDecimals('1', '3', 5)).toBe('0.33333');
    expect(divideDecimals('2', '3', 5)).toBe('0.66667');
    expect(divideDecimals('-10', '4')).toBe('-2.5');
    expect(divideDecimals('0.000165', '1000')).toBe('0.000000165');
    expect(divideDecimals('123456789', '0.001', 4)).toBe('123500000000');
    expect(divideDecimals('5', '0')).toBeNull();
    expect(divideDecimals('0', '7')).toBe('0');
  });
  it('agrees with the double quotient to its significant digits (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 6 }),
      (a, b, s) => {
        const num = (a / 10 ** s).toFixed(s);
        const q = divideDecimals(num, String(b), 10)!;
        const expected = Number(num) / b;
        expect(Math.abs(Number(q) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 1e-9 + 1e-300);
      }));
  });
});
