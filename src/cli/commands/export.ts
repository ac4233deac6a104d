/** `tokenledger export ...`: files for finance and BI tools. */
import { exportModel } from '../../export/model.js';
import { withStore, type GlobalOptions } from '../context.js';

export async function runExportModel(o: GlobalOptions & { out: string }): Promise<void> {
  await withStore(o, async (store) => {
    const written = await exportModel(store, o.out);
    for (const w of written) process.stdout.write(`${w.table.padEnd(17)} ${String(w.rows).padStart(10)} rows\n`);
    process.stdout.write(`wrote ${o.out}/parquet, ${o.out}/csv and ${o.out}/README.md\n`);
  });
}
