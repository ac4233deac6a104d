/** `tokenledger export ...`: files for finance and BI tools. */
import { resolve } from 'node:path';
import { exportModel } from '../../export/model.js';
import { buildCfoPack } from '../../export/cfo-pack.js';
import { writeCfoHtml } from '../../export/cfo-html.js';
import { writeCfoXlsx } from '../../export/cfo-xlsx.js';
import { TokenledgerError, UsageError } from '../../domain/errors.js';
import { parseMonth, parseToday } from '../../domain/period.js';
import { withLedger, type GlobalOptions } from '../../app/context.js';
import { moneyText } from '../../report/bridge.js';
import type { Effects } from '../../app/effects.js';

export async function runExportModel(o: GlobalOptions & { out: string; rawCsv?: boolean }, fx: Effects): Promise<void> {
  await withLedger(o, fx, async (ledger) => {
    const written = await exportModel(ledger, resolve(fx.cwd, o.out), { rawCsv: Boolean(o.rawCsv) });
    for (const w of written) fx.stdout(`${w.table.padEnd(17)} ${String(w.rows).padStart(10)} rows\n`);
    fx.stdout(`wrote ${o.out}/parquet, ${o.out}/csv and ${o.out}/README.md\n`);
  });
}

export async function runExportCfoPack(
  o: GlobalOptions & { month: string; out?: string | undefined; html?: string | undefined; allowIncomplete?: boolean; today?: string },
  fx: Effects,
): Promise<void> {
  if (!o.out && !o.html) throw new UsageError('export cfo-pack needs --out pack.xlsx and/or --html pack.html');
  // a spreadsheet in pack.html (or a page in pack.xlsx) would overwrite the other file under the wrong name
  if (o.out && !/\.xlsx$/i.test(o.out)) {
    throw new UsageError(`--out ${o.out}: the spreadsheet is written as .xlsx`,
      'Name it pack.xlsx; the HTML pack goes to --html pack.html.');
  }
  if (o.html && !/\.html?$/i.test(o.html)) {
    throw new UsageError(`--html ${o.html}: the HTML pack is written as .html`,
      'Name it pack.html; the spreadsheet goes to --out pack.xlsx.');
  }
  parseMonth('--month', o.month);
  const today = parseToday(o.today, fx.env.TOKENLEDGER_TODAY, fx.now());
  await withLedger(o, fx, async (ledger) => {
    const pack = await buildCfoPack(ledger, { month: o.month, today, allowIncomplete: Boolean(o.allowIncomplete) });
    try {
      if (o.out) await writeCfoXlsx(pack, resolve(fx.cwd, o.out));
      if (o.html) writeCfoHtml(pack, resolve(fx.cwd, o.html));
    } catch (e) {
      throw new TokenledgerError(`cannot write the CFO pack: ${(e as Error).message}`,
        { hint: 'Check that the folder of --out / --html exists and is writable.' });
    }
    const totals = pack.invoices.map((i) => `${i.invoice} ${moneyText(i.total)} ${i.currency}`).join('; ');
    fx.stdout(`${pack.title}\n${pack.status}\ninvoice totals: ${totals}\n`
      + `${[o.out, o.html].filter(Boolean).map((f) => `wrote ${f}`).join('\n')}\n`);
  });
}
