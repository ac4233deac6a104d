/**
 * Property tests of the capacity readers: decimal text is exact (an exponent moves the point, nothing is
 * rounded), the located JSON parser reads what JSON.parse reads and names the line each record starts on,
 * and no input, however broken, is anything but an InputError (bad input is never an internal error).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { parseCapacityFile } from './ingest.js';
import { JsonNum, lineOf, parseLocatedJson, type Json } from './json-located.js';
import { decimalText } from './values.js';

/** The exact value of digits x 10^exp as plain decimal text, by BigInt (the reference). */
function reference(digits: string, exp: number): string {
  const n = BigInt(digits);
  if (exp >= 0) return (n * 10n ** BigInt(exp)).toString();
  const s = n.toString().padStart(-exp + 1, '0');
  const text = `${s.slice(0, exp)}.${s.slice(exp)}`.replace(/\.?0+$/, '');
  return text === '' ? '0' : text;
}

const plain = (v: Json): unknown =>
  v instanceof JsonNum ? Number(v.text) : Array.isArray(v) ? v.map(plain)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;

describe('capacity readers: properties', () => {
  it('decimalText of int.frac e exp is the exact value', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[0-9]{0,8}$/), fc.integer({ min: -20, max: 20 }),
      (int, frac, exp) => {
        const text = `${int}${frac ? `.${frac}` : ''}e${exp}`;
        expect(decimalText(text)).toBe(reference(int + frac, exp - frac.length));
      }));
  });

  it('the located parser reads what JSON.parse reads', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 2 }), (v, indent) => {
      const text = JSON.stringify(v, null, indent);
      expect(plain(parseLocatedJson(text, 'x.json'))).toEqual(JSON.parse(text));
    }), { numRuns: 300 });
  });

  it('each record of a list is named by the line it starts on', () => {
    const record = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }));
    fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 8 }),
      (records) => {
        const text = `{"value": [\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]}`;
        const doc = parseLocatedJson(text, 'x.json') as { value: Json[] };
        expect(doc.value.map(lineOf)).toEqual(records.map((_, i) => i + 2));
      }));
  });

  it('broken input is an InputError, never another error', () => {
    const good = JSON.stringify({ value: [{ name: { value: 'cores' }, currentValue: 1, limit: 2 }] }, null, 1);
    fc.assert(fc.property(fc.integer({ min: 0, max: good.length }), fc.integer({ min: 0, max: 5 }), fc.string({ maxLength: 4 }),
      (at, cut, insert) => {
        const text = good.slice(0, at) + insert + good.slice(at + cut);
        try {
          parseCapacityFile('x.json', text, { asOf: '2026-10-31T00:00:00Z' });
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }), { numRuns: 400 });
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => {
      try {
        parseCapacityFile('x.prom', text, {});
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
      }
    }), { numRuns: 300 });
  });
});
