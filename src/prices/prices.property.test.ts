/**
 * Properties of the price arithmetic: PTUs bought are the least that cover the rate on the deployment
 * type's minimum and increment; the levers never count a dollar twice (the combined savings add up to the
 * cost before minus the cost after all of them, exactly, a partial batch included); a price sheet reads back every price exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { negateDecimal, sumDecimals } from '../domain/decimal.js';
import { loadRules } from '../normalize/rules.js';
import { tempDir, writeFixture } from '../test-support/focus-fixture.js';
import {
  batchLever,
  cachingLever,
  concisionLever,
  costOf,
  deploymentLever,
  mixCost,
  rightSizingLever,
  saving,
  type Mix,
  type PriceLookup,
} from './levers.js';
import { ptusFor } from './ptu.js';
import { readPriceSheet } from './sheet.js';

const decimal = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }))
  .map(([i, f]) => `${i}.${String(f).padStart(4, '0')}`);

describe('properties', () => {
  it('PTUs: enough for the rate, on the grid of minimum + k x increment, and the least such', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 100, max: 60_000 }),
        fc.constantFrom<[number, number]>([15, 5], [25, 25], [50, 50]),
        (tpm, per, steps) => {
          const n = ptusFor(tpm, per, steps);
          expect(n * per).toBeGreaterThanOrEqual(tpm);
          expect((n - steps[0]) % steps[1]).toBe(0);
          expect(n >= steps[0]).toBe(true);
          if (n > steps[0]) expect((n - steps[1]) * per).toBeLessThan(tpm);
        },
      ),
    );
  });

  it('levers: the combined savings add up to cost before - cost after all levers, to the last digit', () => {
    const prices = fc.dictionary(
      fc.constantFrom(
        'a|global-standard|input',
        'a|global-standard|cached_input',
        'a|global-standard|output',
        'a|global-batch|input',
        'a|global-batch|output',
        'b|datazone-standard|input',
        'b|datazone-standard|output',
        'b|global-standard|input',
        'b|global-standard|output',
        'b|global-standard|cached_input',
        'b|global-batch|input',
        'b|global-batch|output',
      ),
      decimal,
    );
    fc.assert(
      fc.property(
        prices,
        fc.constantFrom('global-standard', 'datazone-standard'),
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        fc.integer({ min: 0, max: 10 ** 9 }),
        decimal,
        decimal,
        decimal,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
        (table, deployment, i, c, o, pi, pc, po, hit, batched) => {
          const price: PriceLookup = (m, d, t) => table[`${m}|${d}|${t}`];
          const m0: Mix = {
            model: 'b',
            deployment,
            tokens: { input: i, cached_input: c, output: o },
            cost: { input: costOf(i, pi), cached_input: costOf(c, pc), output: costOf(o, po) },
          };
          const levers = [
            (x: Mix) => cachingLever(x, hit, price),
            (x: Mix) => deploymentLever(x, price),
            (x: Mix) => batchLever(x, price, true, batched),
            (x: Mix) => rightSizingLever(x, 'a', price),
            (x: Mix) => concisionLever(x, 0.15),
          ];
          let state = m0;
          const parts: string[] = [];
          for (const l of levers) {
            const next = l(state);
            if (next) {
              parts.push(saving(state, next));
              state = next;
            }
          }
          expect(sumDecimals(parts.length ? parts : ['0'])).toBe(sumDecimals([mixCost(m0), negateDecimal(mixCost(state))]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('price sheet CSV: every price reads back as written', () => {
    const dir = tempDir();
    const rules = loadRules();
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('gpt-4o', 'o3', 'gpt-5-mini'),
            fc.constantFrom('global-standard', 'global-batch'),
            fc.constantFrom('input', 'output', 'cached_input'),
            decimal,
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (rows) => {
          const path = writeFixture(
            dir,
            'p.csv',
            ['model,deployment,token_type,price_per_1m', ...rows.map((r) => r.join(','))].join('\n') + '\n',
          );
          const s = readPriceSheet(path, rules);
          expect(s.entries.map((e) => [e.model, e.deployment, e.tokenType, e.perMillion])).toEqual(rows);
          expect(s.entries.map((e) => e.id)).toEqual(rows.map((_, k) => `sheet:p.csv:line${k + 2}`));
        },
      ),
      { numRuns: 100 },
    );
  });
});
