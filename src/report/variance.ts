/**
 * `report variance --month 2026-10 [--vs 2026-09]`: what changed in spend and why, per unit type and in
 * total: volume (more units), intensity (tokens per unit), rate (cost per token: price, model mix,
 * discounts), shared-cost changes, and the change outside any unit type. The parts add up to the change,
 * to the cent, in every row (variance.sql has the decomposition).
 */
import { addMonths } from '../domain/month.js';
import { parsePeriod } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import type { CostBasis } from '../domain/cost-basis.js';
import { loadSql, type Row } from '../store/db.js';
import { code, fill, join, sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';


const SQL = loadSql(import.meta.url, 'variance.sql');

/** The variance engine: rows per currency and unit type (and TOTAL) of the change `base` -> `cur`, parts in DECIMAL cents. */
export async function varianceRows(ledger: Ledger, base: string, cur: string, costBasis: CostBasis,
  unitType: string | null): Promise<Row[]> {
  const [lo, hi] = base < cur ? [base, cur] : [cur, base];
  const span = parsePeriod({ from: `${lo}-01`, to: `${addMonths(hi, 1)}-01` });
  const unit = unitType ? sql`unit = ${unitType.toLowerCase()}` : code('true');
  return ledger.query(join([ledger.economics(span, costBasis), fill(SQL, {
    BASE: sql`CAST(${`${base}-01`} AS DATE)`, CUR: sql`CAST(${`${cur}-01`} AS DATE)`, UNIT: unit,
  })], '\n'));
}

export async function variance(ledger: Ledger, o: RequestOf<'variance'>): Promise<Report> {
  if (o.unit) await ledger.requireKnown('unit', o.unit, '--unit');
  const cur = o.month;
  const base = o.vs;
  // a month without charges is compared with zero: the table says so (its months, so a mistyped --vs shows).
  // The months are read from the allocation's daily rollup (every charge is allocated, unallocated included):
  // under a scope, charges_daily is rebuilt from every charge just to list them (seconds on a year of data)
  // (its days first: a year's few hundred formatted, not its half a million rows)
  const months = await ledger.query<{ month: string }>(sql`SELECT DISTINCT strftime(day, '%Y-%m') AS month
    FROM (SELECT DISTINCT day FROM alloc_daily) ORDER BY 1`);
  const empty = [base, cur].filter((m) => !months.some((x) => x.month === m)).map((m) => `${m} has no charges in the ledger ` +
    `(it has ${months.length ? months.map((x) => x.month).join(', ') : 'none'}): compared with zero.`);
  const rows = await varianceRows(ledger, base, cur, o.costBasis, o.unit);
  return {
    name: 'variance',
    title: `Variance ${base} -> ${cur} (${o.costBasis} cost): volume, intensity, rate, shared`,
    meta: { ...baseMeta(o), month: cur, vs: base, unit: o.unit },
    columns: [
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'unit', label: 'Unit', kind: 'text' },
      { key: 'units_before', label: `Units ${base}`, kind: 'int', secondary: true, group: 'units' },
      { key: 'units_after', label: `Units ${cur}`, kind: 'int', secondary: true, group: 'units' },
      { key: 'tokens_per_unit_before', label: 'Tok/unit before', kind: 'int', secondary: true, group: 'tpu' },
      { key: 'tokens_per_unit_after', label: 'Tok/unit after', kind: 'int', secondary: true, group: 'tpu' },
      { key: 'cost_per_1m_before', label: 'Cost/1M tok before', kind: 'rate', secondary: true, group: 'c1m' },
      { key: 'cost_per_1m_after', label: 'Cost/1M tok after', kind: 'rate', secondary: true, group: 'c1m' },
      { key: 'before', label: base, kind: 'money' },
      { key: 'after', label: cur, kind: 'money' },
      { key: 'change', label: 'Change', kind: 'money' },
      { key: 'volume', label: 'Volume', kind: 'money' },
      { key: 'intensity', label: 'Intensity', kind: 'money' },
      { key: 'rate', label: 'Rate', kind: 'money' },
      { key: 'shared', label: 'Shared', kind: 'money' },
      { key: 'outside', label: 'Outside units', kind: 'money' },
    ],
    rows,
    notes: [...empty,
      'Change = volume + intensity + rate + shared + outside units, to the cent, in every row.',
      'Volume: more or fewer units. Intensity: tokens per unit. Rate: cost per token (price, model mix, discounts) and, for cost not ' +
        'metered in tokens, cost per unit.',
    ],
  };
}
