/**
 * Open anomalies reach `tokenledger alerts`: on the demo (whose October carries a slow context-window
 * creep on agent-assist), the dry run's events include that anomaly with its id; labelled `planned` with
 * `tokenledger anomalies label`, it no longer alerts.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { run } from './main.js';

let dir: string;
let store: string;

async function cli(...argv: string[]) {
  const fx = memoryEffects({ cwd: dir, env: { TOKENLEDGER_TODAY: '2026-10-31' } });
  const code = await run(['--store', store, '--config', join(dir, 'tokenledger.yaml'), ...argv], fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

interface Event { kind: string; subject: string; data: { anomaly_id?: string; measure?: string; pattern?: string } }
const anomalyEvents = async () => {
  const r = await cli('alerts', '--dry-run', '--today', '2026-10-31', '--format', 'json');
  expect(r.err).toBe('');
  return (JSON.parse(r.out) as { rows: Event[] }).rows.filter((e) => e.kind === 'anomaly');
};

beforeAll(async () => {
  dir = tempDir('tl-alerts-anomalies-');
  store = join(dir, 'ledger.duckdb');
  expect(await run(['--store', store, 'demo', '--end', '2026-10', '--seed', '7'], memoryEffects({ cwd: dir }))).toBe(0);
}, 180_000);

describe('anomalies in alerts', () => {
  it('an open anomaly is an alert event until it is labelled planned', async () => {
    const before = await anomalyEvents();
    const creep = before.find((e) => e.subject === 'feature agent-assist');
    expect(creep, JSON.stringify(before)).toBeDefined();
    expect(creep!.data.anomaly_id).toMatch(/^[0-9a-z-]+$/);
    const label = await cli('anomalies', 'label', creep!.data.anomaly_id!, 'planned', '--month', '2026-10');
    expect(label.code, label.err).toBe(0);
    const after = await anomalyEvents();
    expect(after.map((e) => e.data.anomaly_id)).not.toContain(creep!.data.anomaly_id);
  });
});
