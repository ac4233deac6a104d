/** `tokenledger report <name>`: run one report from the registry and print it in the asked format. */
import { UsageError } from '../../domain/errors.js';
import { meterMatrixTableColumns } from '../../report/meter-matrix.js';
import { parseCostBasis } from '../../report/options.js';
import { parsePeriod } from '../../report/period.js';
import { REPORTS } from '../../report/registry.js';
import { render, type Format } from '../../report/render.js';
import { withStore, type GlobalOptions } from '../context.js';

export interface ReportCliOptions extends GlobalOptions {
  format: Format;
  month?: string;
  from?: string;
  to?: string;
  cost?: string;
  by?: string[];
  threshold?: string;
  all?: boolean;
}

export async function runReport(name: string, o: ReportCliOptions): Promise<string> {
  const spec = REPORTS[name];
  if (!spec) throw new UsageError(`unknown report ${name}`, `Reports: ${Object.keys(REPORTS).join(', ')}`);
  const by = (o.by ?? []).flatMap((b) => b.split(',')).map((b) => b.trim()).filter(Boolean);
  if (by.length && !spec.by) throw new UsageError(`report ${name} does not take --by`);
  const period = parsePeriod({ ...(o.month ? { month: o.month } : {}), ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) });
  return withStore(o, async (store, config) => {
    const costBasis = parseCostBasis(o.cost ?? config.reports?.cost);
    let report = await spec.run(store, { period, costBasis, by, ...(o.threshold !== undefined ? { threshold: Number(o.threshold) } : {}), ...(o.all ? { all: true } : {}) });
    if (name === 'meter-matrix' && o.format === 'table') report = meterMatrixTableColumns(report);
    const out = render(report, o.format);
    process.stdout.write(out);
    return out;
  });
}
