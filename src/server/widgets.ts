/**
 * The pieces pages are made of: a report as an HTML table (numbers right-aligned, long IDs shortened in
 * the middle with the full value on hover, a drill-down link per row), the data status banner, figure
 * cards carrying the exact decimal in `data-value`, notes, and the filter form whose GET keeps the
 * whole state in the URL. Every value goes through the escaping `html` template.
 */
import { groupThousands, isDecimalString, roundDecimal, trimDecimal } from '../domain/decimal.js';
import { formatRate, middleEllipsis, type Column, type Report } from '../report/render.js';
import type { JsonValue, Row } from '../store/db.js';
import { html, queryString, type Html } from './html.js';

/** A number as shown on a page (the report's exact decimal, rounded for reading). */
export function cellText(v: JsonValue | undefined, kind: Column['kind']): string {
  if (v === null || v === undefined) return '';
  if (kind === 'text') return String(v);
  const text = typeof v === 'number' ? (kind === 'money' ? v.toFixed(2) : String(v)) : String(v);
  if (kind === 'rate') return formatRate(Number(v));
  if (kind === 'percent') return `${typeof v === 'number' ? v : Number(v)}%`;
  if (!isDecimalString(text)) return text;
  if (kind === 'money') return groupThousands(roundDecimal(text, 2));
  if (kind === 'int') return groupThousands(roundDecimal(text, 0));
  return groupThousands(trimDecimal(roundDecimal(text, 4))); // quantities as the CLI prints them
}

const LONG = 44;

/** Long IDs and paths (no spaces) are shortened in the middle, the full value on hover; prose is left whole. */
function textCell(v: string): Html {
  // a GUID (subscription, tenant) is told apart by its first group: it would otherwise wrap over four lines
  if (GUID.test(v)) return html`<abbr class="id" title="${v}">${v.slice(0, 8)}…</abbr>`;
  return v.length > LONG && !/\s/.test(v) ? html`<abbr class="id" title="${v}">${middleEllipsis(v, LONG)}</abbr>` : html`${v}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TableOptions {
  /** The drill-down link of a row (the first text column links to it), or null. */
  link?: (row: Row) => string | null;
  /** Only these columns (keys), in this order. */
  only?: string[];
  /** Rows of this currency only (a narrowing display filter). */
  currency?: string | undefined;
  /** A last column of controls per row (the anomalies page's label buttons). */
  actions?: { label: string; cell: (row: Row) => Html | null } | undefined;
  /**
   * Long text columns shown as a full-width line under their row (label: value) instead of as columns, so a
   * table of many numbers stays readable on a laptop screen (the anomalies page's root causes).
   */
  details?: string[];
}

export function reportTable(r: Report, o: TableOptions = {}): Html {
  const shown = o.only ? o.only.map((k) => r.columns.find((c) => c.key === k)).filter((c): c is Column => Boolean(c)) : r.columns;
  const columns = shown.filter((c) => !o.details?.includes(c.key));
  const details = (o.details ?? []).map((k) => r.columns.find((c) => c.key === k)).filter((c): c is Column => Boolean(c));
  const width = columns.length + (o.actions ? 1 : 0);
  const rows = o.currency ? r.rows.filter((row) => row.currency === undefined || row.currency === o.currency) : r.rows;
  const firstText = columns.findIndex((c) => c.kind === 'text' && c.key !== 'currency' && c.key !== 'month');
  const head = [...columns.map((c) => html`<th class="${c.kind === 'text' ? '' : 'num'}" scope="col">${c.label}</th>`),
    o.actions ? html`<th scope="col">${o.actions.label}</th>` : null];
  const body = rows.map((row) => {
    const href = o.link?.(row) ?? null;
    const cells = columns.map((c, i) => {
      const v = row[c.key];
      if (c.kind !== 'text') {
        const exact = v === null || v === undefined ? '' : String(v);
        // a token budget's amounts are whole tokens (placesKey), money has cents
        const kind = c.placesKey && Number(row[c.placesKey]) === 0 ? 'int' : c.kind;
        return html`<td class="num" data-key="${c.key}" data-value="${exact}">${cellText(v, kind)}</td>`;
      }
      const content = textCell(cellText(v, 'text'));
      // a date or month is one word: never broken over two lines
      const cls = typeof v === 'string' && /^\d{4}-\d{2}(-\d{2})?$/.test(v) ? html` class="date"` : null;
      return html`<td${cls} data-key="${c.key}">${i === firstText && href ? html`<a href="${href}">${content}</a>` : content}</td>`;
    });
    const main = html`<tr${details.length ? html` class="has-detail"` : null}>${cells}${o.actions
      ? html`<td class="actions">${o.actions.cell(row)}</td>` : null}</tr>`;
    const lines = details.filter((c) => row[c.key] !== null && row[c.key] !== undefined && row[c.key] !== '')
      .map((c) => html`<span class="detail" data-key="${c.key}"><span class="detail-label">${c.label}:</span>
${String(row[c.key])}</span>`);
    return details.length ? html`${main}<tr class="detail"><td colspan="${width}">${lines}</td></tr>` : main;
  });
  const empty = rows.length ? null : html`<tr><td colspan="${width}">No rows.</td></tr>`;
  return html`<div class="scroll"><table class="data" data-report="${r.name}"><thead><tr>${head}</tr></thead>
<tbody>${body}${empty}</tbody></table></div>`;
}

export interface DataStatusMeta { line: string; complete_through: string | null; open_periods: string[]; problems: string[] }

/** The data status: complete through, open periods, failing checks. */
export function statusBanner(s: DataStatusMeta | undefined): Html | null {
  if (!s) return null;
  const cls = s.problems.length ? 'bad' : s.open_periods.length ? 'warn' : '';
  return html`<div class="banner ${cls}" role="status" data-testid="data-status">${s.line}</div>`;
}

export function notes(lines: string[] | undefined): Html | null {
  return lines?.length ? html`<ul class="notes">${lines.map((l) => html`<li>${l}</li>`)}</ul>` : null;
}

export interface Card { label: string; value: string; currency?: string; id: string; kind?: 'money' | 'percent'; estimated?: boolean }

/** A headline figure: the rounded text to read, the exact decimal in data-value. */
export function cards(list: Card[]): Html {
  return html`<div class="cards">${list.map((c) => html`<div class="card${c.estimated ? ' estimated' : ''}" data-figure="${c.id}">
<div class="label">${c.label}${c.currency ? html` (${c.currency})` : null}</div>
<div class="value" data-value="${c.value}">${c.kind === 'percent' ? `${c.value}%` : cellText(c.value, 'money')}</div></div>`)}</div>`;
}

export interface Field { name: string; label: string; value: string | undefined; choices?: string[] }

/** The filters as a GET form: submitting it puts the state in the URL, so a link can be shared. */
export function filterForm(action: string, fields: Field[]): Html {
  const inputs = fields.map((f) => f.choices
    ? html`<label>${f.label}<select name="${f.name}">${f.choices.map((c) =>
      html`<option value="${c}"${c === (f.value ?? '') ? html` selected` : null}>${c || '(all)'}</option>`)}</select></label>`
    : html`<label>${f.label}<input name="${f.name}" value="${f.value ?? ''}"></label>`);
  return html`<form class="filters" method="get" action="${action}">${inputs}<button type="submit">Apply</button></form>`;
}

export function link(path: string, params: Record<string, string | string[] | undefined>): string {
  return path + queryString(params);
}
