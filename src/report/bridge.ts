/**
 * The bridge between the headline figures (domain/figures.ts), printed the same way by every view that
 * shows two of them: reconcile, chargeback and the CFO pack print the whole chain from the invoice to the
 * month's spend and its split; allocation and unit economics say what their own "unallocated" is made of.
 * Every step is checked to the last digit; a step that does not add up says so.
 */
import { FIGURES, type FigureName, type MonthFigures } from '../domain/figures.js';
import type { Report } from './render.js';
import { groupThousands, negateDecimal, roundDecimal, sumDecimals } from '../domain/decimal.js';
import type { JsonValue } from '../store/db.js';

const money = (v: string) => groupThousands(roundDecimal(v, 2));
const eq = (a: string[], b: string) => sumDecimals(a) === sumDecimals([b]);

/** The identities the chain promises, each true or false. */
export function bridgeChecks(f: MonthFigures): { name: string; ok: boolean }[] {
  return [
    { name: 'invoice - other periods + other invoices = billed cost of the month',
      ok: eq([f.invoice_total, negateDecimal(f.other_periods), f.other_invoices], f.billed_charges) },
    { name: 'billed + (effective - billed) + shared moved = spend', ok: eq([f.billed_charges, f.amortization, f.shared_net], f.spend) },
    { name: 'spend = allocated + shared + unallocated', ok: eq([f.allocated, f.shared_spread, f.shared_unspread, f.unallocated], f.spend) },
    {
      name: 'unallocated = its parts',
      ok: eq([f.unallocated_no_telemetry, f.unallocated_no_feature, f.unallocated_untagged, f.unallocated_tags_no_feature], f.unallocated),
    },
  ];
}

/** Shared costs moved in or out: only under a scope. */
const moved = (f: MonthFigures) => sumDecimals([f.shared_net]) !== '0';

function line(sign: string, label: string, value: string, indent = 0): string {
  const left = `  ${sign || ' '} ${'  '.repeat(indent)}${label}`;
  return `${left.padEnd(66)}${money(value).padStart(16)}`;
}

/** The whole chain, from the invoice to the spend and its split (one block per currency). */
export function bridgeLines(figures: MonthFigures[]): string[] {
  return figures.flatMap((f) => {
    const basis = f.cost_basis === 'billed' ? 'BilledCost' : 'EffectiveCost';
    const bad = bridgeChecks(f).filter((c) => !c.ok);
    return [
      `Bridge ${f.month} ${f.currency}: from the invoice to the month's spend (${basis}) and where it went`,
      line('', `${FIGURES.invoice_total.label} (BilledCost, billing period ${f.month})`, f.invoice_total),
      line('-', `${FIGURES.other_periods.label} (corrections)`, f.other_periods),
      line('+', `charges of ${f.month} on other invoices`, f.other_invoices),
      line('=', `billed cost of ${f.month}'s charges`, f.billed_charges),
      ...(f.cost_basis === 'effective' ? [line('+', 'effective - billed (purchases amortized, commitments)', f.amortization)] : []),
      ...(moved(f) ? [line('+', `${FIGURES.shared_net.label} (to this scope, less its own pools)`, f.shared_net)] : []),
      line('=', `${FIGURES.spend.label} (${basis} of ${f.month}'s charges)`, f.spend),
      line('', FIGURES.allocated.label, f.allocated, 1),
      line('+', FIGURES.shared_spread.label, f.shared_spread, 1),
      line('+', FIGURES.shared_unspread.label, f.shared_unspread, 1),
      line('+', FIGURES.unallocated.label, f.unallocated, 1),
      ...unallocatedParts(f).map((p) => line('', p.label, p.value, 3)),
      bad.length ? `  MISMATCH (${bad.map((c) => c.name).join('; ')}): please report this` : '  Each step adds up to the last digit.',
    ];
  });
}

/** The non-zero parts of the unallocated figure. */
export function unallocatedParts(f: MonthFigures): { name: FigureName; label: string; value: string }[] {
  return (['unallocated_no_telemetry', 'unallocated_no_feature', 'unallocated_untagged', 'unallocated_tags_no_feature'] as const)
    .filter((k) => sumDecimals([f[k]]) !== '0')
    .map((k) => ({ name: k, label: FIGURES[k].label, value: f[k] }));
}

/** "unallocated 874.40 (no telemetry 500.00; telemetry without a feature 374.40)" */
export function unallocatedText(f: MonthFigures): string {
  const parts = unallocatedParts(f);
  return `unallocated ${money(f.unallocated)}${parts.length ? ` (${parts.map((p) => `${p.label} ${money(p.value)}`).join('; ')})` : ''}`;
}

/** The chain as a table (the CFO pack's Figures sheet): step, figure, amount, currency, definition. */
export function figuresReport(figures: MonthFigures[]): Report {
  const rows = figures.flatMap((f) => {
    const basis = f.cost_basis === 'billed' ? 'BilledCost' : 'EffectiveCost';
    const row = (step: string, name: FigureName, value: string, label?: string) =>
      ({ month: f.month, currency: f.currency, step, figure: label ?? FIGURES[name].label, amount: value,
        definition: FIGURES[name].definition });
    return [
      row('', 'invoice_total', f.invoice_total, `${FIGURES.invoice_total.label} (billing period ${f.month})`),
      row('-', 'other_periods', f.other_periods, `${FIGURES.other_periods.label} (corrections)`),
      row('+', 'other_invoices', f.other_invoices),
      row('=', 'billed_charges', f.billed_charges),
      ...(f.cost_basis === 'effective' ? [row('+', 'amortization', f.amortization)] : []),
      ...(moved(f) ? [row('+', 'shared_net', f.shared_net)] : []),
      row('=', 'spend', f.spend, `${FIGURES.spend.label} (${basis} of the month's charges)`),
      row('', 'allocated', f.allocated),
      row('+', 'shared_spread', f.shared_spread),
      row('+', 'shared_unspread', f.shared_unspread),
      row('+', 'unallocated', f.unallocated),
      ...unallocatedParts(f).map((p) => ({ month: f.month, currency: f.currency, step: '  of it', figure: p.label, amount: p.value,
        definition: FIGURES[p.name].definition })),
      row('', 'no_unit_type', f.no_unit_type, `of the above, ${FIGURES.no_unit_type.label}`),
    ];
  });
  return {
    name: 'figures',
    title: 'From the invoice to the month\'s spend and where it went: every headline figure, defined once',
    meta: { figures: figuresJson(figures) },
    columns: [
      { key: 'month', label: 'Month', kind: 'text' }, { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'step', label: '', kind: 'text' },
      { key: 'figure', label: 'Figure', kind: 'text' }, { key: 'amount', label: 'Amount', kind: 'money' },
      { key: 'definition', label: 'Definition', kind: 'text' },
    ],
    rows,
    notes: figures.map(
      (f) => `${f.month} ${f.currency}: ${bridgeChecks(f).every((c) => c.ok) ? 'each step adds up to the last digit'
        : 'MISMATCH: please report this'}`),
  };
}

/** The figures as JSON (exact decimals as strings), for meta.figures. */
export function figuresJson(figures: MonthFigures[]): JsonValue {
  return figures.map((f) => ({ ...f }));
}

export { money as moneyText };

/** A note wrapped at 118 characters (tables stay within 120 columns), continuation lines indented. */
export function wrapNote(text: string, width = 118, indent = '    '): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/**
 * Shares and coverage are of gross cost (rows with a positive cost) so they stay between 0 and 100 % with
 * credits, refunds and other negative rows; the note says so, per group, when such rows are present.
 * `rows` carry `gross_cost` and `negative_cost`; `group` names the group a row belongs to (currency, month).
 */
export function grossShareNote(rows: Record<string, JsonValue>[], group: (r: Record<string, JsonValue>) => string,
  what: string): string[] {
  const groups = new Map<string, { gross: string[]; negative: string[] }>();
  for (const r of rows) {
    const g = groups.get(group(r)) ?? { gross: [], negative: [] };
    g.gross.push(String(r.gross_cost ?? '0'));
    g.negative.push(String(r.negative_cost ?? '0'));
    groups.set(group(r), g);
  }
  return [...groups].filter(([, g]) => sumDecimals(g.negative) !== '0').flatMap(([name, g]) => wrapNote(
    `${name}: ${what} is of gross cost ${money(sumDecimals(g.gross))} (rows with a positive cost); credits, refunds and ` +
    `other negative rows (${money(sumDecimals(g.negative))}) are in the amounts but not in ${what}.`));
}
