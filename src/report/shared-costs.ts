/**
 * `report shared-costs [--month YYYY-MM]`: the audit view of sharing. Each pool of platform and overhead
 * cost, the rule that took it, which features received what, and the basis numbers (tokens, units,
 * percentages, the fixed part) behind each share; what no rule spread is listed as __shared__.
 */
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, join } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'shared-costs.sql');

export async function sharedCosts(ledger: Ledger, o: RequestOf<'shared-costs'>): Promise<Report> {
  const rows = await ledger.query(join([ledger.economics(o.period, o.costBasis), code(SQL)], '\n'));
  return {
    name: 'shared-costs',
    title: `Shared costs and their basis (${o.costBasis} cost, ${o.period.label})`,
    meta: baseMeta(o),
    columns: [
      { key: 'month', label: 'Month', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'rule_name', label: 'Rule', kind: 'text' },
      { key: 'cost_class', label: 'Class', kind: 'text' },
      { key: 'feature_key', label: 'Feature', kind: 'text' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'basis', label: 'Basis', kind: 'text' },
    ],
    rows,
    notes: (ledger.config.sharing ?? []).length ? []
      : ['No sharing rules in tokenledger.yaml: platform and overhead cost without a feature stays __shared__ (see `tokenledger init`).'],
  };
}
