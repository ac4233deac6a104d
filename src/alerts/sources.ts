/**
 * Where alert events come from: a list of sources, each a function of the ledger and the day judged.
 * Data freshness, budgets and open anomalies (anomaly-events.ts: one event per anomaly, its id from the
 * anomaly's own, so a window alerts once; labelled `no` or `planned`, it stops).
 */
import type { Config } from '../config/config.js';
import type { Ledger } from '../ledger/ledger.js';
import { anomalyEvents } from './anomaly-events.js';
import { budgetEvents } from './budget-events.js';
import type { AlertEvent } from './events.js';
import { freshnessEvents } from './freshness.js';

export interface AlertContext {
  ledger: Ledger;
  config: Config;
  /** YYYY-MM-DD: the day judged (--today). */
  today: string;
}

export type AlertSource = (ctx: AlertContext) => Promise<AlertEvent[]>;

export const ALERT_SOURCES: AlertSource[] = [freshnessEvents, budgetEvents, anomalyEvents];

/** Every source's events, in the order of ALERT_SOURCES. */
export async function collectEvents(ctx: AlertContext, sources: AlertSource[] = ALERT_SOURCES): Promise<AlertEvent[]> {
  const out: AlertEvent[] = [];
  for (const source of sources) out.push(...await source(ctx));
  return out;
}
