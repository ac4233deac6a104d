/** `tokenledger report <name>`: one report through the application layer, printed in the asked format. */
import { resolveConfig, withLedger, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { answerReport, formatReport, prepareReport, type BaseParams } from '../../app/report.js';
import type { ReportParams } from '../../report/registry.js';
import type { Format } from '../../report/render.js';

export interface ReportCliOptions extends GlobalOptions, BaseParams, ReportParams {
  format: Format;
  /** Tables at full width even on a narrow terminal. */
  wide?: boolean;
  /** CSV without the spreadsheet formula guard. */
  rawCsv?: boolean;
}

/** Comma-separated --by values as a list (--by team,feature or --by team --by feature). */
export function byList(by: string[] | undefined): string[] | undefined {
  return by?.flatMap((b) => b.split(',')).map((b) => b.trim()).filter(Boolean);
}

export async function runReport(name: string, o: ReportCliOptions, fx: Effects): Promise<string> {
  const config = resolveConfig(o, fx);
  const request = prepareReport(config, name, { ...o, by: byList(o.by) }, fx);
  return withLedger(o, fx, async (ledger) => {
    const out = formatReport(await answerReport(ledger, request), o.format,
      { width: o.wide ? undefined : fx.columns, rawCsv: o.rawCsv });
    fx.stdout(out);
    return out;
  }, { config });
}
