/**
 * The driver plan CSV (plan-file.ts): a scenario table of good and bad files (every bad one names the
 * file, the physical line and the column), the merge with tokenledger.yaml `plan.units`, and fast-check
 * properties: any plan written as CSV (quoted or not, CRLF, blank lines, extra columns) reads back as
 * itself, and a bad units cell anywhere is reported at its own physical line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../domain/errors.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { PlanSchema } from './budgets.js';
import { loadConfig } from './config.js';
import { csvLineFields, loadPlan, parsePlanCsv, parsePlanRows } from './plan-file.js';

const F = 'plan.csv';
const located = (text: string) => {
  try {
    parsePlanRows(text, F);
  } catch (e) {
    if (e instanceof InputError) return { message: e.message, exit: e.exitCode, ...e.location };
    throw e;
  }
  return null;
};

describe('plan CSV', () => {
  it('reads month, unit, units (aliases, BOM, CRLF, blank lines, quotes, extra columns)', () => {
    expect(parsePlanCsv('month,unit,units\n2026-11,ticket,110000\n2026-12,ticket,120000\n2026-11,document,5.5\n', F)).toEqual({
      ticket: { '2026-11': 110000, '2026-12': 120000 }, document: { '2026-11': 5.5 } });
    expect(parsePlanCsv('\uFEFFNote,Planned Units,Unit_Type,Month\r\n\r\n"big, launch",200,"ticket",2027-01\r\n', F)).toEqual({
      ticket: { '2027-01': 200 } });
  });

  it.each([
    ['', 1, undefined, /empty plan/],
    ['month,unit\n2026-11,ticket\n', 1, undefined, /missing units/],
    ['month,unit,units\n2026-11,ticket,100\n2026-13,ticket,100\n', 3, 'month', /expected a month YYYY-MM, found "2026-13"/],
    ['month,unit,units\n\n2026-11,,100\n', 3, 'unit', /expected a unit type/],
    ['month,unit,units\n2026-11,ticket,1e5\n', 2, 'units', /expected a number of units .* found "1e5"/],
    ['month,unit,units\n2026-11,ticket,-3\n', 2, 'units', /found "-3"/],
    ['month,unit,units\n2026-11,ticket,"110,000"\n', 2, 'units', /no sign, exponent or thousands separator\), found "110,000"/],
    ['month,unit,units\n2026-11,ticket\n', 2, 'units', /missing: the line has 2 fields/],
    ['month,unit,units\n2026-11,"ticket,100\n', 2, undefined, /quoted field opened at character 9 is not closed/],
    ['month,unit,units\r\n2026-11,ticket,1\r\n\r\n2026-11,Ticket,2\r\n', 4, 'unit', /Ticket 2026-11 is planned twice \(also line 2\)/],
  ])('%j: line %i column %s', (text, line, column, message) => {
    const e = located(text)!;
    expect(e).toMatchObject({ file: F, line, exit: 2 });
    expect(e.column).toBe(column);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`${F}, line ${line}${column ? `, column ${column}` : ''}: `);
  });

  it('merges with plan.units of tokenledger.yaml; the same unit and month in both is refused at the file line', () => {
    const dir = tempDir('tl-plan-');
    const file = join(dir, 'plan.csv');
    writeFileSync(file, 'month,unit,units\n2026-12,ticket,120000\n2026-11,lead,40\n');
    const plan = loadPlan(PlanSchema.parse({ file, units: { Ticket: { '2026-11': 110000 } } }))!;
    expect(plan.units).toEqual({ Ticket: { '2026-11': 110000, '2026-12': 120000 }, lead: { '2026-11': 40 } });
    writeFileSync(file, 'month,unit,units\n2026-11,lead,40\n2026-11,ticket,1\n');
    expect(() => loadPlan(PlanSchema.parse({ file, units: { Ticket: { '2026-11': 110000 } } })))
      .toThrow(`${file}, line 3, column unit: ticket 2026-11 is planned both here and in tokenledger.yaml plan.units.Ticket`);
    expect(() => loadPlan(PlanSchema.parse({ file: join(dir, 'nope.csv') }))).toThrow(/nope.csv: cannot read the plan file.*ENOENT/);
    expect(loadPlan(undefined)).toBeNull();
    // tokenledger.yaml names the file relative to itself
    writeFileSync(join(dir, 'tokenledger.yaml'), 'plan:\n  file: plan.csv\n');
    expect(loadConfig(join(dir, 'tokenledger.yaml')).plan!.file).toBe(file);
  });

  const unit = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'b', 'Z', ' ', ',', '"', '-', 'é') })
    .filter((u) => u.trim() === u && u.trim() !== '');
  const month = fc.tuple(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }))
    .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
  const count = fc.oneof(fc.integer({ min: 0, max: 10 ** 12 }).map(String),
    fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999 })).map(([a, b]) => `${a}.${String(b).padStart(3, '0')}`));
  const rows = fc.uniqueArray(fc.record({ unit, month, count }), { maxLength: 20,
    selector: (r) => `${r.unit.toLowerCase()} ${r.month}` });
  const quote = (v: string, force: boolean) => (force || /[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

  it('property: any plan written as CSV reads back as itself, every row at its physical line', () => {
    fc.assert(fc.property(rows, fc.boolean(), fc.boolean(), fc.array(fc.boolean(), { maxLength: 25 }), (rs, crlf, force, blanks) => {
      const nl = crlf ? '\r\n' : '\n';
      const lines = ['note,month,unit,units'];
      const expected: { line: number; unit: string; month: string; units: number }[] = [];
      rs.forEach((r, i) => {
        if (blanks[i]) lines.push('');
        lines.push([quote('n', force), r.month, quote(r.unit, force), quote(r.count, force)].join(','));
        expected.push({ line: lines.length, unit: r.unit, month: r.month, units: Number(r.count) });
      });
      expect(parsePlanRows(lines.join(nl) + nl, F)).toEqual(expected);
    }));
  });

  it('property: a bad units cell is reported at its own line and column', () => {
    const bad = fc.constantFrom('', '-1', '1e3', '12,5', 'x', '1.2.3', '+4', '1_000');
    fc.assert(fc.property(rows.filter((r) => r.length > 0), fc.nat(), bad, (rs, k, b) => {
      const i = k % rs.length;
      const lines = ['month,unit,units',
        ...rs.map((r, j) => [r.month, quote(r.unit, false), quote(j === i ? b : r.count, false)].join(','))];
      expect(located(lines.join('\n'))).toMatchObject({ line: i + 2, column: 'units', exit: 2 });
    }));
  });

  it('fields: RFC 4180 quotes on one line', () => {
    expect(csvLineFields('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(csvLineFields('"ab"c')).toEqual({ badQuoteAt: 1 });
  });
});
