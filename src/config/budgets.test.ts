/**
 * tokenledger.yaml budgets and alerts: what is accepted, its defaults, and that a mistake names the key
 * to fix (through loadConfig, as `config check` and every command read it).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/focus-fixture.js';
import { loadConfig } from './config.js';

function load(yaml: string) {
  const dir = tempDir('tl-budget-config-');
  writeFileSync(join(dir, 'tokenledger.yaml'), yaml);
  return loadConfig(undefined, dir);
}

describe('budgets in tokenledger.yaml', () => {
  it('reads the issue\'s example with its defaults; amounts keep their decimal text', () => {
    const c = load(`budgets:
  - name: support-copilot-monthly
    scope: { feature: support-copilot, team: [a, b] }
    amount: 20000.10
  - { name: tok, measure: tokens.output, amount: "1500000", period: { rolling_days: 30 }, thresholds: [ { at: 50, basis: forecast } ] }
alerts: { webhooks: [ { url: "http://127.0.0.1:9/x", format: teams } ] }
`);
    expect(c.budgets).toEqual([
      { name: 'support-copilot-monthly', scope: { feature: ['support-copilot'], team: ['a', 'b'] }, measure: 'cost', amount: '20000.1',
        period: 'month', thresholds: [{ at: 80, basis: 'actual' }, { at: 100, basis: 'actual' }, { at: 100, basis: 'forecast' }] },
      { name: 'tok', scope: {}, measure: 'tokens.output', amount: '1500000', period: { rolling_days: 30 },
        thresholds: [{ at: 50, basis: 'forecast' }] },
    ]);
    expect(c.alerts).toEqual({ webhooks: [{ url: 'http://127.0.0.1:9/x', format: 'teams' }] });
  });

  it.each([
    ['budgets:\n  - { name: a, scope: { featur: x }, amount: 1 }', /budgets\.0\.scope \(name: a\): Unrecognized key: "featur"/],
    ['budgets:\n  - { name: a, amount: -5 }', /budgets\.0\.amount/],
    ['budgets:\n  - { name: a, amount: 1, measure: dollars }', /budgets\.0\.measure/],
    ['budgets:\n  - { name: a, amount: 1, period: week }',
      /budgets\.0\.period \(name: a\): expected month, quarter, year or \{ rolling_days: N \} \(N from 1 to 366\)/],
    ['budgets:\n  - { name: a, amount: 1, period: { rolling: 30 } }', /budgets\.0\.period \(name: a\): expected month, quarter, year/],
    ['budgets:\n  - { name: a, amonut: 1 }', /budgets\.0\.amount \(name: a\): required: the budget's amount, such as 20000/],
    ['budgets:\n  - { name: a, amount: 20k }', /budgets\.0\.amount \(name: a\): expected a positive amount such as 20000/],
    ['budgets:\n  - { name: a, amount: 1 }\n  - { name: a, amount: 2 }', /budgets\.1\.name \(name: a\): budget name a is used twice/],
    ['budgets:\n  - { name: a, amount: 1, thresholds: [ { at: 80, basis: plan } ] }', /budgets\.0\.thresholds\.0\.basis/],
    ['budgets:\n  - { name: a, amount: 1, colour: red }', /budgets\.0 \(name: a\): Unrecognized key: "colour"/],
    ['budget:\n  - { name: a, amount: 1 }', /\(root\): Unrecognized key: "budget" \(budget: did you mean budgets\?\)/],
    ['alerts: { webhooks: [ { url: "ftp://x", format: slack } ] }', /alerts\.webhooks\.0\.url: expected an http\(s\) URL/],
    ['alerts: { webhooks: [ { url: "https://x", format: discord } ] }', /alerts\.webhooks\.0\.format/],
  ])('%s is refused naming the key', (yaml, message) => {
    expect(() => load(yaml)).toThrow(message);
  });
});
