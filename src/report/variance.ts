/**
 * `report variance --month 2026-10 [--vs 2026-09]`: what changed in spend and why, per unit type and in
 * total: volume (more units), intensity (tokens per unit), rate (cost per token: price, model mix,
 * discounts), shared-cost changes, and the change outside any unit type. The parts add up to the change,
 * to the cent, in every row (variance.sql has the decomposition).
 */
import { economicsSql } from '../allocate/economics.js';
import { ensureAllocation } from '../allocate/materialize.js';
import { UsageError } from '../domain/errors.js';
import { literal, loadSql, type Store } from '../store/db.js';
import { addMonths } from '../domain/month.js';
import { baseMeta, fillSql, type ReportOptions } from './options.js';
import { parsePeriod } from '../domain/period.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'variance.sql');

export async function variance(store: Store, o: ReportOptions): Promise<Report> {
  if (!o.period.from || !o.period.to || !/^\d{4}-\d{2}$/.test(o.period.label)) throw new UsageError('report variance needs --month YYYY-MM (and optionally --vs YYYY-MM, default the month before)');
  const cur = o.period.label;
  const base = o.vs?.label ?? addMonths(cur, -1);
  if (base === cur) throw new UsageError('--vs must be another month than --month');
  await ensureAllocation(store);
  const [lo, hi] = base < cur ? [base, cur] : [cur, base];
  const span = parsePeriod({ from: `${lo}-01`, to: `${addMonths(hi, 1)}-01` });
  const unit = o.unit ? `unit IN (${literal(o.unit.toLowerCase())})` : 'true';
  const rows = await store.query(economicsSql({ ...o, period: span }) + fillSql(SQL, { BASE: `${base}-01`, CUR: `${cur}-01`, UNIT: unit }));
  return {
    name: 'variance',
    title: `Variance ${base} -> ${cur} (${o.costBasis} cost): volume, intensity, rate, shared`,
    meta: { ...baseMeta(o), month: cur, vs: base, unit: o.unit ?? null },
    columns: [
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'unit', label: 'Unit', kind: 'text' },
      { key: 'units_before', label: `Units ${base}`, kind: 'int' },
      { key: 'units_after', label: `Units ${cur}`, kind: 'int' },
      { key: 'tokens_per_unit_before', label: 'Tok/unit before', kind: 'int' },
      { key: 'tokens_per_unit_after', label: 'Tok/unit after', kind: 'int' },
      { key: 'cost_per_1m_before', label: '$/1M tok before', kind: 'rate' },
      { key: 'cost_per_1m_after', label: '$/1M tok after', kind: 'rate' },
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
    notes: [
      'Change = volume + intensity + rate + shared + outside units, to the cent, in every row.',
      'Volume: more or fewer units. Intensity: tokens per unit. Rate: cost per token (price, model mix, discounts) and, for cost not metered in tokens, cost per unit.',
    ],
  };
}
