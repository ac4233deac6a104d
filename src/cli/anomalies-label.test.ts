/**
 * `tokenledger anomalies label` through the command line on a store file: the label lands in the store and
 * the report shows it; a malformed or unknown ID and a bad label are usage errors (exit 2) that leave the
 * store as it was.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { anomalyScenario, STORM } from '../test-support/anomaly-scenario.js';
import { fingerprint, tempDir } from '../test-support/focus-fixture.js';
import { Store } from '../store/db.js';
import { run } from './main.js';

let dir: string;
let storePath: string;
let config: string;

async function cli(...argv: string[]) {
  const fx = memoryEffects({ cwd: dir, now: new Date('2026-09-28T09:00:00Z'), env: { TOKENLEDGER_TODAY: '2026-09-28' } });
  const code = await run([...argv, '--store', storePath, '--config', config], fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

const report = async () => JSON.parse((await cli('report', 'anomalies', '--from', '2026-09-01', '--to', '2026-09-28', '--format', 'json',
  '--allow-incomplete')).out) as { rows: { id: string; start: string; value: string; label: string }[] };

beforeAll(async () => {
  dir = tempDir('tl-label-');
  storePath = join(dir, 'ledger.duckdb');
  config = join(dir, 'tokenledger.yaml');
  writeFileSync(config, 'anomalies:\n  min_impact: 1\n  min_percent: 10\n');
  (await anomalyScenario(storePath)).close();
}, 60_000);

const snapshot = async () => {
  const s = await Store.open(storePath, { readOnly: true });
  try {
    return [await fingerprint(s), await s.query('SELECT * FROM anomaly_labels ORDER BY id')];
  } finally {
    s.close();
  }
};

describe('tokenledger anomalies label', () => {
  it('stores a label the report then shows', async () => {
    const before = await report();
    const storm = before.rows.find((r) => r.start === STORM && r.value === 'A')!;
    expect(storm.label).toBe('');
    const r = await cli('anomalies', 'label', storm.id, 'planned', '--note', 'load test');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain(`labelled ${storm.id} (cost feature A USD, spike from ${STORM}) planned`);
    expect((await report()).rows.find((x) => x.id === storm.id)!.label).toBe('planned');
    // relabelling replaces the label
    expect((await cli('anomalies', 'label', storm.id, 'YES')).code).toBe(0);
    expect((await report()).rows.find((x) => x.id === storm.id)!.label).toBe('yes');
  });

  it.each([
    [['0123456789ab', 'yes'], /no anomaly 0123456789ab/],
    [['nothex', 'yes'], /expected the 12 hexadecimal characters/],
    [['0123456789ab', 'maybe'], /expected yes, no or planned/],
  ])('%j is refused (exit 2), the store unchanged', async (args, message) => {
    const before = await snapshot();
    const r = await cli('anomalies', 'label', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });
});
