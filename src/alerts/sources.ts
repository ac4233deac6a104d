/**
 * Where alert events come from: a list of sources, each a function of the ledger and the day judged.
 * Budgets and data freshness are here; open anomalies plug in by adding their source to ALERT_SOURCES
 * (an `AlertSource` returning one event per anomaly, kind 'anomaly', its id from the anomaly's id and
 * window start so a labelled or re-alerted window is the same event).
 */
import type { Config } from '../config/config.js';
import type { Ledger } from '../ledger/ledger.js';
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

export const ALERT_SOURCES: AlertSource[] = [freshnessEvents, budgetEvents];

/** Every source's events, in the order of ALERT_SOURCES. */
export async function collectEvents(ctx: AlertContext, sources: AlertSource[] = ALERT_SOURCES): Promise<AlertEvent[]> {
  const out: AlertEvent[] = [];
  for (const source of sources) out.push(...await source(ctx));
  return out;
}
