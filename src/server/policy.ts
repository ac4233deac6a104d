/**
 * What each role may open. `finance` sees every report and explain; `admin` also the configuration and
 * the access log. A `viewer` (usually scoped to teams or features) sees the reports whose every figure
 * the Ledger's scope cuts to its share: not the ingestion log (file paths of the whole company), the
 * meter catalogue, unclassified meters, coverage and drift (they are about the whole company's
 * untagged and unallocated cost) or the invoice reconciliation (the company's invoice and unallocated
 * detail). Anything not listed is denied (403).
 */
import type { Role } from '../config/access.js';
import type { ReportName } from '../report/request.js';

export const VIEWER_REPORTS: ReadonlySet<ReportName> = new Set<ReportName>([
  'summary', 'cost-per-token', 'allocation', 'token-kpis', 'unit-economics', 'sensitivity', 'chargeback', 'variance',
]);

export const EXPLAIN_KINDS = ['allocation', 'cost-per-token', 'unit-cost'] as const;

export function mayReport(role: Role, name: ReportName): boolean {
  return role !== 'viewer' || VIEWER_REPORTS.has(name);
}

/** Every role may explain what it may see: the explain reads through the same scoped Ledger. */
export function mayExplain(_role: Role): boolean {
  return true;
}

/** Labelling anomalies (the dashboard's buttons): finance and admin. */
export function mayLabel(role: Role): boolean {
  return role === 'finance' || role === 'admin';
}

export function mayAdminister(role: Role): boolean {
  return role === 'admin';
}
