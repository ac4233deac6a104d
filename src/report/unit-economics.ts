/**
 * `report unit-economics [--unit ticket] [--month YYYY-MM]`: what one ticket, document or lead costs,
 * per month: units and successful units, tokens per unit, cost per unit by class (token, GPU, platform,
 * overhead), cost per unit and per successful unit. Notes say what is left out (features in no unit type,
 * shared cost no rule spread, unallocated cost), so nothing is hidden.
 */
import { groupThousands, roundDecimal, sumDecimals } from '../domain/decimal.js';
import { FIGURES } from '../domain/figures.js';
import { figuresJson, moneyText, unallocatedText, wrapNote } from './bridge.js';
import type { CostBasis } from '../domain/cost-basis.js';
import type { Period } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, join, sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'unit-economics.sql');
const NOTES = loadSql(import.meta.url, 'economics-notes.sql');

/** Notes on what the unit figures leave out, one line per month, currency and kind. */
export async function leftOutNotes(ledger: Ledger, o: { period: Period; costBasis: CostBasis }): Promise<string[]> {
  const rows = await ledger.query<{ month: string; currency: string; what: string; detail: string | null; cost: string }>(
    join([ledger.economics(o.period, o.costBasis), code(NOTES)], '\n'));
  return rows.map(
    (r) => `${r.month} ${r.currency}: ${r.what}: ${groupThousands(roundDecimal(r.cost, 2))}${r.detail ? ` (${r.detail})` : ''}`);
}

export async function unitEconomics(ledger: Ledger, o: RequestOf<'unit-economics'>): Promise<Report> {
  if (o.unit) await ledger.requireKnown('unit', o.unit, '--unit');
  const unit = o.unit ? sql`unit = ${o.unit.toLowerCase()}` : code('true');
  const rows = await ledger.query(join([ledger.economics(o.period, o.costBasis), fill(SQL, { UNIT: unit })], '\n'));
  const notes = await leftOutNotes(ledger, o);
  const figures = await ledger.figures(o.period, o.costBasis);
  const bridge = o.unit ? [] : figures.flatMap((f) => {
    const inUnits = sumDecimals(['0',
      ...rows.filter((r) => r.month === f.month && r.currency === f.currency).map((r) => String(r.total_cost ?? 0))]);
    const ok = sumDecimals([inUnits, f.no_unit_type, f.shared_unspread, f.unallocated]) === sumDecimals([f.spend]);
    return wrapNote(
      `${f.month} ${f.currency}: spend ${moneyText(f.spend)} = in the unit types above ${moneyText(inUnits)} ` +
        `+ ${FIGURES.no_unit_type.label} ${moneyText(f.no_unit_type)}`
      + ` + ${FIGURES.shared_unspread.label} ${moneyText(f.shared_unspread)} + ${unallocatedText(f)}${ok ? ''
        : ' (MISMATCH: please report this)'}`);
  });
  return {
    name: 'unit-economics',
    title: `Unit economics (${o.costBasis} cost, ${o.period.label}${o.unit ? `, unit ${o.unit}` : ''})`,
    meta: { ...baseMeta(o), unit: o.unit ?? null, figures: figuresJson(figures) },
    columns: [
      { key: 'month', label: 'Month', kind: 'text' },
      { key: 'unit', label: 'Unit', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'units', label: 'Units', kind: 'int' },
      { key: 'ok_units', label: 'Successful', kind: 'int' },
      { key: 'success_pct', label: 'Success', kind: 'percent' },
      { key: 'input_tokens_per_unit', label: 'In tok/unit', kind: 'int', secondary: true },
      { key: 'output_tokens_per_unit', label: 'Out tok/unit', kind: 'int', secondary: true },
      { key: 'output_tokens_per_event', label: 'Out tok/event', kind: 'int', secondary: true },
      { key: 'token_per_unit', label: 'Token/unit', kind: 'rate' },
      { key: 'gpu_per_unit', label: 'GPU/unit', kind: 'rate', secondary: true },
      { key: 'platform_per_unit', label: 'Platform/unit', kind: 'rate', secondary: true },
      { key: 'overhead_per_unit', label: 'Overhead/unit', kind: 'rate', secondary: true },
      { key: 'other_per_unit', label: 'Other/unit', kind: 'rate', secondary: true },
      { key: 'cost_per_unit', label: 'Cost/unit', kind: 'rate' },
      { key: 'cost_per_success', label: 'Cost/success', kind: 'rate' },
      { key: 'total_cost', label: 'Total', kind: 'money' },
      { key: 'shared_cost', label: 'of it shared', kind: 'money' },
    ],
    rows,
    notes: [...(notes.length ? ['Not in any unit\'s cost:', ...notes.map((n) => `  ${n}`)] : []), ...bridge],
  };
}
