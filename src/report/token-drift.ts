/**
 * `report token-drift`: billed tokens against telemetry tokens per (day, resource, model, token type),
 * flagged above a threshold (default 5%): missing telemetry, sampling, or a billing defect.
 */
import { costColumn } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'token-drift.sql');

export async function tokenDrift(ledger: Ledger, o: RequestOf<'token-drift'>): Promise<Report> {
  const threshold = o.threshold;
  const all = await ledger.query(fill(SQL, {
    COST: code(costColumn(o.costBasis)), WHERE: inPeriod(code('ChargePeriodStart'), o.period),
    TEL_WHERE: inPeriod(code('r.day'), o.period, 'DATE'),
    THRESHOLD: sql`CAST(${threshold} AS DOUBLE)`,
  }));
  const rows = o.all ? all : all.filter((r) => r.flag !== 'ok');
  const counts = all.reduce<Record<string, number>>((a, r) => ({ ...a, [String(r.flag)]: (a[String(r.flag)] ?? 0) + 1 }), {});
  return {
    name: 'token-drift',
    title: `Token drift, billed vs telemetry (threshold ${threshold}%, ${o.period.label})`,
    meta: { ...baseMeta(o), threshold_pct: threshold, counts },
    columns: [
      { key: 'day', label: 'Day', kind: 'text' },
      { key: 'resource_name', label: 'Resource', kind: 'text' },
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'token_type', label: 'Token type', kind: 'text' },
      { key: 'billed_tokens', label: 'Billed tokens', kind: 'int' },
      { key: 'telemetry_tokens', label: 'Telemetry tokens', kind: 'int' },
      { key: 'drift_pct', label: 'Drift', kind: 'percent' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'flag', label: 'Flag', kind: 'text' },
      { key: 'resource', label: 'Resource ID', kind: 'text', secondary: true },
    ],
    rows,
    notes: [`${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'nothing to compare'}${o.all ? ''
      : ' (ok rows hidden; --all shows them)'}`],
  };
}
