/** `tokenledger ingest capacity <path...>`: quota, capacity and utilization snapshots into the store, exactly once. */
import { resolve } from 'node:path';
import { ingestCapacity, type CapacityOutcome } from '../../ingest/capacity/ingest.js';
import type { Format } from '../../report/render.js';
import { withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { printOutcomes } from '../outcomes.js';

export interface IngestCapacityOptions extends GlobalOptions {
  format: Format; quiet?: boolean; asOf?: string; subscription?: string; region?: string; host?: string;
}

export async function runIngestCapacity(paths: string[], o: IngestCapacityOptions, fx: Effects): Promise<CapacityOutcome[]> {
  // snapshots are not an input of the stored allocation: it is rebuilt only when an interrupted command left it stale
  return withWriter(o, fx, async (store) => {
    const outcomes = await ingestCapacity(store, paths.map((p) => resolve(fx.cwd, p)), {
      ...(o.asOf ? { asOf: o.asOf } : {}), ...(o.subscription ? { subscription: o.subscription } : {}),
      ...(o.region ? { region: o.region } : {}), ...(o.host ? { host: o.host } : {}), clock: () => fx.now() });
    printOutcomes({ name: 'ingest-capacity', title: `Capacity snapshots ingested into ${store.path}`, rowsLabel: 'Records',
      formatKey: 'format', formatLabel: 'Format', format: o.format, quiet: o.quiet }, outcomes, fx);
    return outcomes;
  });
}
