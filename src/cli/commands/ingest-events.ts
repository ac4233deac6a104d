/** `tokenledger ingest events <path...>`: business events into the store, exactly once. */
import { resolve } from 'node:path';
import { ingestEvents, type EventsOutcome } from '../../ingest/events/ingest.js';
import type { Format } from '../../report/render.js';
import { withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { printOutcomes } from '../outcomes.js';

export async function runIngestEvents(paths: string[], o: GlobalOptions & { format: Format; quiet?: boolean },
  fx: Effects): Promise<EventsOutcome[]> {
  // events are not an input of the stored allocation (unit economics reads them directly), so it is
  // rebuilt only when an interrupted command left it stale
  return withWriter(o, fx, async (store, config) => {
    const outcomes = await ingestEvents(store, paths.map((p) => resolve(fx.cwd, p)),
      { ...(config.events ? { config: config.events } : {}),
        ...(config.ingest?.date_order ? { dateOrder: config.ingest.date_order } : {}) });
    printOutcomes({ name: 'ingest-events', title: `Events ingested into ${store.path}`, rowsLabel: 'Records', formatKey: 'format',
      formatLabel: 'Format', format: o.format, quiet: o.quiet }, outcomes, fx);
    return outcomes;
  });
}
