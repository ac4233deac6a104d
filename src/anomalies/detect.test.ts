/**
 * The detector on hand-built series (a weekly season of 100 on weekdays, 50 on weekends, no noise, so
 * every number below is computed by hand), and its invariants: causal (a day's judgement never changes
 * when later days arrive) and scale-free (the same series scaled by a power of two flags the same days with the same scores; in
 * cents, the same up to rounding).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarOf, detect, median } from './detect.js';
import { windowsOf } from './events.js';
import { Rng } from '../demo/rng.js';

const FIRST = '2026-06-01'; // a Monday
const week = (i: number): number => ([5, 6].includes(i % 7) ? 50 : 100); // 2026-06-06 is a Saturday
const base = (n: number) => Array.from({ length: n }, (_, i) => week(i));
const judge = (v: number[], missing?: boolean[]) => detect(v, calendarOf(FIRST, v.length), missing ? { missing } : {});

describe('median', () => {
  // the detector's hot loop selects instead of sorting; the answer must be the sort's, bit for bit
  const bySort = (xs: number[]) => {
    const s = Float64Array.from(xs).sort();
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  it('equals the median of the sorted values, with ties, signed zeros, infinities and NaN', () => {
    const value = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, 2.5), fc.integer({ min: -3, max: 3 }));
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (xs) => {
      expect(Object.is(median(xs), bySort(xs)) || (Number.isNaN(median(xs)) && Number.isNaN(bySort(xs)))).toBe(true);
    }), { numRuns: 3000 });
    expect(median([])).toBeNaN();
    expect(median([3, 1, 2, 4])).toBe(2.5);
    expect(Object.is(median([0, -0, -0]), -0)).toBe(true);
  });
});

describe('detect', () => {
  it('learns the weekly season: a flat week is no anomaly, a weekend is expected at 50', () => {
    const j = judge(base(70));
    expect(j.filter((d) => d.flag)).toEqual([]);
    for (let i = 21; i < 70; i++) expect(j[i]!.expected).toBeCloseTo(week(i), 6);
    expect(j[40]!.expected).toBeCloseTo(50, 6); // 2026-07-11, a Saturday
  });

  it('a one-day spike of +60 is flagged on its day, expected 100, and not learned from', () => {
    const v = base(70);
    v[44] = 160; // a Thursday
    const j = judge(v);
    expect(j.map((d, i) => (d.flag ? i : -1)).filter((i) => i >= 0)).toEqual([44]);
    expect(j[44]).toMatchObject({ flag: 1, channel: 'day', step: false });
    expect(j[44]!.expected).toBeCloseTo(100, 6);
    expect(j[51]!.expected).toBeCloseTo(100, 6);
    expect(windowsOf(j)).toMatchObject([{ start: 44, end: 44, pattern: 'spike', sign: 1, open: false }]);
  });

  it('a lasting level change of +50 % is a step: five flagged days, then the new level is expected', () => {
    const v = base(90).map((x, i) => (i >= 50 ? x * 1.5 : x));
    const j = judge(v);
    const w = windowsOf(j);
    expect(w[0]).toMatchObject({ start: 50, end: 54, pattern: 'step', sign: 1 });
    expect(j[54]!.step).toBe(true);
    expect(j.slice(55).map((d, i) => (d.flag ? `${55 + i} ${d.channel} ${d.expected}` : '')).filter(Boolean)).toEqual([]);
    expect(j[89]!.expected).toBeCloseTo(week(89) * 1.5, 6);
  });

  it('a slow ramp (+2 % a day) on 5 % noise is caught as a drift within two weeks', () => {
    const rng = new Rng(3);
    const v = base(100).map((x, i) => x * (1 + 0.1 * (rng.next() - 0.5)) * (i >= 60 ? 1 + 0.02 * (i - 59) : 1));
    const w = windowsOf(judge(v));
    expect(w.length).toBeGreaterThan(0);
    expect(w[0]!.pattern).toBe('drift');
    expect(w[0]!.start).toBeGreaterThan(60);
    expect(w[0]!.start).toBeLessThan(75);
  });

  it('a monthly fee on the 1st is learned after the first month start it sees', () => {
    const v = base(130).map((x, i) => (new Date(Date.parse(`${FIRST}T00:00:00Z`) + i * 86_400_000).getUTCDate() === 1 ? x + 300 : x));
    const flagged = judge(v).map((d, i) => (d.flag ? i : -1)).filter((i) => i >= 0);
    // 2026-07-01 (index 30) is new; 2026-08-01 (61) and 2026-09-01 (92) are expected
    expect(flagged).toEqual([30]);
  });

  it('missing days are flagged as drops but never learned from, and make a possible gap', () => {
    const v = base(70);
    const missing = v.map((_, i) => i >= 44 && i <= 50);
    for (let i = 44; i <= 50; i++) v[i] = 0;
    const j = judge(v, missing);
    const w = windowsOf(j, missing);
    expect(w).toMatchObject([{ start: 44, end: 50, pattern: 'drop', missingData: true }]);
    expect(j[51]!.expected).toBeCloseTo(week(51), 6);
  });

  it('is causal: judgements of the first n days do not depend on what follows', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 40, maxLength: 90 }),
      fc.integer({ min: 21, max: 39 }), (values, n) => {
        const all = judge(values);
        const prefix = judge(values.slice(0, n));
        expect(prefix).toEqual(all.slice(0, n));
      }), { numRuns: 40 });
  });

  // The scale is a power of two so that every product, sum and ratio of the scaled series is exactly the
  // scaled one: with x 100 (dollars to cents) a score can land on the threshold k on one side of a rounding
  // and not on the other, which says nothing about the detector (seen in CI: one day flagged at 3.9999...).
  it('is scale-free: the same series 128 times larger or 1/64 as large flags the same days, with the same scores up to the cap', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 40, maxLength: 80 }), (values) => {
      // scores as reported, capped at +-100 (analyse.ts): a fit whose level is ~0 divides by an absolute floor,
      // which gives astronomically large scores that do depend on the unit; the flags do not
      const seen = (v: number[]) => judge(v).map((d) => [d.flag, d.channel, Math.abs(d.score) > 100 ? Math.sign(d.score) * 100 : d.score]);
      const flags = seen(values);
      expect(seen(values.map((x) => x * 128))).toEqual(flags);
      expect(seen(values.map((x) => x / 64))).toEqual(flags);
    }), { numRuns: 30 });
  });

  it('is scale-free in cents too, up to rounding: scores of the series x 100 agree to 1e-9 where no day sits on k', () => {
    const rng = new Rng(11);
    for (let run = 0; run < 20; run++) {
      const values = Array.from({ length: 70 }, (_, i) => week(i) * (1 + 0.3 * (rng.next() - 0.5)) * (run % 4 === 0 && i > 50 ? 2 : 1));
      const dollars = judge(values);
      const cents = judge(values.map((x) => x * 100));
      // 1. no score is within 1e-6 of the threshold, so rounding cannot flip a flag
      expect(dollars.every((d) => Math.abs(Math.abs(d.score) - 4) > 1e-6)).toBe(true);
      expect(cents.map((d) => d.flag)).toEqual(dollars.map((d) => d.flag));
      cents.forEach((d, i) => expect(d.score).toBeCloseTo(dollars[i]!.score, 9));
    }
  });
});
