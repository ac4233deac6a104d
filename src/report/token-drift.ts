/**
 * `report token-drift`: billed tokens against telemetry tokens per (day, resource, model, token type),
 * flagged above a threshold (default 5%): missing telemetry, sampling, or a billing defect. Consecutive days
 * with the same finding are one row, a run (token-drift.sql): telemetry sampled at 10% on 110 resources is
 * a few thousand findings a month, not 70,000 day rows; `meta.counts` counts runs, `meta.days` their days.
 * Telemetry of a resource billed only by the hour (a VM serving its own model) is `not-per-token`, not
 * `not-billed`: it is not a billing defect, and is shown with `--all` only.
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
  // within the threshold, or not comparable (a resource billed by the hour): shown with --all
  const rows = o.all ? all : all.filter((r) => r.flag !== 'ok' && r.flag !== 'not-per-token');
  const counts: Record<string, number> = {};
  const days: Record<string, number> = {};
  for (const r of all) {
    const flag = String(r.flag);
    counts[flag] = (counts[flag] ?? 0) + 1;
    days[flag] = (days[flag] ?? 0) + Number(r.days);
  }
  return {
    name: 'token-drift',
    title: `Token drift, tokens billed vs tokens in telemetry (threshold ${threshold}%, ${o.period.label})`,
    meta: { ...baseMeta(o), threshold_pct: threshold, counts, days },
    columns: [
      { key: 'first_day', label: 'From', kind: 'text' },
      { key: 'last_day', label: 'To', kind: 'text' },
      { key: 'days', label: 'Days', kind: 'int', secondary: true },
      { key: 'resource_name', label: 'Resource', kind: 'text' },
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'token_type', label: 'Token type', kind: 'text' },
      { key: 'billed_tokens', label: 'Billed', kind: 'int' },
      { key: 'telemetry_tokens', label: 'Telemetry', kind: 'int' },
      { key: 'drift_pct', label: 'Drift', kind: 'percent' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'flag', label: 'Flag', kind: 'text' },
      { key: 'resource', label: 'Resource ID', kind: 'text', secondary: true },
    ],
    rows,
    notes: [`${Object.entries(counts).map(([k, v]) => `${v} ${k} (${days[k]} day${days[k] === 1 ? '' : 's'})`).join(', ')
      || 'nothing to compare'}${o.all ? '' : ` (${counts['not-per-token'] ? 'ok, not-per-token' : 'ok rows'} hidden; --all shows them)`}`,
    ...(counts['not-per-token'] ? ['not-per-token: telemetry of a resource billed only by the hour (a VM serving its own model)'] : []),
    'a row is a run of consecutive days with the same finding: its tokens and cost are the run\'s sums'],
  };
}
