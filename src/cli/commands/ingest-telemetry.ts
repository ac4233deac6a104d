/** `tokenledger ingest telemetry <path...>`: token telemetry into the store, exactly once. */
import { relative, resolve } from 'node:path';
import { parseFormat } from '../../ingest/telemetry/detect.js';
import { ingestTelemetry, type TelemetryOutcome } from '../../ingest/telemetry/ingest.js';
import type { Format } from '../../report/render.js';
import { printOutcomes } from '../outcomes.js';
import { createProgress } from '../progress.js';
import type { TelemetryConfig } from '../../config/config.js';
import type { DateOrder } from '../../ingest/common/timestamps.js';
import { withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';

export async function runIngestTelemetry(
  paths: string[],
  o: GlobalOptions & { telemetryFormat?: string; format: Format; quiet?: boolean; mapping?: TelemetryConfig; allocate?: boolean;
    skipUnusable?: boolean; skipDuplicateIds?: boolean; dateOrder?: DateOrder },
  fx: Effects,
): Promise<TelemetryOutcome[]> {
  const format = parseFormat(o.telemetryFormat ?? 'auto');
  return withWriter(o, fx, async (store, config) => {
    // resources mapped by the caller (the demo) come before those of tokenledger.yaml
    const resources = [...(o.mapping?.resources ?? []), ...(config.telemetry?.resources ?? [])];
    const mapping: TelemetryConfig | undefined = config.telemetry || o.mapping
      ? { ...config.telemetry, ...(resources.length ? { resources } : {}) } : undefined;
    const bar = createProgress('ingest', o.quiet === true, fx);
    const dateOrder = o.dateOrder ?? config.ingest?.date_order;
    const skipDuplicateIds = o.skipDuplicateIds === true || config.ingest?.telemetry?.skip_duplicate_ids === true;
    let outcomes: TelemetryOutcome[];
    try {
      outcomes = await ingestTelemetry(store, paths.map((p) => resolve(fx.cwd, p)),
        { format, ...(mapping ? { mapping } : {}), skipUnusable: o.skipUnusable === true, skipDuplicateIds,
          ...(dateOrder ? { dateOrder } : {}),
          onProgress: (f, records) => bar.update(f, records) });
    } finally {
      bar.stop();
    }
    printOutcomes({ name: 'ingest-telemetry', title: `Telemetry ingested into ${store.path}`, rowsLabel: 'Records', formatKey: 'format',
      formatLabel: 'Format', format: o.format, quiet: o.quiet }, outcomes, fx);
    printSkipped(outcomes, fx);
    printDuplicates(outcomes, fx);
    return outcomes;
  }, { allocate: o.allocate !== false });
}

/** Skipped lines shown on a terminal; all of them are in the store (telemetry_skipped_records) and the JSON outcome. */
const SHOWN = 50;

/** --skip-unusable: each file's skipped records by line and reason, on stderr (the summary table stays on stdout). */
function printSkipped(outcomes: TelemetryOutcome[], fx: Effects): void {
  for (const o of outcomes) {
    if (!o.skippedCount || !o.skipped) continue;
    const lines = o.skipped.slice(0, SHOWN).map((s) => `  ${relative(fx.cwd, o.source) || o.source}:${s.line}: ${s.reason}\n`);
    const more = o.skippedCount - Math.min(SHOWN, o.skipped.length);
    fx.stderr(`skipped ${o.skippedCount} unusable record(s) of ${o.source}:\n${lines.join('')}` +
      (more > 0 ? `  ... and ${more} more (kept in the store: telemetry_skipped_records)\n` : ''));
  }
}

/** Records another file already gave (by request id), on stderr: kept and counted twice, or left out. */
function printDuplicates(outcomes: TelemetryOutcome[], fx: Effects): void {
  const name = (f: string) => relative(fx.cwd, f) || f;
  for (const o of outcomes) {
    const d = o.duplicates;
    if (!d?.total) continue;
    const where = d.files.map((f) => `${name(f.file)} (${f.records})`).join(', ');
    fx.stderr(d.skipped
      ? `${name(o.source)}: left out ${d.total} record(s) whose request ids were already ingested from ${where}\n`
      : `warning: ${name(o.source)}: ${d.total} record(s) repeat request ids already ingested from ${where}; they are counted twice `
        + '(`tokenledger check` lists them; --skip-duplicate-ids leaves them out)\n');
  }
}
