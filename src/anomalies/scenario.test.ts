/**
 * Anomalies on a hand-built ledger where the injected day, feature and driver are known.
 *
 * 2026-08-03 .. 2026-09-27 (56 days), one Azure OpenAI account R1 (gpt-4o, $2.50 per 1M input, $10 per 1M
 * output), two features by telemetry:
 *
 *   per day        requests  input tokens  output tokens  cost    units (tickets)
 *   A                 1       1,000,000       100,000     3.50    100
 *   B                 1         500,000        50,000     1.75    (no events: volume is requests)
 *
 *   2026-09-20  A retries: 3 requests of the same size for the same 100 tickets:
 *               A = 3,000,000 input ($7.50) + 300,000 output ($3.00) = $10.50; expected $3.50; impact +$7.00, +200 %.
 *               root causes: model gpt-4o +7.00; token type input +5.00 (7.50 - 3.50 x 2.5/3.5), output +2.00.
 *               driver: tokens per ticket 11,000 -> 33,000, same tickets, same price: intensity +7.00.
 *   2026-09-10  no telemetry for R1 at all: A and B cost is unallocated that day, their tokens are 0:
 *               drops on a day with missing telemetry -> possible ingestion gaps, not savings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/db.js';
import { anomalyScenario, GAP, STORM } from '../test-support/anomaly-scenario.js';
import { ledgerOf, reportOf } from '../test-support/ledger.js';
import { findAnomalies, openAnomalies } from './anomalies.js';
import { storeLabel } from './labels.js';
const CONFIG = { anomalies: { min_impact: 1, min_percent: 10 } };

let store: Store;
beforeAll(async () => {
  store = await anomalyScenario();
});
afterAll(() => store.close());

const period = { from: '2026-09-01', to: '2026-09-28' };

describe('anomalies scenario', () => {
  it('finds the retry storm on feature A on its day, with the impact to the cent, root causes and the intensity driver', async () => {
    const found = await findAnomalies(ledgerOf(store, CONFIG), { dimension: 'feature', period, costBasis: 'effective' });
    const storm = found.filter((a) => a.measure === 'cost' && a.start === STORM);
    expect(storm).toHaveLength(1);
    const [a] = storm;
    expect(a).toMatchObject({ value: 'A', end: STORM, open: false, pattern: 'spike', expected: '3.50', actual: '10.50', impact: '7.00',
      impactPct: '200.0', possibleIngestionGap: false });
    expect(a!.rootCauses.filter((c) => c.dimension === 'token-type').map((c) => [c.value, c.contribution]))
      .toEqual([['input', '5.00'], ['output', '2.00']]);
    expect(a!.rootCauses.find((c) => c.dimension === 'model')).toMatchObject({ value: 'gpt-4o', contribution: '7.00' });
    expect(a!.drivers).toMatchObject({ volumeBasis: 'units', change: '7.00', volume: '0.00', intensity: '7.00', rate: '0.00',
      driver: 'intensity' });
    expect(a!.drivers!.before.tokens_per_volume).toBe(11_000);
    expect(a!.drivers!.after.tokens_per_volume).toBe(33_000);
    // B did nothing unusual on that day
    expect(found.some((x) => x.value === 'B' && x.start === STORM)).toBe(false);
  });

  it('reads the telemetry gap as a possible ingestion gap, not savings; the unallocated cost it leaves is a spike', async () => {
    const found = await findAnomalies(ledgerOf(store, CONFIG), { dimension: 'feature', period, costBasis: 'effective' });
    const onGap = found.filter((a) => a.start === GAP);
    const drops = onGap.filter((a) => a.value !== '__unallocated__');
    expect(drops.map((a) => `${a.measure} ${a.value}`).sort()).toEqual(['cost A', 'cost B', 'requests A', 'requests B', 'tokens A',
      'tokens B']);
    expect(drops.every((a) => a.pattern === 'drop' && a.possibleIngestionGap)).toBe(true);
    expect(drops.find((a) => a.measure === 'cost' && a.value === 'A')).toMatchObject({ expected: '3.50', actual: '0.00',
      impact: '-3.50' });
    expect(onGap.find((a) => a.value === '__unallocated__')).toMatchObject({ measure: 'cost', pattern: 'spike', actual: '5.25',
      impact: '5.25' });
  });

  it('on the total: the storm is the one spike, and the gap is not seen (billing is complete)', async () => {
    const found = await findAnomalies(ledgerOf(store, CONFIG), { dimension: 'total', period, costBasis: 'effective',
      measures: ['cost'] });
    expect(found.map((a) => [a.start, a.pattern, a.impact])).toEqual([[STORM, 'spike', '7.00']]);
  });

  it('gates: the default minimum impact ($50) leaves a $7 anomaly out', async () => {
    const found = await findAnomalies(ledgerOf(store), { dimension: 'total', period, costBasis: 'effective', measures: ['cost'] });
    expect(found).toEqual([]);
  });

  it('IDs are stable whatever the period asked, and labels stop open anomalies from alerting', async () => {
    const a = await findAnomalies(ledgerOf(store, CONFIG), { dimension: 'feature', period, costBasis: 'effective', explain: false });
    const b = await findAnomalies(ledgerOf(store, CONFIG), { dimension: 'feature', period: { from: '2026-09-15', to: '2026-09-25' },
      costBasis: 'effective', explain: false });
    const id = (x: typeof a) => x.find((y) => y.start === STORM && y.measure === 'cost')!.id;
    expect(id(b)).toBe(id(a));
    expect(id(a)).toMatch(/^[0-9a-f]{12}$/);
    // nothing is open on the last day (2026-09-27): the alerts' list is empty
    expect(await openAnomalies(ledgerOf(store, CONFIG), '2026-09-27')).toEqual([]);
    await storeLabel(store, { id: id(a), series: 'cost feature A', start: STORM }, 'planned', null, new Date('2026-09-28T00:00:00Z'));
    const r = await reportOf(store, 'anomalies', { from: period.from, to: period.to, dimension: 'feature' }, CONFIG);
    expect(r.rows.find((x) => x.id === id(a))).toMatchObject({ label: 'planned', pattern: 'spike', impact: '7.00' });
  });
});
