/** `tokenledger explain <what>`: one of the explain reports, printed in the asked format. */
import { resolveConfig, withLedger, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { requestBase, type BaseParams } from '../../app/report.js';
import { explainRequest, runExplainRequest } from '../../report/explain.js';
import { render, type Format } from '../../report/render.js';

export interface ExplainCliOptions extends GlobalOptions, BaseParams {
  format: Format;
  feature?: string;
  model?: string;
  tokenType?: string;
  unit?: string;
  /** CSV without the spreadsheet formula guard. */
  rawCsv?: boolean;
}

export async function runExplain(what: string, o: ExplainCliOptions, fx: Effects): Promise<string> {
  const config = resolveConfig(o, fx);
  const request = explainRequest(what, requestBase(config, o, fx), o);
  return withLedger(o, fx, async (ledger) => {
    const out = render(await runExplainRequest(ledger, request), o.format, { rawCsv: o.rawCsv, width: fx.columns });
    fx.stdout(out);
    return out;
  }, { config });
}
