/** `tokenledger ingest capacity <path...>`: quota, capacity and utilization snapshots into the store, exactly once. */
import { resolve } from 'node:path';
import { ingestCapacity, type CapacityOutcome } from '../../ingest/capacity/ingest.js';
import { gpuJobMapper } from '../../config/capacity.js';
import type { Format } from '../../report/render.js';
import { withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { printOutcomes } from '../outcomes.js';

export interface IngestCapacityOptions extends GlobalOptions {
  format: Format; quiet?: boolean; asOf?: string; subscription?: string; region?: string; host?: string;
}

export async function runIngestCapacity(paths: string[], o: IngestCapacityOptions, fx: Effects): Promise<CapacityOutcome[]> {
  // GPU samples are an input of the stored allocation (GPU-seconds): withWriter rebuilds it when they changed
  return withWriter(o, fx, async (store, config) => {
    const outcomes = await ingestCapacity(store, paths.map((p) => resolve(fx.cwd, p)), {
      ...(o.asOf ? { asOf: o.asOf } : {}), ...(o.subscription ? { subscription: o.subscription } : {}),
      ...(o.region ? { region: o.region } : {}), ...(o.host ? { host: o.host } : {}),
      mapJob: gpuJobMapper(config.capacity?.jobs), clock: () => fx.now() });
    printOutcomes({ name: 'ingest-capacity', title: `Capacity snapshots ingested into ${store.path}`, rowsLabel: 'Records',
      formatKey: 'format', formatLabel: 'Format', format: o.format, quiet: o.quiet }, outcomes, fx);
    return outcomes;
  });
}
