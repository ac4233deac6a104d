/**
 * `report tag-coverage` and `report telemetry-coverage`: how much of the spend can be attributed at all,
 * by resource tags and by telemetry, and where the gaps are (biggest untagged resources, days without
 * telemetry). Tag coverage reads the period's billing rows (it names resources and tags) and the daily
 * allocation rollup for telemetry's part; telemetry coverage the daily rollup.
 */
import { methodLabelSql } from '../allocate/allocate.js';
import { ALLOCATION_METHODS } from '../domain/allocation.js';
import { allocatedCostColumn, costColumn } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import { grossShareNote } from './bridge.js';
import type { Report } from './render.js';

const TAG_SQL = loadSql(import.meta.url, 'tag-coverage.sql');
/** The allocation methods that are telemetry's (their label says so), as a list of codes. */
const TELEMETRY_METHODS = code(ALLOCATION_METHODS.filter((m) => m.label.startsWith('telemetry')).map((m) => String(m.code)).join(', '));
const TELEMETRY_SQL = loadSql(import.meta.url, 'telemetry-coverage.sql');

export async function tagCoverage(ledger: Ledger, o: RequestOf<'tag-coverage'>): Promise<Report> {
  const rows = await ledger.query(fill(TAG_SQL, {
    COST: code(costColumn(o.costBasis)), WHERE: inPeriod(code('ChargePeriodStart'), o.period),
    // the allocation's days of the period (allocationSql's filter), its cost column, and the telemetry methods
    ALLOC_COST: code(allocatedCostColumn(o.costBasis)), DAILY_WHERE: inPeriod(code('day'), o.period), TELEMETRY_METHODS: TELEMETRY_METHODS,
  }));
  return {
    name: 'tag-coverage',
    title: `Tag coverage (${o.costBasis} cost, ${o.period.label})`,
    meta: baseMeta(o),
    columns: [
      { key: 'tag', label: 'Tag', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'total_cost', label: 'Spend', kind: 'money' },
      { key: 'gross_cost', label: 'Gross', kind: 'money', secondary: true },
      { key: 'tagged_cost', label: 'Tagged', kind: 'money' },
      { key: 'tagged_pct', label: 'Coverage', kind: 'percent' },
      { key: 'attributed_by_telemetry', label: 'Via telemetry', kind: 'money' },
      { key: 'biggest_untagged', label: 'Biggest untagged resources', kind: 'text' },
    ],
    rows,
    notes: grossShareNote(rows.filter((r) => r.tag === 'feature'), (r) => String(r.currency), 'Coverage'),
  };
}

export async function telemetryCoverage(ledger: Ledger, o: RequestOf<'telemetry-coverage'>): Promise<Report> {
  const rows = await ledger.query(fill(TELEMETRY_SQL, {
    COST: code(allocatedCostColumn(o.costBasis)), METHOD: methodLabelSql('a.method_code'), WHERE: inPeriod(code('a.day'), o.period, 'DATE'),
  }));
  return {
    name: 'telemetry-coverage',
    title: `Telemetry coverage of AI token spend (${o.costBasis} cost, ${o.period.label})`,
    meta: baseMeta(o),
    columns: [
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'token_cost', label: 'Token spend', kind: 'money' },
      { key: 'explained_cost', label: 'Explained', kind: 'money' },
      { key: 'unexplained_cost', label: 'Unexplained', kind: 'money' },
      { key: 'coverage_pct', label: 'Coverage', kind: 'percent' },
      { key: 'days_without_telemetry', label: 'Days w/o telemetry', kind: 'int' },
      { key: 'missing_days', label: 'Missing days', kind: 'text' },
    ],
    rows,
  };
}
