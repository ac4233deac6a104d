/** Exact division for the capacity reports, and the VM size facts' schema. */
import { describe, expect, it } from 'vitest';
import { tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { divideExact } from './capacity-math.js';
import { familyKey, readVmSizes, vmSizes } from '../allocate/vm-sizes.js';

describe('divideExact', () => {
  it.each([
    ['9191.3479', 3600n, 6, '2.553152'], // 2.5531522 -> half up at 6
    ['9192.0000', 3600n, 2, '2.55'], ['1', 3n, 4, '0.3333'], ['2', 3n, 4, '0.6667'], ['-2', 3n, 2, '-0.67'], ['0.005', 1n, 2, '0.01'],
    ['2635200', 3600n, 2, '732.00'], ['0', 7n, 3, '0.000'],
  ])('%s / %s at %d places = %s', (d, by, places, expected) => expect(divideExact(d, by, places)).toBe(expected));
});

describe('rules/vm-sizes.yaml', () => {
  it('loads, with GPU sizes whose family keys match the usages spelling', () => {
    const a100 = vmSizes().find((s) => s.size === 'Standard_NC24ads_A100_v4')!;
    expect([a100.size_key, a100.gpus, a100.family_key]).toEqual(['nc24adsa100v4', 1, familyKey('Standard NCADS_A100_v4 Family')]);
    expect(vmSizes().find((s) => s.size === 'Standard_NC4as_T4_v3')!.family_key).toBe(familyKey('standardNCASv3T4Family'));
  });
  it('refuses a file that breaks the schema, naming the field', () => {
    const f = writeFixture(tempDir(), 'sizes.yaml',
      'sizes:\n  - { size: X, family: f, vcpus: 4, gpus: -1, gpu_model: g, reservable: true }\n');
    expect(() => readVmSizes(f)).toThrow(/sizes\.0\.gpus/);
    const entry = '  - { size: Standard_X_v1, family: f, vcpus: 4, gpus: 1, gpu_model: g, reservable: true }\n';
    const twice = writeFixture(tempDir(), 'twice.yaml', 'sizes:\n' + entry.repeat(2));
    expect(() => readVmSizes(twice)).toThrow(/listed twice/);
  });
});
