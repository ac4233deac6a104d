/**
 * A store written before the ingest refused values outside FOCUS (issue 11): `check` fails on them naming
 * file and line, and reports are gated on them like the other failed checks.
 */
import { rebuildRollup } from '../store/rollup.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePeriod } from '../domain/period.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { checkExitCode, runChecks } from './checks.js';
import { dataStatus, gate } from './status.js';

let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const o = { today: '2026-10-07', staleDays: 3, closeDays: 5 };

describe('conformance.enumerations', () => {
  it('passes on FOCUS values; fails on a stored Bogus / NUL ChargeCategory, and the report gate refuses', async () => {
    const f = writeFixture(tempDir(), 'x.csv', focusCsv([{ ChargePeriodStart: '2026-10-05', ChargePeriodEnd: '2026-10-06' },
      { ChargePeriodStart: '2026-10-06', ChargePeriodEnd: '2026-10-07' }]));
    await ingestFocus(store, [f], { rules: loadRules() });
    const pass = (await runChecks(store, o)).find((c) => c.id === 'conformance.enumerations');
    expect(pass).toMatchObject({ status: 'pass', count: 0 });
    const period = parsePeriod({ month: '2026-10' });
    expect((await dataStatus(store, period, o)).problems.join()).not.toMatch(/outside FOCUS/);

    // as an older tokenledger would have stored them
    await store.query(`UPDATE billing_rows SET ChargeCategory = CASE tl_source_row WHEN 1 THEN 'Bogus' ELSE 'Us' || chr(0) || 'age' END`);
    // and as migration 016 summed them into the daily rollup
    await rebuildRollup(store);
    const results = await runChecks(store, o);
    const fail = results.find((c) => c.id === 'conformance.enumerations')!;
    expect(fail).toMatchObject({ status: 'fail', count: 2 });
    expect(fail.examples).toEqual([`${f}:2: ChargeCategory is "Bogus", not a FOCUS value`,
      `${f}:3: ChargeCategory is "Us\u2400age", not a FOCUS value`]);
    expect(checkExitCode(results)).toBe(2);
    const status = await dataStatus(store, period, o);
    expect(status.problems).toContain('2 row(s) with a value outside FOCUS in an enumerated column (see tokenledger check)');
    expect(() => gate(status, false)).toThrow(/incomplete: .*2 row\(s\) with a value outside FOCUS/);
  });
});
