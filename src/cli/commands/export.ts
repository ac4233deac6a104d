/** `tokenledger export ...`: files for finance and BI tools. */
import { exportModel } from '../../export/model.js';
import { buildCfoPack } from '../../export/cfo-pack.js';
import { writeCfoHtml } from '../../export/cfo-html.js';
import { writeCfoXlsx } from '../../export/cfo-xlsx.js';
import { TokenledgerError, UsageError } from '../../domain/errors.js';
import { parsePeriod } from '../../domain/period.js';
import { withStore, type GlobalOptions } from '../context.js';

export async function runExportModel(o: GlobalOptions & { out: string }): Promise<void> {
  await withStore(o, async (store, config) => {
    const economics = { units: config.units, events: config.events, cost_classes: config.cost_classes, sharing: config.sharing };
    const written = await exportModel(store, o.out, { economics });
    for (const w of written) process.stdout.write(`${w.table.padEnd(17)} ${String(w.rows).padStart(10)} rows\n`);
    process.stdout.write(`wrote ${o.out}/parquet, ${o.out}/csv and ${o.out}/README.md\n`);
  });
}

export async function runExportCfoPack(o: GlobalOptions & { month: string; out?: string; html?: string; allowIncomplete?: boolean; today?: string }): Promise<void> {
  if (!o.out && !o.html) throw new UsageError('export cfo-pack needs --out pack.xlsx and/or --html pack.html');
  parsePeriod({ month: o.month });
  const today = o.today ?? process.env.TOKENLEDGER_TODAY ?? new Date().toISOString().slice(0, 10);
  await withStore(o, async (store, config) => {
    const pack = await buildCfoPack(store, config, { month: o.month, today, allowIncomplete: Boolean(o.allowIncomplete) });
    try {
      if (o.out) await writeCfoXlsx(pack, o.out);
      if (o.html) writeCfoHtml(pack, o.html);
    } catch (e) {
      throw new TokenledgerError(`cannot write the CFO pack: ${(e as Error).message}`, { hint: 'Check that the folder of --out / --html exists and is writable.' });
    }
    process.stdout.write(`${pack.title}\n${pack.status}\ninvoice totals: ${pack.invoices.map((i) => `${i.invoice} ${i.total} ${i.currency}`).join('; ')}\n`
      + `${[o.out, o.html].filter(Boolean).map((f) => `wrote ${f}`).join('\n')}\n`);
  });
}
