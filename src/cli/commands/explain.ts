/** `tokenledger explain <what>`: one of the explain reports, printed in the asked format. */
import { UsageError } from '../../domain/errors.js';
import { EXPLAIN } from '../../report/explain.js';
import { parseCostBasis } from '../../report/options.js';
import { parsePeriod } from '../../domain/period.js';
import { render, type Format } from '../../report/render.js';
import { withStore, type GlobalOptions } from '../context.js';

export async function runExplain(what: string, o: GlobalOptions & { format: Format; month?: string; feature?: string; model?: string; tokenType?: string; unit?: string; cost?: string }): Promise<string> {
  const fn = EXPLAIN[what];
  if (!fn) throw new UsageError(`explain ${what}: expected one of ${Object.keys(EXPLAIN).join(', ')}`);
  const period = parsePeriod(o.month ? { month: o.month } : {});
  return withStore(o, async (store, config) => {
    const report = await fn(store, {
      period, costBasis: parseCostBasis(o.cost ?? config.reports?.cost), by: [],
      economics: { units: config.units, events: config.events, cost_classes: config.cost_classes, sharing: config.sharing },
      ...(o.feature ? { feature: o.feature } : {}), ...(o.model ? { model: o.model } : {}), ...(o.tokenType ? { tokenType: o.tokenType } : {}), ...(o.unit ? { unit: o.unit } : {}),
    });
    const out = render(report, o.format);
    process.stdout.write(out);
    return out;
  });
}
