/**
 * `tokenledger reclassify`: re-apply the AI meter rules (built-in, plus `rules:` from tokenledger.yaml)
 * to the stored meters, so that new rules show in reports without waiting for the next export. Billing
 * rows are not touched: what they mean comes from their meter.
 */
import { classifyMeters } from '../../ingest/focus/classify-meters.js';
import { rebuildRollup } from '../../store/rollup.js';
import { loadRules } from '../../normalize/rules.js';
import { withWriter, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';

export async function runReclassify(o: GlobalOptions & { all?: boolean }, fx: Effects): Promise<number> {
  return withWriter(o, fx, async (store, config) => {
    const rules = loadRules(config.rules);
    const at = fx.now().toISOString().replace('T', ' ').replace('Z', '');
    const n = await store.transaction(async () => {
      if (o.all) await store.query("UPDATE meters SET rules_digest = ''");
      const keys = await classifyMeters(store, '', rules, at);
      // every row's tokens and classification come from its meter: the daily rollup is summed again
      if (keys.length || o.all) await rebuildRollup(store);
      return keys.length;
    });
    const [{ u }] = (await store.query<{ u: string }>('SELECT count(*) FILTER (WHERE unclassified) AS u FROM meters')) as [{ u: string }];
    fx.stdout(`re-classified ${n} meter(s); ${u} AI-looking meter(s) remain unclassified (tokenledger report unclassified)\n`);
    return n;
  });
}
