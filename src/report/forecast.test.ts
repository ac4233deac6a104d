/**
 * `report forecast` on the budget scenario (test-support/budget-scenario.ts), data through 2026-10-15.
 * The feature `trend` costs 100 + 2t a day, t = 0 on 2026-06-01 (t = 136 on 2026-10-15), so by hand:
 *
 *   month     actual to date (t = 122..136)    forecast of the rest                    projected
 *   2026-10   15 x 100 + 2 (122+136) 15/2 = 5,370   16 days, t = 137..152: 1,600 + 4,624 = 6,224   11,594.00
 *   2026-11   0                                14 days (--horizon 30d), t = 153..166: 1,400 + 4,466   5,866.00
 *
 * support-copilot is 100 a day (Oct: 1,500 + 1,600 = 3,100.00); linear trend must win on `trend`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../store/db.js';
import { ingestBudgetScenario, SCENARIO_CONFIG } from '../test-support/budget-scenario.js';
import { reportOf } from '../test-support/ledger.js';
import { horizonEnd, parseHorizon } from './forecast.js';
import { renderJson } from './render.js';

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await ingestBudgetScenario(store);
});
afterAll(() => store.close());

describe('report forecast', () => {
  it('horizons: 3m are the three calendar months from the day after the data, 90d are days', () => {
    expect(horizonEnd(parseHorizon('3m'), '2026-10-15')).toBe('2027-01-01');
    expect(horizonEnd(parseHorizon('3m'), '2026-10-31')).toBe('2027-02-01');
    expect(horizonEnd(parseHorizon('30d'), '2026-10-15')).toBe('2026-11-15');
    expect(() => parseHorizon('3w')).toThrow(/--horizon 3w: expected months such as 3m/);
  });

  it('a series with a known linear trend, by feature, to the cent', async () => {
    const r = await reportOf(store, 'forecast', { today: '2026-10-16', by: ['feature'], horizon: '30d' }, SCENARIO_CONFIG);
    const rows = Object.fromEntries(r.rows.map((x) => [`${x.key} ${x.month}`, x]));
    expect(rows['trend 2026-10']).toMatchObject({ method: 'linear-trend', actual_to_date: '5370', forecast_days: 16,
      forecast_rest: '6224.00', projected: '11594.00', lo95: '11594.00', hi95: '11594.00' });
    expect(rows['trend 2026-11']).toMatchObject({ actual_to_date: '0', forecast_days: 14, projected: '5866.00' });
    expect(rows['support-copilot 2026-10']).toMatchObject({ actual_to_date: '1500', projected: '3100.00' });
    const meta = r.meta as { data_through: string; accuracy: { key: string; method: string; blocks: { wape: number }[] }[] };
    expect(meta.data_through).toBe('2026-10-15');
    const trend = meta.accuracy.find((a) => a.key === 'trend')!;
    expect(trend.method).toBe('linear-trend');
    expect(trend.blocks[0]!.wape).toBe(0);
    // estimates are printed as cents, never float noise
    expect(renderJson(r).split('"rows":')[1]).not.toMatch(/\.\d{3,}/);
  });

  it('takes no --month and one --by of feature, team, model', async () => {
    await expect(reportOf(store, 'forecast', { month: '2026-10' }, SCENARIO_CONFIG)).rejects.toThrow(/takes no --month/);
    await expect(reportOf(store, 'forecast', { by: ['resource'] }, SCENARIO_CONFIG)).rejects.toThrow(/--by feature, team or model/);
  });
});
