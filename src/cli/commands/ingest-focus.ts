/** `tokenledger ingest focus <path...>`: FOCUS billing exports into the ledger, exactly once. */
import { resolve } from 'node:path';
import { ingestFocus, type IngestOutcome } from '../../ingest/focus/ingest.js';
import type { DateOrder } from '../../ingest/common/timestamps.js';
import { loadRules } from '../../normalize/rules.js';
import type { Format } from '../../report/render.js';
import { printOutcomes } from '../outcomes.js';
import { createProgress } from '../progress.js';
import { withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';

export interface IngestFocusOptions extends GlobalOptions {
  scope?: string;
  /** --date-order: how ambiguous slash dates are read (else tokenledger.yaml ingest.date_order). */
  dateOrder?: DateOrder;
  quiet?: boolean;
  format: Format;
  /** false: leave the stored allocation for a later `tokenledger allocate` (--no-allocate). */
  allocate?: boolean;
}

export async function runIngestFocus(paths: string[], o: IngestFocusOptions, fx: Effects): Promise<IngestOutcome[]> {
  return withWriter(o, fx, async (store, config) => {
    const rules = loadRules(config.rules);
    const bar = createProgress('ingest', o.quiet === true, fx);
    if (bar.active) await store.enableProgress();
    let current = { doneBytes: 0, totalBytes: 1, currentBytes: 0, rows: 0 };
    const timer = setInterval(() => {
      const p = store.progress();
      const within = p.percentage > 0 ? (p.percentage / 100) * current.currentBytes : 0;
      const rowsNow = current.rows + (current.currentBytes > 0 && p.rowsProcessed > 0n ? Number(p.rowsProcessed) : 0);
      bar.update((current.doneBytes + within) / Math.max(1, current.totalBytes), rowsNow);
    }, 200);
    let outcomes: IngestOutcome[];
    try {
      const scope = o.scope ?? config.ingest?.focus?.scope;
      const dateOrder = o.dateOrder ?? config.ingest?.date_order;
      outcomes = await ingestFocus(store, paths.map((p) => resolve(fx.cwd, p)), {
        rules,
        ...(scope ? { scope } : {}),
        ...(dateOrder ? { dateOrder } : {}),
        onProgress: (p) => { current = p; },
      });
    } finally {
      clearInterval(timer);
      bar.stop();
    }
    printOutcomes({ name: 'ingest-focus', title: `Ingested into ${store.path}`, rowsLabel: 'Rows', formatKey: 'focus_version',
      formatLabel: 'FOCUS', format: o.format, quiet: o.quiet },
      outcomes.map((x) => ({ ...x, format: x.focusVersion ?? null })), fx);
    return outcomes;
  }, { allocate: o.allocate !== false });
}
