/**
 * The spreadsheet formula guard on every CSV tokenledger writes (report --format csv, explain --format csv,
 * export model): tag values that a spreadsheet would run (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`, `+1+1`,
 * `@SUM(1)`, a leading tab or `-`) come out with a leading apostrophe; numbers, negative amounts included,
 * are untouched; `--raw-csv` writes the stored text as it is. The xlsx and HTML stay free of formulas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMULA_START, guardCsvText } from '../domain/csv-guard.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { renderCsv } from '../report/render.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { ledgerOf, ready, reportOf } from '../test-support/ledger.js';
import { exportModel } from './model.js';

const HOSTILE = {
  feature: '=HYPERLINK("http://x","y")',
  team: "=cmd|' /C calc'!A0",
  environment: '+1+1',
  cost_center: '@SUM(1)',
};

describe('the CSV formula guard', () => {
  it('guards text a spreadsheet would run and only that; the guard is undone by dropping one apostrophe', () => {
    expect(guardCsvText('=1+1')).toBe("'=1+1");
    expect(guardCsvText('-2')).toBe("'-2");
    expect(guardCsvText('\tx')).toBe("'\tx");
    expect(guardCsvText('\rx')).toBe("'\rx");
    expect(guardCsvText('support-copilot')).toBe('support-copilot');
    expect(guardCsvText("'=1")).toBe("'=1");
    fc.assert(fc.property(fc.string(), (s) => {
      const g = guardCsvText(s);
      expect(FORMULA_START.test(g)).toBe(false);
      expect(g === s || g === `'${s}`).toBe(true);
    }));
  });

  it('leaves numeric columns alone and guards text columns of a report', () => {
    const csv = renderCsv({
      name: 't', title: 't', meta: {},
      columns: [{ key: 'team', label: 'Team', kind: 'text' }, { key: 'cost', label: 'Cost', kind: 'money' }],
      rows: [{ team: '=HYPERLINK("http://x","y")', cost: '-12.50' }, { team: '@SUM(1)', cost: '3' }],
    });
    expect(csv).toBe('team,cost\n"\'=HYPERLINK(""http://x"",""y"")",-12.5\n\'@SUM(1),3\n');
  });

  it('report csv and the star schema CSVs carry no formula; --raw-csv and the Parquet keep the values', async () => {
    const dir = tempDir();
    const file = writeFixture(dir, 'cost.csv', focusCsv([
      { BilledCost: '4.25', EffectiveCost: '4.25', Tags: JSON.stringify(HOSTILE), ResourceId: '-rg/=evil' },
      { BilledCost: '-1.25', EffectiveCost: '-1.25', ChargeCategory: 'Credit', Tags: JSON.stringify(HOSTILE) },
    ]));
    const store = await Store.open(join(dir, 'ledger.duckdb'));
    try {
      await ingestFocus(store, [file], { rules: loadRules(), clock: () => new Date('2026-11-02T00:00:00Z') });
      await ready(store);
      const report = await reportOf(store, 'allocation', { month: '2026-10', by: ['team'] });
      const guarded = renderCsv(report);
      expect(guarded).toContain(",'=cmd|' /C calc'!A0,");
      expect(guarded).not.toMatch(/(^|,)"?[=+@\t\r]/m);
      expect(renderCsv(report, { raw: true })).toContain("=cmd|' /C calc'!A0");

      const out = join(dir, 'model');
      await exportModel(ledgerOf(store), out);
      for (const table of ['fact_costs', 'fact_allocations', 'dim_feature', 'dim_team']) {
        const text = readFileSync(join(out, 'csv', `${table}.csv`), 'utf8');
        const cells = text.split('\n').slice(1).flatMap((l) => l.split(','));
        expect(cells.filter((c) => /^"?[=+@\t\r]/.test(c)), table).toEqual([]);
      }
      const costs = readFileSync(join(out, 'csv', 'fact_costs.csv'), 'utf8');
      expect(costs).toContain("'-rg/=evil");
      expect(costs).toMatch(/,-1\.25/);
      const features = readFileSync(join(out, 'csv', 'dim_feature.csv'), 'utf8');
      expect(features).toContain('"\'=HYPERLINK(""http://x"",""y"")"');
      const parquet = await store.query<{ feature: string }>(
        `SELECT feature FROM read_parquet('${join(out, 'parquet', 'dim_feature.parquet').replace(/'/g, "''")}')`);
      expect(parquet.map((r) => r.feature)).toContain(HOSTILE.feature);

      const raw = join(dir, 'raw');
      await exportModel(ledgerOf(store), raw, { rawCsv: true });
      expect(readFileSync(join(raw, 'csv', 'dim_feature.csv'), 'utf8')).toContain('"=HYPERLINK(""http://x"",""y"")"');
    } finally {
      store.close();
    }
  });
});
