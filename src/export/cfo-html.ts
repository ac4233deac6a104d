/**
 * The CFO pack as one self-contained HTML file: the same sections as the spreadsheet, and four charts
 * drawn as inline SVG (cost trend, cost per unit trend, allocation, variance waterfall). No script, no
 * font or file from anywhere: it opens offline and prints.
 */
import { writeFileSync } from 'node:fs';
import { groupThousands, isDecimalString, negateDecimal, roundDecimal, sumDecimals } from '../domain/decimal.js';
import type { MonthFigures } from '../domain/figures.js';
import { formatRate, type Column, type Report } from '../report/render.js';
import type { CfoPack } from './cfo-pack.js';
import { packCharts, type Waterfall } from './cfo-charts.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function fmt(v: unknown, c: Column): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  const numeric = typeof v === 'number' || isDecimalString(s);
  if (!numeric) return esc(Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : s);
  switch (c.kind) {
    case 'money': return groupThousands(roundDecimal(s, 2));
    case 'int': return groupThousands(roundDecimal(s, 0));
    case 'percent': return `${Number(s).toFixed(1)}%`;
    case 'rate': return formatRate(Number(s));
    default: return esc(s);
  }
}

function table(r: Report): string {
  const num = (c: Column) => c.kind !== 'text';
  return `<table><thead><tr>${r.columns.map((c) => `<th${num(c) ? ' class="n"' : ''}>${esc(c.label)}</th>`).join('')}</tr></thead><tbody>
${r.rows.map((row) => `<tr>${r.columns.map((c) => `<td${num(c) ? ' class="n"' : ''}>${fmt(row[c.key], c)}</td>`).join('')}</tr>`).join(
  '\n')}
</tbody></table>${r.notes?.length ? `<ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}`;
}

const W = 680;
const H = 240;
/** The plot area inside the SVG: room on the left for the value axis, below for the labels. */
const L = 72;
const R = W - 16;
const T = 16;
const B = H - 36;

/** Round steps for an axis: 1, 2 or 5 times a power of ten, about four of them over the range. */
function niceStep(range: number): number {
  const raw = range / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

const tickText = (v: number, step: number) => groupThousands(v.toFixed(step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)))));

/**
 * A value axis from zero (or below, for negatives) with gridlines and labelled ticks, and the unit as its
 * title: charts start at zero, so a bar's height is its value and a 2 % change looks like 2 %.
 */
function valueAxis(values: number[], unit: string): { y: (v: number) => number; svg: string } {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const step = niceStep(hi - lo || 1);
  const min = Math.floor(lo / step) * step;
  const max = Math.max(Math.ceil(hi / step) * step, min + step);
  const y = (v: number) => B - ((v - min) / (max - min)) * (B - T);
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) ticks.push(v);
  const grid = (v: number) => `<line x1="${L}" x2="${R}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#667' : '#dde'}"/>`;
  const svg = `<g class="axis">${ticks.map((v) => grid(v)
    + `<text x="${L - 6}" y="${y(v) + 3}" font-size="10" text-anchor="end">${tickText(v, step)}</text>`).join('')}`
    + `<text x="12" y="${(T + B) / 2}" font-size="10" text-anchor="middle" transform="rotate(-90 12 ${(T + B) / 2})">`
    + `${esc(unit)}</text></g>`;
  return { y, svg };
}

function figure(title: string, body: string): string {
  return `<figure><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" ` +
    `height="${H}">${body}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/** Category labels under the plot; long ones are shortened (the full label is in the bar's tooltip). */
function categoryLabel(text: string, x: number, width: number): string {
  const max = Math.max(4, Math.floor(width / 5.5));
  const shown = text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
  return `<text x="${x}" y="${B + 14}" font-size="10" text-anchor="middle">${esc(shown)}</text>`;
}

/** Vertical bars from zero with a value axis. */
function bars(title: string, items: { label: string; value: number }[], unit: string): string {
  if (!items.length) return '';
  const axis = valueAxis(items.map((i) => i.value), unit);
  const slot = (R - L) / items.length;
  const bw = Math.min(60, slot - 10);
  const body = items.map((it, k) => {
    const x = L + k * slot + (slot - bw) / 2;
    const top = Math.min(axis.y(it.value), axis.y(0));
    const h = Math.max(1, Math.abs(axis.y(it.value) - axis.y(0)));
    return `<rect x="${x}" y="${top}" width="${bw}" height="${h}" fill="#3b6ea5">`
      + `<title>${esc(it.label)}: ${it.value.toFixed(2)}</title></rect>`
      + categoryLabel(it.label, x + bw / 2, slot)
      + `<text x="${x + bw / 2}" y="${top - 4}" font-size="10" text-anchor="middle">${groupThousands(it.value.toFixed(0))}</text>`;
  }).join('');
  return figure(title, axis.svg + body);
}

/** One line per series over the same x labels, from zero, with a value axis and the value at each point. */
function lines(title: string, xs: string[], series: { name: string; values: (number | null)[] }[], unit: string): string {
  if (!xs.length || !series.length) return '';
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const axis = valueAxis(all, unit);
  const right = R - 110;
  const x = (i: number) => L + 20 + (xs.length === 1 ? 0 : (i * (right - L - 40)) / (xs.length - 1));
  const colors = ['#3b6ea5', '#d9822b', '#3f8f4f', '#a33b3b', '#7a5ea8'];
  const body = series.map((s, k) => {
    const color = colors[k % colors.length]!;
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i)},${axis.y(v)}`)).filter(Boolean).join(' ');
    const dots = s.values.map((v, i) => (v === null ? '' : `<circle cx="${x(i)}" cy="${axis.y(v)}" r="3" fill="${color}">`
      + `<title>${esc(s.name)} ${esc(xs[i]!)}: ${v}</title></circle>`
      + `<text x="${x(i)}" y="${axis.y(v) - 6}" font-size="9" text-anchor="middle" fill="${color}">${v.toPrecision(3)}</text>`)).join('');
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>${dots}`
      + `<text x="${right + 14}" y="${T + 12 + k * 14}" font-size="11" fill="${color}">${esc(s.name)}</text>`;
  }).join('') + xs.map((l, i) => `<text x="${x(i)}" y="${B + 14}" font-size="10" text-anchor="middle">${esc(l)}</text>`).join('');
  return figure(title, axis.svg + body);
}

/** Waterfall from the month before to this month through the variance parts, from zero. */
function waterfall(w: Waterfall): string {
  const spans = w.steps;
  const axis = valueAxis(spans.flatMap((s) => [s.from, s.to]), w.unit);
  const slot = (R - L) / spans.length;
  const bw = slot - 12;
  const body = spans.map((s, k) => {
    const x = L + k * slot + 6;
    const top = axis.y(Math.max(s.from, s.to));
    const h = Math.max(1, Math.abs(axis.y(s.from) - axis.y(s.to)));
    const color = s.total ? '#3b6ea5' : s.value >= 0 ? '#a33b3b' : '#3f8f4f';
    const text = `${!s.total && s.value >= 0 ? '+' : ''}${groupThousands(s.value.toFixed(0))}`;
    return `<rect x="${x}" y="${top}" width="${bw}" height="${h}" fill="${color}">`
      + `<title>${esc(s.label)}: ${s.value.toFixed(2)}</title></rect>`
      + categoryLabel(s.label, x + bw / 2, slot)
      + `<text x="${x + bw / 2}" y="${top - 4}" font-size="10" text-anchor="middle">${text}</text>`;
  }).join('');
  return figure(w.title, axis.svg + body);
}

/** One sentence from the invoice to the spend the charts show (the Figures section has every step). */
function headline(f: MonthFigures): string {
  const m = (v: string) => `${groupThousands(roundDecimal(v, 2))} ${f.currency}`;
  const rest = sumDecimals([f.other_invoices, f.amortization, negateDecimal(f.other_periods)]);
  return `${f.month}: invoice ${m(f.invoice_total)}; spend (${f.cost_basis === 'billed' ? 'BilledCost' : 'EffectiveCost'} of the month's ` +
    `charges) `
    + `${m(f.spend)} = invoice ${rest.startsWith('-') ? '-' : '+'} ${m(rest.replace(/^-/, ''))} (corrections of other periods, ` +
    `other invoices, amortization; `
    + `see Figures). Of the spend: allocated ${m(f.allocated)}, shared ${m(sumDecimals([f.shared_spread, f.shared_unspread]))}, ` +
    `unallocated ${m(f.unallocated)}.`;
}

export function cfoHtml(pack: CfoPack): string {
  const c = packCharts(pack);
  const charts = [
    bars(c.trend.title, c.trend.bars, c.trend.unit),
    lines(c.unitCost.title, c.unitCost.xs, c.unitCost.series, c.unitCost.unit),
    bars(c.allocation.title, c.allocation.bars, c.allocation.unit),
    c.waterfall ? waterfall(c.waterfall) : '',
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(pack.title)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#1d2430}
h1{font-size:22px} h2{font-size:17px;margin-top:2em;border-bottom:1px solid #ccd} .draft{color:#a33b3b}
table{border-collapse:collapse;margin:.5em 0;font-size:12px} th,td{border:1px solid #dde;padding:3px 6px} th{background:#e8eef7}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums} .notes{font-size:12px;color:#445} .notes ` +
`li{white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace} figure{display:inline-block;margin:1em}
figcaption{font-size:12px;color:#445}
</style></head><body>
<h1${pack.draft ? ' class="draft"' : ''}>${esc(pack.title)}</h1>
<p>${esc(pack.status)}</p>
<p>Invoice totals (BilledCost): ${pack.invoices.map(
  (i) => `<strong>${esc(i.invoice)}</strong> ${groupThousands(roundDecimal(i.total, 2))} ${esc(i.currency)}`).join('; ')}</p>
${pack.figures.map((f) => `<p>${esc(headline(f))}</p>`).join('\n')}
<section id="charts">${charts}</section>
${pack.sections.map(
  (s) => `<section id="${esc(s.sheet.toLowerCase().replace(/\W+/g, '-'))}"><h2>${esc(s.sheet)}</h2><p>${esc(s.report.title)}</p>${table(
    s.report)}</section>`).join('\n')}
</body></html>
`;
}

export function writeCfoHtml(pack: CfoPack, path: string): void {
  writeFileSync(path, cfoHtml(pack));
}
