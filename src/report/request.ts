/**
 * What a report is asked: one typed request per report (a discriminated union on `report`), built from
 * the command line's or the web API's parameters by the registry, once, with the same validation and
 * messages for both. Every request carries the period, the cost basis, the date it is judged against
 * and whether incomplete data may be reported.
 */
import type { CostBasis } from '../domain/cost-basis.js';
import type { Period } from '../domain/period.js';
import type { JsonValue } from '../store/db.js';
import type { Horizon } from './horizon.js';
import type { AnomalyDimension, Measure } from '../anomalies/series.js';

export interface RequestBase {
  period: Period;
  costBasis: CostBasis;
  /** YYYY-MM-DD: what recency and open periods are judged against. */
  today: string;
  allowIncomplete: boolean;
}

export type CostPerTokenBy = 'resource' | 'subscription' | 'region' | 'day';
export type ChargebackBy = 'team' | 'cost-center' | 'feature' | 'environment';
/** The allocation column each chargeback --by groups on. */
export const CHARGEBACK_KEYS: Record<ChargebackBy, string> = { team: 'team', 'cost-center': 'cost_center', feature: 'feature',
  environment: 'environment' };
export interface Scenario { responseLength: number; retries: number; model: string | null }

export type ReportRequest =
  | (RequestBase & { report: 'cost-per-token'; by: CostPerTokenBy[] })
  | (RequestBase & { report: 'meter-matrix' })
  | (RequestBase & { report: 'summary' })
  | (RequestBase & { report: 'token-kpis'; by: 'feature' | 'model' })
  | (RequestBase & { report: 'token-drift'; threshold: number; all: boolean })
  | (RequestBase & { report: 'tag-coverage' })
  | (RequestBase & { report: 'telemetry-coverage' })
  | (RequestBase & { report: 'unclassified' })
  | (RequestBase & { report: 'allocation'; by: string })
  | (RequestBase & { report: 'ingestions' })
  | (RequestBase & { report: 'unit-economics'; unit: string | null })
  | (RequestBase & { report: 'sensitivity'; unit: string | null; scenario: Scenario })
  | (RequestBase & { report: 'chargeback'; by: ChargebackBy })
  | (RequestBase & { report: 'reconcile'; month: string })
  | (RequestBase & { report: 'shared-costs' })
  | (RequestBase & { report: 'variance'; month: string; vs: string; unit: string | null })
  | (RequestBase & { report: 'quota' })
  | (RequestBase & { report: 'capacity-reservations' })
  | (RequestBase & { report: 'gpu'; idleThreshold: number; by: 'vm' | 'job' })
  | (RequestBase & { report: 'throughput' })
  | (RequestBase & { report: 'forecast'; horizon: Horizon; by: 'feature' | 'team' | 'model' | null;
    reconcile: boolean })
  | (RequestBase & { report: 'budgets'; month: string | null })
  | (RequestBase & { report: 'prices'; all: boolean })
  | (RequestBase & { report: 'ptu-plan'; model: string | null; deployment: string | null })
  | (RequestBase & { report: 'savings'; month: string | null })
  | (RequestBase & { report: 'estimate' })
  | (RequestBase & { report: 'anomalies'; dimension: AnomalyDimension; measure: Measure });

export type ReportName = ReportRequest['report'];
export type RequestOf<N extends ReportName> = Extract<ReportRequest, { report: N }>;

/** The meta fields every report's JSON starts with. */
export function baseMeta(r: { period: Period; costBasis: CostBasis }): Record<string, JsonValue> {
  return { cost_basis: r.costBasis, period: { from: r.period.from, to: r.period.to } };
}
