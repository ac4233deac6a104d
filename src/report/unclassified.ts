/**
 * `report unclassified`: the meters that look like AI but that no rule could read, with their cost and
 * an example row, so a user can add a rule (tokenledger.yaml `rules:`) instead of losing the spend.
 */
import { costColumn } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'unclassified.sql');

export async function unclassified(ledger: Ledger, o: RequestOf<'unclassified'>): Promise<Report> {
  const rows = await ledger.query(fill(SQL, { COST: code(costColumn(o.costBasis)), WHERE: inPeriod(code('ChargePeriodStart'), o.period) }));
  return {
    name: 'unclassified',
    title: `AI-looking meters no rule could classify (${o.costBasis} cost, ${o.period.label})`,
    meta: baseMeta(o),
    columns: [
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'service_name', label: 'Service', kind: 'text' },
      { key: 'meter_subcategory', label: 'Subcategory', kind: 'text' },
      { key: 'meter_name', label: 'Meter', kind: 'text' },
      { key: 'pricing_unit', label: 'Unit', kind: 'text' },
      { key: 'reason', label: 'Why', kind: 'text' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'charge_rows', label: 'Rows', kind: 'int' },
      { key: 'example_row', label: 'Example (file:row)', kind: 'text' },
    ],
    rows,
    notes: rows.length
      ? ['Add rules for these meters in a file named by `rules:` in tokenledger.yaml (format: rules/ai-meters.yaml), then run ' +
        '`tokenledger reclassify`.'] : [],
  };
}
