/** `tokenledger ingest events <path...>`: business events into the store, exactly once. */
import { ingestEvents, type EventsOutcome } from '../../ingest/events/ingest.js';
import type { Format } from '../../report/render.js';
import { withStore, type GlobalOptions } from '../context.js';
import { printOutcomes } from '../outcomes.js';

export async function runIngestEvents(paths: string[], o: GlobalOptions & { format: Format; quiet?: boolean }): Promise<EventsOutcome[]> {
  return withStore(o, async (store, config) => {
    const outcomes = await ingestEvents(store, paths, config.events ? { config: config.events } : {});
    printOutcomes({ name: 'ingest-events', title: `Events ingested into ${store.path}`, rowsLabel: 'Records', formatKey: 'format', formatLabel: 'Format', format: o.format, quiet: o.quiet }, outcomes);
    return outcomes;
  });
}
