/**
 * `report meter-matrix`: the matrix FinOps teams build in Power BI today (meter category > subcategory >
 * meter name with cost, consumed quantity and unit cost), with category and subcategory subtotals.
 */
import { costColumn } from '../domain/cost-basis.js';
import { divideDecimals, isDecimalString } from '../domain/decimal.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'meter-matrix.sql');

export async function meterMatrix(ledger: Ledger, o: RequestOf<'meter-matrix'>): Promise<Report> {
  const rows = await ledger.query(fill(SQL, {
    COST: code(costColumn(o.costBasis)), WHERE: inPeriod(code('charge_day'), o.period, 'DATE'),
  }));
  for (const r of rows) {
    const level = Number(r.level);
    const label = level === 1 ? r.meter_category : level === 2 ? `  ${r.meter_subcategory}` : `    ${r.meter_name}`;
    r.meter = label ?? null;
    r.level = level;
    // the unit cost as an exact quotient of the exact sums (12 significant digits): 2.3, not 2.300000000000001
    const cost = String(r.cost ?? '');
    const quantity = String(r.consumed_quantity ?? '');
    if (r.unit_cost !== null && isDecimalString(cost) && isDecimalString(quantity)) r.unit_cost = divideDecimals(cost, quantity, 12);
  }
  return {
    name: 'meter-matrix',
    title: `Meter matrix (${o.costBasis} cost, ${o.period.label}); level 1 category, 2 subcategory, 3 meter`,
    meta: baseMeta(o),
    columns: [
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'level', label: 'Lvl', kind: 'int' },
      { key: 'meter_category', label: 'Category', kind: 'text' },
      { key: 'meter_subcategory', label: 'Subcategory', kind: 'text' },
      { key: 'meter_name', label: 'Meter', kind: 'text' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'consumed_quantity', label: 'Consumed qty', kind: 'quantity' },
      { key: 'consumed_unit', label: 'Unit', kind: 'text' },
      { key: 'unit_cost', label: 'Unit cost', kind: 'rate' },
    ],
    rows,
  };
}

/** The table form shows the hierarchy by indentation in one column instead of three. */
export function meterMatrixTableColumns(r: Report): Report {
  return {
    ...r,
    columns: [
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'meter', label: 'Category > subcategory > meter', kind: 'text' },
      ...r.columns.filter((c) => ['cost', 'consumed_quantity', 'consumed_unit', 'unit_cost'].includes(c.key)),
    ],
  };
}
