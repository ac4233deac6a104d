/**
 * `report unclassified`: the meters that look like AI but that no rule could read, with their cost and
 * an example row, so a user can add a rule (tokenledger.yaml `rules:`) instead of losing the spend.
 */
import { loadSql, type Store } from '../store/db.js';
import { baseMeta, chargeWhere, costColumn, fillSql, type ReportOptions } from './options.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'unclassified.sql');

export async function unclassified(store: Store, o: ReportOptions): Promise<Report> {
  const rows = await store.query(fillSql(SQL, { COST: costColumn(o.costBasis), WHERE: chargeWhere(o) }));
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
    notes: rows.length ? ['Add rules for these meters in a file named by `rules:` in tokenledger.yaml (format: rules/ai-meters.yaml), then run `tokenledger reclassify`.'] : [],
  };
}
