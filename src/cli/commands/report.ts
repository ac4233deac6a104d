/** `tokenledger report <name>`: run one report from the registry and print it in the asked format. */
import { UsageError } from '../../domain/errors.js';
import { meterMatrixTableColumns } from '../../report/meter-matrix.js';
import { parseCostBasis } from '../../report/options.js';
import { parsePeriod } from '../../domain/period.js';
import { REPORTS } from '../../report/registry.js';
import { render, type Format } from '../../report/render.js';
import { withStore, type GlobalOptions } from '../context.js';
import { dataStatus, gate, statusOptions } from '../../check/status.js';

export interface ReportCliOptions extends GlobalOptions {
  format: Format;
  month?: string;
  from?: string;
  to?: string;
  cost?: string;
  by?: string[];
  threshold?: string;
  all?: boolean;
  unit?: string;
  vs?: string;
  responseLength?: string;
  retries?: string;
  model?: string;
  allowIncomplete?: boolean;
  today?: string;
}

/** "+20%", "-5%", "20" -> 0.2, -0.05, 0.2. */
export function parsePercent(flag: string, v: string | undefined): number {
  if (v === undefined) return 0;
  const m = /^\s*([+-]?\d+(\.\d+)?)\s*%?\s*$/.exec(v);
  if (!m) throw new UsageError(`${flag} ${v}: expected a percentage such as +20% or -10%`);
  const x = Number(m[1]) / 100;
  if (x <= -1) throw new UsageError(`${flag} ${v}: must be more than -100%`);
  return x;
}

export async function runReport(name: string, o: ReportCliOptions): Promise<string> {
  const spec = REPORTS[name];
  if (!spec) throw new UsageError(`unknown report ${name}`, `Reports: ${Object.keys(REPORTS).join(', ')}`);
  const by = (o.by ?? []).flatMap((b) => b.split(',')).map((b) => b.trim()).filter(Boolean);
  if (by.length && !spec.by) throw new UsageError(`report ${name} does not take --by`);
  const period = parsePeriod({ ...(o.month ? { month: o.month } : {}), ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) });
  return withStore(o, async (store, config) => {
    const costBasis = parseCostBasis(o.cost ?? config.reports?.cost);
    // the data status line, and the gate: gaps, stale or mixed-currency data refuse unless --allow-incomplete
    const today = o.today ?? process.env.TOKENLEDGER_TODAY ?? new Date().toISOString().slice(0, 10);
    const status = name === 'ingestions' ? null : await dataStatus(store, period, statusOptions(config, today));
    const statusLines = status ? gate(status, Boolean(o.allowIncomplete)) : [];
    const economics = { units: config.units, events: config.events, cost_classes: config.cost_classes, sharing: config.sharing };
    let report = await spec.run(store, {
      period, costBasis, by, economics,
      ...(o.threshold !== undefined ? { threshold: Number(o.threshold) } : {}), ...(o.all ? { all: true } : {}),
      ...(o.unit ? { unit: o.unit } : {}),
      ...(o.allowIncomplete ? { allowIncomplete: true } : {}), closeDays: statusOptions(config, today).closeDays, ...(o.today ?? process.env.TOKENLEDGER_TODAY ? { today: o.today ?? process.env.TOKENLEDGER_TODAY } : {}),
      ...(o.vs ? { vs: parsePeriod({ month: o.vs }) } : {}),
      scenario: { responseLength: parsePercent('--response-length', o.responseLength), retries: parsePercent('--retries', o.retries), ...(o.model ? { model: o.model } : {}) },
    });
    if (name === 'meter-matrix' && o.format === 'table') report = meterMatrixTableColumns(report);
    if (status) {
      report = { ...report, meta: { ...report.meta, data_status: { line: status.line, complete_through: status.complete_through, open_periods: status.open_periods, problems: status.problems, allow_incomplete: Boolean(o.allowIncomplete) } }, notes: [...statusLines, ...(report.notes ?? [])] };
    }
    const out = render(report, o.format);
    process.stdout.write(out);
    return out;
  });
}
