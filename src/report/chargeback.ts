/**
 * `report chargeback --by team|cost-center|feature|environment --month YYYY-MM`: showback per team with
 * its share of platform and overhead. The lines of each month add up to the month's charges; the note
 * under the table says so, checked against an independent sum over the billing rows.
 */
import { costColumn } from '../domain/cost-basis.js';
import { groupThousands, negateDecimal, roundDecimal, sumDecimals } from '../domain/decimal.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, join, sql } from '../store/sql.js';
import { exactSplitSql } from '../allocate/exact-split.js';
import { baseMeta, CHARGEBACK_KEYS, type RequestOf } from './request.js';
import type { Report } from './render.js';
import { SHARED, UNALLOCATED } from '../domain/allocation.js';
import { FIGURES } from '../domain/figures.js';
import { bridgeLines, figuresJson, grossShareNote, moneyText, unallocatedText, wrapNote } from './bridge.js';

const SQL = loadSql(import.meta.url, 'chargeback.sql');

/** Shared cost on a feature goes to its teams (environments, cost centers) in proportion to the feature's direct cost. */
const TEAM_SPLIT = exactSplitSql({
  pools: "SELECT month, currency, feature, cost_class, rule, sum(cost) AS cost FROM econ WHERE source = 'shared' GROUP BY ALL",
  weights: "SELECT month, currency, feature, team, environment, cost_center, CAST(sum(cost) AS DOUBLE) AS weight FROM econ WHERE source " +
    "= 'direct' GROUP BY ALL",
  by: ['month', 'currency', 'feature'], targets: ['team', 'environment', 'cost_center'], amounts: ['cost'],
});

export async function chargeback(ledger: Ledger, o: RequestOf<'chargeback'>): Promise<Report> {
  const by = o.by;
  const rows = await ledger.query(
    join([ledger.economics(o.period, o.costBasis), fill(SQL, { KEY: code(CHARGEBACK_KEYS[by]), TEAM_SPLIT: code(TEAM_SPLIT) })], '\n'));
  const totals = await ledger.query<{ month: string; currency: string; cost: string }>(
    sql`SELECT strftime(CAST(date_trunc('month', charge_day) AS DATE), '%Y-%m') AS month, BillingCurrency AS currency,
      sum(${code(costColumn(o.costBasis))}) AS cost FROM charges_daily WHERE ${inPeriod(code('charge_day'), o.period, 'DATE')}
      GROUP BY ALL ORDER BY ALL`);
  const notes = totals.map((t) => {
    const lines = rows.filter((r) => r.month === t.month && r.currency === t.currency).map((r) => String(r.total));
    const sum = sumDecimals(lines.length ? lines : ['0']);
    const ok = sum === sumDecimals([t.cost]);
    return `${t.month} ${t.currency}: lines add up to ${groupThousands(roundDecimal(sum, 2))}; charges of the ` +
      `month ${groupThousands(roundDecimal(t.cost, 2))}${ok ? ' (equal to the last digit)' : ' (MISMATCH: please report this)'}`;
  });
  // what __unallocated__ and __shared__ are here, from the month's figures, and the bridge to the invoice
  const figures = await ledger.figures(o.period, o.costBasis);
  const keyNotes = figures.flatMap((f): string[] => {
    const line = (k: string) => rows.find((r) => r.month === f.month && r.currency === f.currency && r.key === k);
    const unallocated = line(UNALLOCATED);
    const noKey = unallocated ? sumDecimals([String(unallocated.total), negateDecimal(f.unallocated)]) : '0';
    return wrapNote(
      `${f.month} ${f.currency}: ${UNALLOCATED} ${moneyText(unallocated ? String(unallocated.total) : '0')} = ${unallocatedText(f)}`
      + ` + cost of features without a ${by} ${moneyText(noKey)}; ${SHARED} ${moneyText(f.shared_unspread)} ` +
      `= ${FIGURES.shared_unspread.label}.`);
  });
  return {
    name: 'chargeback',
    title: `Chargeback by ${by} (${o.costBasis} cost, ${o.period.label})`,
    meta: { ...baseMeta(o), by, figures: figuresJson(figures) },
    columns: [
      { key: 'month', label: 'Month', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'key', label: by, kind: 'text' },
      { key: 'token', label: 'Token', kind: 'money' },
      { key: 'gpu', label: 'GPU', kind: 'money' },
      { key: 'platform', label: 'Platform', kind: 'money' },
      { key: 'overhead', label: 'Overhead', kind: 'money' },
      { key: 'other', label: 'Other', kind: 'money', secondary: true },
      { key: 'shared_platform', label: 'Shared platform', kind: 'money' },
      { key: 'shared_overhead', label: 'Shared overhead', kind: 'money' },
      { key: 'shared_other', label: 'Shared other', kind: 'money', secondary: true },
      { key: 'total', label: 'Total', kind: 'money' },
      { key: 'share_pct', label: 'Share', kind: 'percent' },
    ],
    rows,
    notes: [...notes, ...grossShareNote(rows, (r) => `${String(r.month)} ${String(r.currency)}`, 'Share'), ...keyNotes, '',
      ...bridgeLines(figures)],
  };
}

