/**
 * Answers read once per read-only store. While a store is open read-only nothing can write its file (DuckDB
 * refuses a writer), so what was read from it stays true until it is closed: a report that asks the same thing
 * several times (budgets: the data status of each budget's period, the allocation's freshness per scoped ledger)
 * reads it once. A store open for writing is asked every time; a failed read is not kept.
 */
import type { Store } from './db.js';

export function oncePerReadOnlyStore<A, T>(read: (store: Store, arg: A) => Promise<T>, keyOf: (arg: A) => string = JSON.stringify):
  (store: Store, arg: A) => Promise<T> {
  const kept = new WeakMap<Store, Map<string, Promise<T>>>();
  return (store, arg) => {
    if (!store.readOnly) return read(store, arg);
    const answers = kept.get(store) ?? new Map<string, Promise<T>>();
    kept.set(store, answers);
    const key = keyOf(arg);
    const hit = answers.get(key);
    if (hit) return hit;
    const answer = read(store, arg);
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
    return answer;
  };
}
