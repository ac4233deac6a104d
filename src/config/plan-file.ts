/**
 * The driver plan as a CSV (tokenledger.yaml `plan: { file: plan.csv }`), because finance keeps planned
 * volumes in a spreadsheet, not in YAML: one line per unit type and month,
 *
 *   month,unit,units
 *   2026-11,ticket,110000
 *
 * (`unit_type` and `planned_units` are accepted for the last two; other columns are ignored, so a notes
 * column may stay). Merged with `plan.units` of the YAML; a unit and month given twice, in the file or in
 * both places, is an error. Every problem is an InputError naming the file, the physical line and the
 * column (exit 2), read before anything is computed.
 *
 * 1. Lines split at \n (a \r before it dropped), a BOM dropped; blank lines skipped but counted.
 * 2. Fields per line with RFC 4180 quotes (no line breaks inside a field).
 * 3. The header names the columns (case and spaces ignored); each row is checked field by field.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../domain/errors.js';
import type { Plan } from './budgets.js';

export type PlanUnits = Plan['units'];

const ALIASES: Record<string, 'month' | 'unit' | 'units'> = {
  month: 'month', unit: 'unit', unit_type: 'unit', units: 'units', planned_units: 'units',
};

/** 2. The fields of one line, or the 1-based character where an unterminated quote starts. */
export function csvLineFields(line: string): string[] | { badQuoteAt: number } {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      const start = i;
      let cur = '';
      i++;
      for (;;) {
        if (i >= line.length) return { badQuoteAt: start + 1 };
        if (line[i] === '"' && line[i + 1] === '"') { cur += '"'; i += 2; continue; }
        if (line[i] === '"') { i++; break; }
        cur += line[i++];
      }
      if (i < line.length && line[i] !== ',') return { badQuoteAt: start + 1 };
      out.push(cur);
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

export interface PlanRow { unit: string; month: string; units: number; line: number }

/** Parse plan CSV text into its rows; `file` names it in errors. */
export function parsePlanRows(text: string, file: string): PlanRow[] {
  // 1. physical lines
  const lines = text.replace(/^\uFEFF/, '').split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const fieldsOf = (n: number): string[] => {
    const f = csvLineFields(lines[n - 1]!);
    if (!Array.isArray(f)) throw new InputError({ file, line: n }, `a quoted field opened at character ${f.badQuoteAt} is not closed`);
    return f;
  };
  const headerLine = lines.findIndex((l) => l.trim() !== '') + 1;
  if (headerLine === 0) throw new InputError({ file, line: 1 }, 'empty plan: expected a header month,unit,units');
  // 3. the header
  const header = fieldsOf(headerLine).map((h) => ALIASES[h.trim().toLowerCase().replace(/\s+/g, '_')] ?? null);
  const at = (k: 'month' | 'unit' | 'units') => header.indexOf(k);
  const missing = (['month', 'unit', 'units'] as const).filter((k) => at(k) < 0);
  if (missing.length) {
    throw new InputError({ file, line: headerLine }, `the header needs the columns month, unit (or unit_type) and units ` +
      `(or planned_units); missing ${missing.join(', ')}`);
  }
  const rows: PlanRow[] = [];
  const seen = new Map<string, number>();
  for (let n = headerLine + 1; n <= lines.length; n++) {
    if (lines[n - 1]!.trim() === '') continue;
    const f = fieldsOf(n);
    const cell = (k: 'month' | 'unit' | 'units') => {
      const v = f[at(k)];
      if (v === undefined) throw new InputError({ file, line: n, column: k }, `missing: the line has ${f.length} fields`);
      return v.trim();
    };
    const month = cell('month');
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new InputError({ file, line: n, column: 'month' }, `expected a month YYYY-MM, found ${JSON.stringify(month.slice(0, 40))}`);
    const unit = cell('unit');
    if (!unit) throw new InputError({ file, line: n, column: 'unit' }, 'expected a unit type such as ticket, found nothing');
    const count = cell('units');
    if (!/^\d{1,15}(\.\d{1,6})?$/.test(count)) {
      throw new InputError({ file, line: n, column: 'units' }, `expected a number of units such as 110000 (no sign, exponent or ` +
        `thousands separator), found ${JSON.stringify(count.slice(0, 40))}`);
    }
    const key = `${unit.toLowerCase()}\u0000${month}`;
    const before = seen.get(key);
    if (before !== undefined) {
      throw new InputError({ file, line: n, column: 'unit' }, `${unit} ${month} is planned twice (also line ${before})`);
    }
    seen.set(key, n);
    rows.push({ unit, month, units: Number(count), line: n });
  }
  return rows;
}

/** Parse plan CSV text as `plan.units`. */
export function parsePlanCsv(text: string, file: string): PlanUnits {
  const units: PlanUnits = {};
  for (const r of parsePlanRows(text, file)) (units[r.unit] ??= {})[r.month] = r.units;
  return units;
}

/** The plan the driver forecast uses: YAML `plan:` with its `file`'s rows merged in; null without a plan. */
export function loadPlan(plan: Plan | undefined): Plan | null {
  if (!plan) return null;
  if (!plan.file) return plan;
  let text: string;
  try {
    text = readFileSync(plan.file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new InputError({ file: plan.file }, `cannot read the plan file (tokenledger.yaml plan.file): ${why}`);
  }
  const units: PlanUnits = Object.fromEntries(Object.entries(plan.units).map(([u, m]) => [u, { ...m }]));
  const inYaml = (u: string, m: string) => Object.entries(plan.units).find(([k, ms]) => k.toLowerCase() === u.toLowerCase() &&
    ms[m] !== undefined)?.[0];
  for (const r of parsePlanRows(text, plan.file)) {
    const yamlKey = inYaml(r.unit, r.month);
    if (yamlKey !== undefined) {
      throw new InputError({ file: plan.file, line: r.line, column: 'unit' }, `${r.unit} ${r.month} is planned both here and in ` +
        `tokenledger.yaml plan.units.${yamlKey}: keep one`);
    }
    const key = Object.keys(units).find((u) => u.toLowerCase() === r.unit.toLowerCase()) ?? r.unit;
    (units[key] ??= {})[r.month] = r.units;
  }
  return { ...plan, units };
}
