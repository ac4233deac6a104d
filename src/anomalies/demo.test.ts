/**
 * The demo's injected incidents (src/demo/incidents.ts and its telemetry gap) are what `report anomalies`
 * finds in the demo's last month: three months ending 2026-10, seed 7, as `tokenledger demo` makes them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../demo/catalog.js';
import { writeDemoEvents } from '../demo/events.js';
import { resourceIdOf } from '../demo/generate.js';
import { demoMapping, MISSING_TELEMETRY, writeDemoTelemetry } from '../demo/telemetry.js';
import { writeDemoExport } from '../demo/write-export.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { ledgerOf, ready } from '../test-support/ledger.js';
import { findAnomalies, type ExplainedAnomaly } from './anomalies.js';
import { INCIDENTS } from '../demo/incidents.js';

const PLAN = { months: ['2026-08', '2026-09', '2026-10'], clones: 1, seed: 7 };
let store: Store;
let found: ExplainedAnomaly[];

beforeAll(async () => {
  const dir = tempDir('tl-anomalies-demo-');
  await writeDemoExport(join(dir, 'billing'), PLAN);
  store = await Store.open(':memory:');
  const clock = () => new Date('2026-11-05T08:00:00Z');
  await ingestFocus(store, [join(dir, 'billing')], { rules: loadRules(), clock });
  await ingestTelemetry(store, await writeDemoTelemetry(dir, PLAN), { clock, mapping: demoMapping(RESOURCES.map(resourceIdOf)) });
  await ingestEvents(store, writeDemoEvents(dir, PLAN), { clock });
  await ready(store);
  found = await findAnomalies(ledgerOf(store), { dimension: 'feature', period: { from: '2026-10-01', to: '2026-11-01' },
    costBasis: 'effective' });
}, 120_000);
afterAll(() => store.close());

const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}`;
const cost = () => found.filter((a) => a.measure === 'cost');

describe('the demo incidents, found in its last month (by feature)', () => {
  it('the retry storm: a spike on support-copilot on its two days, driven by intensity (tokens per ticket)', () => {
    const s = INCIDENTS.retryStorm;
    const a = cost().find((x) => x.value === s.feature && x.start === day(s.days[0]))!;
    expect(a).toMatchObject({ end: day(s.days[1]), pattern: 'spike', possibleIngestionGap: false });
    expect(Number(a.impactPct)).toBeGreaterThan(50);
    expect(a.drivers).toMatchObject({ volumeBasis: 'units', driver: 'intensity' });
    expect(found.some((x) => x.measure === 'tokens' && x.value === s.feature && x.start === day(s.days[0]))).toBe(true);
  });

  it('the context-window creep: a drift on agent-assist, open at the end of the month, driven by intensity', () => {
    const c = INCIDENTS.contextCreep;
    const a = cost().find((x) => x.value === c.feature && x.pattern === 'drift')!;
    expect(a.start > day(c.fromDay)).toBe(true);
    expect(a).toMatchObject({ end: day(31), open: true });
    expect(a.drivers).toMatchObject({ driver: 'intensity' });
    expect(a.rootCauses[0]).toMatchObject({ dimension: 'resource', value: c.resource });
  });

  it('the model swap: a step on lead-scoring from its day, driven by the rate, root cause the new model', () => {
    const m = INCIDENTS.modelSwap;
    const a = cost().find((x) => x.value === m.feature)!;
    expect(a).toMatchObject({ start: day(m.fromDay), pattern: 'step' });
    expect(a.drivers).toMatchObject({ driver: 'rate' });
    expect(a.rootCauses.find((c) => c.dimension === 'model')).toMatchObject({ value: m.to });
  });

  it('the telemetry gap: drops on its day are possible ingestion gaps, never savings; its cost lands in __unallocated__', () => {
    const gap = day(MISSING_TELEMETRY.day);
    const drops = found.filter((x) => x.start === gap && x.impact.startsWith('-'));
    expect(drops.map((x) => `${x.measure} ${x.value}`)).toEqual(expect.arrayContaining(['cost support-copilot', 'cost agent-assist',
      'tokens support-copilot', 'tokens agent-assist']));
    expect(drops.every((x) => x.possibleIngestionGap)).toBe(true);
    expect(cost().find((x) => x.value === '__unallocated__')).toMatchObject({ start: gap, pattern: 'spike' });
  });

  it('finds nothing else in the cost of any feature (precision on the demo)', () => {
    expect(cost().map((x) => `${x.value} ${x.start} ${x.pattern}`).sort()).toEqual([
      `__unallocated__ ${day(12)} spike`, `agent-assist ${day(12)} drop`, expect.stringMatching(/^agent-assist 2026-10-\d\d drift$/),
      `lead-scoring ${day(20)} step`, `support-copilot ${day(12)} drop`, `support-copilot ${day(14)} spike`]);
  });
});
