/** tokenledger.yaml economics keys: what is accepted, and the messages for what is not. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/focus-fixture.js';
import { CONFIG_TEMPLATE, loadConfig } from './config.js';

function load(yaml: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'tokenledger.yaml'), yaml);
  return loadConfig(undefined, dir);
}

describe('economics configuration', () => {
  it('reads units, events columns, cost classes and sharing rules', () => {
    const c = load(
      `units:\n  ticket: { features: [a, b], success: [resolved] }\nevents:\n  columns: { timestamp: at }\ncost_classes:\n  - class: ` +
        `gpu\n    match: { meter: "NC*" }\nsharing:\n  - name: gw\n    match: { service_name: API Management }\n    basis: ` +
        `fixed_plus_units\n    fixed: 300.50\n`);
    expect(c.units?.ticket).toEqual({ features: ['a', 'b'], success: ['resolved'] });
    expect(c.events?.columns?.timestamp).toBe('at');
    expect(c.cost_classes?.[0]).toEqual({ class: 'gpu', match: { meter: 'NC*' } });
    expect(c.sharing?.[0]).toMatchObject({ name: 'gw', basis: 'fixed_plus_units', fixed: '300.5' });
  });

  const BAD: [string, RegExp][] = [
    ['sharing:\n  - name: s\n    basis: percent\n    percent: { a: 60, b: 30 }\n',
      /sharing\.0\.percent \(name: s\): percentages add up to 90, expected 100/],
    ['sharing:\n  - name: s\n    basis: percent\n', /sharing\.0\.percent \(name: s\): basis percent needs percent/],
    ['sharing:\n  - name: s\n    basis: fixed_plus_units\n', /sharing\.0\.fixed \(name: s\): basis fixed_plus_units needs fixed/],
    ['sharing:\n  - name: s\n    basis: fixed_plus_units\n    fixed: 10\n    classes: [platform, overhead]\n',
      /sharing\.0\.classes \(name: s\): basis fixed_plus_units takes one cost class/],
    ['sharing:\n  - name: s\n    basis: by-magic\n', /sharing\.0\.basis/],
    ['sharing:\n  - { name: s, basis: tokens }\n  - { name: s, basis: units }\n', /sharing: sharing rule names must be unique/],
    ['units:\n  ticket: { features: [] }\n', /units\.ticket\.features/],
    ['cost_classes:\n  - class: gpu\n    match: {}\n', /cost_classes\.0\.match: match needs at least one of/],
    ['cost_classes:\n  - class: luxury\n    match: { meter: x }\n', /cost_classes\.0\.class/],
    ['events:\n  columns: { when: t }\n', /events\.columns/],
  ];
  it.each(BAD)('refuses %j with the key to fix', (yaml, message) => {
    expect(() => load(yaml)).toThrow(message);
  });

  it('the commented template of `tokenledger init` becomes valid when uncommented', () => {
    const economics = CONFIG_TEMPLATE.slice(CONFIG_TEMPLATE.indexOf('# Unit economics'));
    const c = load(economics.split('\n').map((l) => l.replace(/^# (?=\s*[\w-]+:|\s+- )/, '')).join('\n'));
    expect(Object.keys(c.units ?? {})).toEqual(['ticket', 'document']);
    expect(c.sharing?.map((r) => r.name)).toEqual(['vector-store', 'ai-gateway', 'security']);
  });
});
