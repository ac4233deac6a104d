/** `tokenledger allocate`: rebuild the stored allocation now, and say how long it took. */
import { ensureAllocation } from '../../allocate/materialize.js';
import { withStore, type GlobalOptions } from '../context.js';

export async function runAllocate(o: GlobalOptions & { force?: boolean }): Promise<void> {
  await withStore(o, async (store) => {
    const r = await ensureAllocation(store, { force: Boolean(o.force) });
    process.stdout.write(r.rebuilt
      ? `allocation rebuilt: ${r.rows} allocation rows in ${r.seconds.toFixed(1)} s\n`
      : `allocation up to date (${r.rows} allocation rows); nothing to do\n`);
  });
}
