/**
 * `report summary`: what each billing period cost, billed (the invoice) and effective (amortized), per
 * currency, and how much of it was AI.
 */
import { costColumn } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'summary.sql');

export async function summary(ledger: Ledger, o: RequestOf<'summary'>): Promise<Report> {
  const rows = await ledger.query(fill(SQL,
    { COST: code(costColumn(o.costBasis)), WHERE: inPeriod(code('BillingPeriodStart'), o.period) }));
  return {
    name: 'summary',
    title: `Spend by billing period (AI share on ${o.costBasis} cost, ${o.period.label})`,
    meta: baseMeta(o),
    columns: [
      { key: 'billing_period', label: 'Period', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'billed_cost', label: 'Invoice', kind: 'money' },
      { key: 'effective_cost', label: 'Effective', kind: 'money' },
      { key: 'ai_cost', label: 'AI cost', kind: 'money' },
      { key: 'token_cost', label: 'AI token cost', kind: 'money' },
      { key: 'unclassified_cost', label: 'Unclassified AI', kind: 'money' },
      { key: 'ai_share_pct', label: 'AI share', kind: 'percent' },
      { key: 'credits_billed', label: 'Credits', kind: 'money' },
      { key: 'corrections_billed', label: 'Corrections', kind: 'money' },
      { key: 'charge_rows', label: 'Rows', kind: 'int' },
    ],
    rows,
    notes: [
      `Per billing period, in each row's currency: Invoice = BilledCost (the invoice total), Effective = EffectiveCost of the same rows;`,
      `AI cost, AI token cost and unclassified AI cost on ${o.costBasis} cost. Corrections: rows of other charge periods on the invoice.`,
      'A month\'s spend counts charges by when they happened: report reconcile --month YYYY-MM shows the bridge to the invoice.',
    ],
  };
}
