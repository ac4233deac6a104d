/**
 * `report reconcile --month YYYY-MM`: the invoice, line by line in total. For each invoice and currency of
 * the billing periods starting in the month, BilledCost = allocated + shared + unallocated to the last
 * digit (a difference column that must be 0), corrections of earlier periods apart, and the bridge to
 * EffectiveCost (purchases amortized, commitment usage, other). An open period is refused unless
 * --allow-incomplete, and the report then says DRAFT.
 */
import { costClassSql } from '../allocate/classes.js';
import { billingPeriods, statusOptions } from '../check/status.js';
import { groupThousands, roundDecimal, sumDecimals } from '../domain/decimal.js';
import { UsageError } from '../domain/errors.js';
import { addMonths } from '../domain/month.js';
import { parseMonth } from '../domain/period.js';
import { bridgeLines, figuresJson, wrapNote } from './bridge.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { fill, sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'reconcile.sql');

export async function reconcile(ledger: Ledger, o: RequestOf<'reconcile'>): Promise<Report> {
  const month = o.month;
  const { closeDays } = statusOptions(ledger.config, o.today);
  const open = [...new Set((await billingPeriods(ledger.store, { today: o.today, staleDays: 0, closeDays }))
    .filter((p) => p.period_start.startsWith(month) && !p.closed).map((p) => p.account))];
  if (open.length && !o.allowIncomplete) {
    throw new UsageError(
      `billing period ${month} is still open for ${open.join(', ')} (no invoice id yet and not ${closeDays} days past its end): an ` +
        `invoice cannot be reconciled before it is final`,
      'Run it again after the invoice, or add --allow-incomplete for a DRAFT.');
  }
  const rows = await ledger.query(fill(SQL, {
    FROM: sql`CAST(${`${month}-01`} AS TIMESTAMP)`, TO: sql`CAST(${`${addMonths(month, 1)}-01`} AS TIMESTAMP)`,
    CLASS: costClassSql(ledger.economicsConfig),
  }));
  const bad = rows.filter((r) => sumDecimals([String(r.difference)]) !== '0');
  const draft = open.length > 0;
  const figures = await ledger.figures(parseMonth('--month', month), ledger.defaultCostBasis);
  return {
    name: 'reconcile',
    title: `${draft ? 'DRAFT (period still open) ' : ''}Invoice reconciliation, billing period ${month} (BilledCost)`,
    meta: { ...baseMeta(o), month, draft, reconciled: bad.length === 0, figures: figuresJson(figures) },
    columns: [
      { key: 'invoice', label: 'Invoice', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'invoice_total', label: 'Invoice total', kind: 'money' },
      { key: 'allocated', label: 'Allocated', kind: 'money' },
      { key: 'shared', label: 'Shared', kind: 'money' },
      { key: 'unallocated', label: 'Unallocated', kind: 'money' },
      { key: 'difference', label: 'Difference', kind: 'money' },
      { key: 'corrections', label: 'Corrections', kind: 'money', secondary: true },
      { key: 'effective_total', label: 'Effective', kind: 'money' },
      { key: 'bridge_purchases', label: 'Bridge: purchases', kind: 'money' },
      { key: 'bridge_commitment_usage', label: 'Bridge: commitment use', kind: 'money', secondary: true },
      { key: 'bridge_other', label: 'Bridge: other', kind: 'money', secondary: true },
    ],
    rows,
    notes: [
      bad.length ? `MISMATCH on ${bad.length} invoice(s): please report this`
        : `Every invoice: total = allocated + shared + unallocated, to the last digit (${rows.length} invoice(s)).`,
      'Columns are BilledCost of the invoice\'s rows (billing period). Shared: platform and overhead no feature claims (spread by sharing',
      'rules in unit-economics). Corrections: rows of other charge periods on the invoice. Bridge: EffectiveCost - BilledCost.',
      ...rows.filter((r) => Number(r.correction_rows) > 0).map(
        (r) => `${r.invoice}: ${r.correction_rows} row(s) of other charge periods ` +
          `(corrections), ${groupThousands(roundDecimal(String(r.corrections), 2))} ${r.currency}, included in the total`),
      // the table is the invoice (BilledCost); the bridge below is the month's spend (EffectiveCost): say why they differ
      ...rows.filter((r) => Number(r.bridge_purchases ?? 0) !== 0).flatMap(
        (r) => wrapNote(`${r.invoice}: purchases of ${groupThousands(roundDecimal(String(r.bridge_purchases).replace(/^-/, ''), 2))} ` +
          `${r.currency} (reservations, provisioned throughput) are on the invoice with no feature, so unallocated here; on ` +
          'EffectiveCost, as in the bridge below and the other reports, they are amortized over the usage they cover and allocated.')),
      '',
      ...bridgeLines(figures),
    ],
  };
}
