/**
 * report savings, batch candidates from the time profile: a feature nobody configured as deferrable whose
 * request-level telemetry looks like offline work is a Batch candidate, sized on the share of its tokens
 * that looks offline (the rest may be people waiting). The rule and its thresholds are assumptions, stated in
 * every row and overridable in tokenledger.yaml `savings.batch`; `savings.features.<f>.deferrable` (true or
 * false) always wins over the rule.
 *
 * 1. Read the month's profile per feature and model (savings-batch.sql), in the configured local time.
 * 2. Night: at least `min_share` of the tokens arrive outside business hours (Monday-Friday, [start, end)).
 * 3. Bursts: at least `min_share` of the tokens arrive in minutes with `burst_requests`+ requests, from a feature
 *    active in at most `max_active_hours` distinct hours per day it runs (no working-day pattern).
 * 4. Fewer than `min_requests` requests: no conclusion. Eligible share: the tokens the passing rules count
 *    (both: outside business hours or in a burst).
 */
import type { SavingsConfig } from '../config/savings.js';
import type { Period } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, sql } from '../store/sql.js';

const SQL = loadSql(import.meta.url, 'savings-batch.sql');

/** The rule's thresholds with their defaults. */
export function batchRule(cfg: SavingsConfig['batch'] = {}) {
  return {
    minShare: cfg.min_share ?? 0.8,
    hours: cfg.business_hours ?? [8, 20],
    zone: cfg.timezone ?? 'UTC',
    burst: cfg.burst_requests ?? 20,
    maxActiveHours: cfg.max_active_hours ?? 4,
    minRequests: cfg.min_requests ?? 50,
  };
}
export type BatchRule = ReturnType<typeof batchRule>;

/** A feature and model whose profile passes the rule. */
export interface BatchCandidate {
  requests: number;
  /** share of its tokens outside business hours, in bursts, and the eligible share */
  offHours: number;
  inBursts: number;
  share: number;
  hoursPerDay: number;
  night: boolean;
  bursts: boolean;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** 1-4: the batch candidates of the period, by `feature|model`. */
export async function batchCandidates(ledger: Ledger, period: Period, rule: BatchRule): Promise<Map<string, BatchCandidate>> {
  const rows = await ledger.query(
    fill(SQL, {
      ZONE: sql`${rule.zone}`,
      START: sql`${rule.hours[0]}`,
      END: sql`${rule.hours[1]}`,
      BURST: sql`${rule.burst}`,
      TEL_WHERE: inPeriod(code('minute'), period),
    }),
  );
  const out = new Map<string, BatchCandidate>();
  for (const r of rows) {
    const tokens = Number(r.tokens);
    const requests = Number(r.requests);
    if (requests < rule.minRequests || tokens <= 0) continue;
    const offHours = Number(r.off_hours) / tokens;
    const inBursts = Number(r.in_bursts) / tokens;
    const hoursPerDay = Number(r.hours_per_day);
    const night = offHours >= rule.minShare;
    const bursts = inBursts >= rule.minShare && hoursPerDay <= rule.maxActiveHours;
    if (!night && !bursts) continue;
    const share = night && bursts ? Number(r.offline) / tokens : night ? offHours : inBursts;
    out.set(`${String(r.feature)}|${String(r.model)}`, { requests, offHours, inBursts, share, hoursPerDay, night, bursts });
  }
  return out;
}

/** The measured numbers a detected row rests on. */
export function batchEvidence(c: BatchCandidate, rule: BatchRule): string {
  return `${Math.round(c.requests)} requests: ${pct(c.offHours)} of their tokens outside business hours ` +
    `(${hh(rule.hours[0])}-${hh(rule.hours[1])} Mon-Fri ${rule.zone}), ${pct(c.inBursts)} in bursts of ${rule.burst}+ ` +
    `requests a minute, active ${Math.round(c.hoursPerDay * 10) / 10} hours a day; Batch on ${pct(c.share)} of its`;
}

/** The rule in words, with the way to override it. */
export function batchAssumptions(feature: string, c: BatchCandidate, rule: BatchRule): string {
  const why = [c.night ? 'cluster outside business hours' : '', c.bursts ? 'arrive in bulk bursts with no working-day pattern' : '']
    .filter(Boolean)
    .join(' and ');
  return `detected, not configured: its requests ${why}, so that share can wait up to 24 hours (Batch API target turnaround); ` +
    `rule: ${pct(rule.minShare)}+ of tokens outside business hours, or in bursts of ${rule.burst}+ requests a minute from a feature ` +
    `active at most ${rule.maxActiveHours} hours a day, ${rule.minRequests}+ requests (savings.batch); ` +
    `set savings.features.${feature}.deferrable: false if people wait for it`;
}
