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

const W = 640;
const H = 220;

/** Vertical bars with labels. */
function bars(title: string, items: { label: string; value: number }[]): string {
  if (!items.length) return '';
  const max = Math.max(...items.map((i) => Math.abs(i.value)), 1);
  const bw = Math.min(60, (W - 40) / items.length - 8);
  const body = items.map((it, k) => {
    const h = (Math.abs(it.value) / max) * (H - 60);
    const x = 30 + k * (bw + 8);
    return `<rect x="${x}" y="${H - 30 - h}" width="${bw}" height="${h}" fill="#3b6ea5"><title>${esc(it.label)}: ${it.value.toFixed(
      2)}</title></rect>`
      + `<text x="${x + bw / 2}" y="${H - 14}" font-size="10" text-anchor="middle">${esc(it.label)}</text>`
      + `<text x="${x + bw / 2}" y="${H - 34 - h}" font-size="10" text-anchor="middle">${groupThousands(it.value.toFixed(0))}</text>`;
  }).join('');
  return `<figure><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" ` +
    `height="${H}">${body}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/** One line per series over the same x labels. */
function lines(title: string, xs: string[], series: { name: string; values: (number | null)[] }[]): string {
  if (!xs.length || !series.length) return '';
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(...all, 1e-9);
  const x = (i: number) => 40 + (xs.length === 1 ? 0 : (i * (W - 160)) / (xs.length - 1));
  const y = (v: number) => H - 30 - (v / max) * (H - 60);
  const colors = ['#3b6ea5', '#d9822b', '#3f8f4f', '#a33b3b', '#7a5ea8'];
  const body = series.map((s, k) => {
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter(Boolean).join(' ');
    return `<polyline fill="none" stroke="${colors[k % colors.length]}" stroke-width="2" points="${pts}"/>`
      + `<text x="${W - 110}" y="${20 + k * 14}" font-size="11" fill="${colors[k % colors.length]}">${esc(s.name)}</text>`;
  }).join('') + xs.map((l, i) => `<text x="${x(i)}" y="${H - 12}" font-size="10" text-anchor="middle">${esc(l)}</text>`).join('');
  return `<figure><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" ` +
    `height="${H}">${body}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/** Waterfall from the month before to this month through the variance parts. */
function waterfall(title: string, before: number, parts: { label: string; value: number }[], after: number): string {
  const steps = [{ label: 'before', value: before, total: true }, ...parts.map((p) => ({ ...p, total: false })),
    { label: 'after', value: after, total: true }];
  let run = 0;
  const spans = steps.map((s) => {
    if (s.total) { run = s.value; return { ...s, from: 0, to: s.value }; }
    const from = run; run += s.value; return { ...s, from, to: run };
  });
  const max = Math.max(...spans.map((s) => Math.max(s.from, s.to)), 1);
  // totals start at a baseline below the lowest running value (not at 0), so the parts are visible
  const low = Math.min(...spans.map((s) => (s.total ? s.to : Math.min(s.from, s.to))));
  const min = low > 0 ? low - (max - low) * 0.5 - 0.01 * max : Math.min(0, low);
  for (const s of spans) if (s.total) s.from = min;
  const y = (v: number) => H - 30 - ((v - min) / (max - min)) * (H - 60);
  const bw = (W - 40) / spans.length - 10;
  const body = spans.map((s, k) => {
    const x = 30 + k * (bw + 10);
    const top = y(Math.max(s.from, s.to));
    const h = Math.max(1, Math.abs(y(s.from) - y(s.to)));
    const color = s.total ? '#3b6ea5' : s.value >= 0 ? '#a33b3b' : '#3f8f4f';
    return `<rect x="${x}" y="${top}" width="${bw}" height="${h}" fill="${color}"><title>${esc(s.label)}: ${s.value.toFixed(
      2)}</title></rect>`
      + `<text x="${x + bw / 2}" y="${H - 12}" font-size="10" text-anchor="middle">${esc(s.label)}</text>`
      + `<text x="${x + bw / 2}" y="${top - 4}" font-size="10" text-anchor="middle">${groupThousands(s.value.toFixed(0))}</text>`;
  }).join('');
  return `<figure><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" ` +
    `height="${H}">${body}</svg><figcaption>${esc(title)}</figcaption></figure>`;
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
  const currency = pack.invoices[0]?.currency ?? 'USD';
  const trendRows = pack.trend.rows.filter((r) => r.currency === currency);
  const months = [...new Set(pack.unitTrend.rows.map((r) => String(r.month)))].sort();
  const units = [...new Set(pack.unitTrend.rows.map((r) => String(r.unit)))].sort();
  const alloc = pack.sections.find((s) => s.sheet === 'Allocation')!.report.rows.filter((r) => r.currency === currency);
  const total = pack.sections.find((s) => s.sheet === 'Variance')!.report.rows.find((r) => r.unit === 'TOTAL' && r.currency === currency);
  const charts = [
    bars(`Cost trend: EffectiveCost per billing period (${currency})`,
      trendRows.map((r) => ({ label: String(r.billing_period).slice(0, 7), value: Number(r.effective_cost) }))),
    lines(`Cost per unit trend (${currency})`, months, units.map((u) => ({ name: u, values: months.map((m) => {
      const r = pack.unitTrend.rows.find((x) => x.month === m && x.unit === u && x.currency === currency);
      return r && r.cost_per_unit !== null ? Number(r.cost_per_unit) : null;
    }) }))),
    bars(`Allocation by feature, ${pack.month} (${currency})`, alloc.map((r) => ({ label: String(r.key), value: Number(r.cost) }))),
    total ? waterfall(`Variance waterfall: spend (charges of the month), ${pack.month} vs the month before (${currency})`,
      Number(total.before),
      ['volume', 'intensity', 'rate', 'shared', 'outside'].map((k) => ({ label: k, value: Number(total[k]) })), Number(total.after)) : '',
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
