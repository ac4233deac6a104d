/**
 * The overview's current month, with what the invoice has not reached yet. Billing exports lag telemetry
 * by one to three days: `report estimate` prices the days that have telemetry and no billing (tokens x the
 * invoice's own price where it has one, else the price sheet or catalog). The overview shows them beside the
 * billed figures, marked estimated (a dashed card, its own table), with the accuracy the same pricing had on
 * the days already billed; when the export arrives those days are billed and leave the estimate.
 *
 * 1. Which days: the latest month looks from its first day on (telemetry of the next month arrives before its
 *    first export); an earlier month looks at itself only.
 * 2. Per currency: the estimated cost (exact sum) and its first and last day, as a card.
 * 3. The estimated rows (feature, model, days, tokens, price used) and the accuracy rows (estimate vs billed per
 *    model on the billed days of the same window), as two tables.
 * 4. The estimate per day and currency, for the overview's daily chart (drawn dashed after the billed days).
 */
import { sumDecimals } from '../domain/decimal.js';
import type { Report } from '../report/render.js';
import { callerReport, type Backend } from './api.js';
import { html, type Html } from './html.js';
import { mayReport } from './policy.js';
import type { Caller } from './principals.js';
import { notes, reportTable, type Card } from './widgets.js';

/** The cards and tables, and the estimate per day and currency (the daily chart's dashed series). */
export interface EstimatedPart { cards: Card[]; section: Html | null; days: { day: string; currency: string; cost: string }[] }

export async function estimatedPart(b: Backend, caller: Caller,
  o: { month: string; latest: boolean; cost: string | undefined; currency: string | undefined }): Promise<EstimatedPart> {
  if (!mayReport(caller.role, 'estimate')) return { cards: [], section: null, days: [] };
  // 1. the window
  const r = await callerReport(b, caller, 'estimate', { ...(o.latest ? { from: `${o.month}-01` } : { month: o.month }),
    ...(o.cost ? { cost: o.cost } : {}), allowIncomplete: true });
  const mine = r.rows.filter((x) => !o.currency || x.currency === o.currency);
  const estimated = mine.filter((x) => x.status === 'estimated');
  if (!estimated.length) return { cards: [], section: null, days: [] };
  // 2. one card per currency
  const currencies = [...new Set(estimated.map((x) => String(x.currency)))].sort();
  const cards: Card[] = currencies.map((c) => {
    const rows = estimated.filter((x) => x.currency === c);
    const first = rows.map((x) => String(x.first_day)).sort()[0]!;
    const last = rows.map((x) => String(x.last_day)).sort().at(-1)!;
    return { label: `Estimated, not billed yet: ${first} to ${last}`, value: sumDecimals(rows.map((x) => String(x.estimated_cost ?? '0'))),
      currency: c, id: `estimated-${c}`, estimated: true };
  });
  // 3. the tables
  const days: Report = { ...r, name: 'estimate', rows: estimated };
  const accuracy: Report = { ...r, name: 'estimate-accuracy', rows: mine.filter((x) => x.status === 'accuracy') };
  const section = html`<h2 id="estimated">Not billed yet: estimated from telemetry</h2>
<div class="banner warn" role="note" data-testid="estimated-note">Estimated, not invoiced: these days have telemetry but no billing
yet, so their cost is tokens x price. The invoice replaces them when its export arrives.</div>
${reportTable(days, { only: ['feature', 'model', 'deployment', 'first_day', 'last_day', 'days', 'tokens', 'currency', 'estimated_cost',
    'price_from'] })}
<h2>How close this pricing came on days already billed</h2>
${reportTable(accuracy, { only: ['model', 'days', 'tokens', 'currency', 'estimated_cost', 'billed_cost', 'error_pct'] })}
${notes((r.notes ?? []).filter((n) => !/^(\d+ estimated row|Data: )/.test(n)))}`;
  const perDay = ((r.meta.estimated_days ?? []) as { day: string; currency: string | null; estimated_cost: string | null }[])
    .filter((d) => d.currency !== null && d.estimated_cost !== null && (!o.currency || d.currency === o.currency))
    .map((d) => ({ day: d.day, currency: d.currency!, cost: d.estimated_cost! }));
  return { cards, section, days: perDay };
}
