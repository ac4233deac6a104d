/** `tokenledger allocate`: rebuild the stored allocation now, and say how long it took. */
import { refreshAllocation, withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';

export async function runAllocate(o: GlobalOptions & { force?: boolean }, fx: Effects): Promise<void> {
  await withWriter(o, fx, async (store) => {
    const r = await refreshAllocation(store, fx, Boolean(o.force));
    fx.stdout(r.rebuilt
      ? `allocation rebuilt: ${r.rows} allocation rows in ${r.seconds.toFixed(1)} s\n`
      : `allocation up to date (${r.rows} allocation rows); nothing to do\n`);
  }, { allocate: false });
}
