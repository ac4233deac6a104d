/**
 * Renders a report as an aligned terminal table, JSON or CSV. JSON and CSV are for scripts: stable keys,
 * exact numbers (DECIMAL text is written as a JSON number without going through a float). Tables are for
 * people: money rounded to cents, thousands grouped, numbers right-aligned.
 */
import { groupThousands, isDecimalString, roundDecimal, trimDecimal } from '../domain/decimal.js';
import { guardCsvText } from '../domain/csv-guard.js';
import type { JsonValue, Row } from '../store/db.js';

export type ColumnKind = 'text' | 'money' | 'quantity' | 'rate' | 'percent' | 'int';
export interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
  /** Left out of a table that does not fit the terminal (rightmost first); JSON, CSV and --wide keep it. */
  secondary?: true;
  /** Secondary columns of one group (a before/after pair) are left out together. */
  group?: string;
  /** Money columns: a row field giving that row's decimal places in a table (0 for a token budget's amounts). */
  placesKey?: string;
}

export interface Report {
  name: string;
  title: string;
  /** Top-level JSON fields besides report and rows (cost_basis, period...). */
  meta: Record<string, JsonValue>;
  columns: Column[];
  rows: Row[];
  /** Lines printed under a table (data status, notes). */
  notes?: string[];
}

export type Format = 'table' | 'json' | 'csv';
export const FORMATS: Format[] = ['table', 'json', 'csv'];

const NUMERIC: ColumnKind[] = ['money', 'quantity', 'rate', 'percent', 'int'];

function numericText(v: JsonValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'string' && isDecimalString(v)) return trimDecimal(v);
  return null;
}

/** JSON with decimal strings of numeric columns written as exact JSON numbers. */
export function renderJson(r: Report): string {
  const numeric = new Set(r.columns.filter((c) => NUMERIC.includes(c.kind)).map((c) => c.key));
  const rows = r.rows.map((row) => {
    const fields = r.columns.map((c) => {
      const v = row[c.key] ?? null;
      const n = numeric.has(c.key) ? numericText(v) : null;
      return `${JSON.stringify(c.key)}:${n !== null ? n : JSON.stringify(v)}`;
    });
    return `{${fields.join(',')}}`;
  });
  const head = { report: r.name, ...r.meta };
  const meta = JSON.stringify(head);
  return `${meta.slice(0, -1)},"rows":[${rows.join(',\n')}]}\n`;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV with exact decimals; text that a spreadsheet would run as a formula is guarded unless `raw`. */
export function renderCsv(r: Report, o: { raw?: boolean | undefined } = {}): string {
  const text = (v: string) => csvCell(o.raw ? v : guardCsvText(v));
  const lines = [r.columns.map((c) => text(c.key)).join(',')];
  for (const row of r.rows) {
    lines.push(r.columns.map((c) => {
      const v = row[c.key] ?? null;
      if (v === null) return '';
      const n = NUMERIC.includes(c.kind) ? numericText(v) : null;
      return n !== null ? csvCell(n) : text(typeof v === 'string' ? v : JSON.stringify(v));
    }).join(','));
  }
  return lines.join('\n') + '\n';
}

function formatCell(v: JsonValue, kind: ColumnKind, places = 2): string {
  if (v === null || v === undefined) return '';
  const n = numericText(v);
  if (n === null || !NUMERIC.includes(kind)) return Array.isArray(v) ? v.join(', ') : String(v);
  switch (kind) {
    case 'money': return groupThousands(roundDecimal(n, places));
    case 'int': return groupThousands(roundDecimal(n, 0));
    case 'quantity': return groupThousands(trimDecimal(roundDecimal(n, 4)));
    case 'rate': return formatRate(Number(n));
    case 'percent': return `${roundDecimal(Number(n).toFixed(10), 1)}%`;
    default: return n;
  }
}

/**
 * Rates (cost per unit, per 1M tokens) with 4 significant digits, trailing zeros kept, so a column reads
 * alike: 1.000 next to 1.250, 0.2490 next to 0.2514 and 0.0001928; 1,235 for large ones. JSON and CSV keep
 * the full value.
 */
export function formatRate(x: number): string {
  if (x === 0) return '0';
  const fixed = (d: number) => roundDecimal(x.toFixed(Math.min(20, d + 2)), d);
  const decimals = Math.max(0, Math.min(20, 3 - Math.floor(Math.log10(Math.abs(x)))));
  // 9.99996 rounds up to 10.00, not 10.000: one digit fewer once rounding carried into a new digit
  const text = fixed(decimals);
  const carried = decimals > 0 && Math.abs(Number(text)) >= 10 ** (4 - decimals);
  return groupThousands(carried ? fixed(decimals - 1) : text);
}

/** A long text shortened in the middle, keeping more of its end (an Azure resource ID ends in its name). */
export function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 3);
  return `${text.slice(0, head)}\u2026${text.slice(text.length - (max - 1 - head))}`;
}

const MIN_TEXT = 20;

/**
 * Fit a table into `width` columns: the widest text column is shortened in the middle, one character at a
 * time, down to 20; numbers are never cut. What still does not fit is said under the table.
 */
function fitWidths(widths: number[], text: boolean[], width: number): number[] {
  const w = [...widths];
  const total = () => w.reduce((a, b) => a + b, 0) + 2 * (w.length - 1);
  // down to 20 characters first; a table with many text columns may take them down to 12
  for (const min of [MIN_TEXT, 12]) {
    while (total() > width) {
      let widest = -1;
      for (let i = 0; i < w.length; i++) if (text[i] && w[i]! > min && (widest < 0 || w[i]! > w[widest]!)) widest = i;
      if (widest < 0) break;
      w[widest]! -= 1;
    }
  }
  return w;
}

/** Words wrapped at `width` (a long word stays whole), continuation lines indented. */
function wrapText(text: string, width: number, indent = ' '): string[] {
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = '';
  for (const word of text.trimStart().split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${lead}${indent}${word}`;
    } else line = line ? `${line} ${word}` : `${lead}${word}`;
  }
  return [...lines, line];
}

/** The table for people; with `width` (a terminal's columns), long text is shortened to fit. */
export function renderTable(r: Report, o: { width?: number | undefined } = {}): string {
  // 1. one currency in every row: it is said once, in the title, not on every row
  const currency = r.columns.find((c) => c.key === 'currency');
  const currencies = new Set(r.rows.map((row) => row.currency ?? null));
  const only = currency && currencies.size === 1 && r.rows[0]!.currency ? String(r.rows[0]!.currency) : null;
  const title = only ? `${r.title}, amounts in ${only}` : r.title;
  // 2. on a narrow terminal, secondary columns go first (rightmost first), then long text is shortened
  let columns = only ? r.columns.filter((c) => c !== currency) : r.columns;
  const cellOf = (row: Row, c: Column) => formatCell(row[c.key] ?? null, c.kind, c.placesKey ? Number(row[c.placesKey] ?? 2) : 2);
  const widthOf = (cs: Column[]) => cs.reduce((a, c) => a + Math.max(c.label.length,
    ...r.rows.map((row) => cellOf(row, c).length)) + 2, -2);
  const left: string[] = [];
  while (o.width && widthOf(columns) > o.width && columns.some((c) => c.secondary)) {
    const last = [...columns].reverse().find((c) => c.secondary)!;
    const drop = columns.filter((c) => c === last || (last.group !== undefined && c.secondary && c.group === last.group));
    left.unshift(...drop.map((c) => c.label));
    columns = columns.filter((c) => !drop.includes(c));
  }
  const header = columns.map((c) => c.label);
  const body = r.rows.map((row) => columns.map((c) => cellOf(row, c)));
  const full = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const right = columns.map((c) => NUMERIC.includes(c.kind));
  const widths = o.width ? fitWidths(full, right.map((x) => !x), o.width) : full;
  const cut = (s: string, i: number) => middleEllipsis(s, widths[i]!);
  const cell = (s: string, i: number) => (right[i] ? s.padStart(widths[i]!) : cut(s, i).padEnd(widths[i]!));
  const line = (cells: string[]) => cells.map(cell).join('  ').trimEnd();
  const out = [...(o.width && title.length > o.width ? wrapText(title, o.width, '  ') : [title]), '', line(header),
    widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const b of body) out.push(line(b));
  if (!r.rows.length) out.push('(no rows)');
  const shortened = widths.some((w, i) => w < full[i]!);
  const wide = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  if (shortened || left.length || (o.width && wide > o.width)) {
    const why = [
      ...(o.width && wide > o.width ? [`${wide} columns wide`] : []),
      ...(left.length ? [`left out to fit: ${left.join(', ')}`] : []),
      ...(shortened ? ['long text shortened'] : []),
    ].join('; ');
    const how = left.length || shortened ? '--wide shows the full table, --format csv or json every value' : 'all of it is shown; ' +
      '--format csv or json for a spreadsheet or a script';
    out.push('', ...wrapText(`(${why}: ${how})`, o.width ?? 120));
  }
  // on a terminal, long notes wrap at its width (continuation lines indented), as the table does not
  const fit = (l: string) => (o.width && l.length > o.width ? wrapText(l, o.width, '    ') : [l]);
  if (r.notes?.length) out.push('', ...r.notes.flatMap(fit));
  return out.join('\n') + '\n';
}

export interface RenderOptions {
  /** The terminal's width: tables are fitted to it (undefined: full width). */
  width?: number | undefined;
  /** CSV text exactly as stored, without the spreadsheet formula guard (domain/csv-guard.ts). */
  rawCsv?: boolean | undefined;
}

export function render(r: Report, format: Format, o: RenderOptions = {}): string {
  switch (format) {
    case 'json': return renderJson(r);
    case 'csv': return renderCsv(r, { raw: o.rawCsv });
    case 'table': return renderTable(r, o);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
