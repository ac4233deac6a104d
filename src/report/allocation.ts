/**
 * `report allocation --by feature|team|environment|cost-center|<tag>`: what each key cost, with the
 * __unallocated__ line; the lines of a currency add up to the charges of the period.
 */
import { allocationSql } from '../allocate/allocate.js';
import { ALLOCATION_DIMENSIONS } from '../domain/allocation.js';
import { UsageError } from '../domain/errors.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import { UNALLOCATED } from '../domain/allocation.js';
import { FIGURES } from '../domain/figures.js';
import { wholeMonths } from '../domain/period.js';
import { figuresJson, grossShareNote, moneyText, unallocatedText, wrapNote } from './bridge.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'allocation.sql');

export async function allocation(ledger: Ledger, o: RequestOf<'allocation'>): Promise<Report> {
  const by = o.by;
  const column = (ALLOCATION_DIMENSIONS as Record<string, string>)[by];
  const key = column ? code(column) : sql`nullif(trim(Tags->>${by}), '')`;
  if (!column) await requireTag(ledger, by);
  // the month's figures, when the period is whole months: what __unallocated__ here is made of
  const figures = wholeMonths(o.period) ? await ledger.figures(o.period, o.costBasis) : [];
  const rows = await ledger.query(fill(SQL, {
    ALLOCATION: allocationSql(o, { tags: !column }), KEY: key, DIM: sql`${by}`,
    METHOD: code(column ? 'method' : "'resource tag'"), TAG_MODE: code(column ? 'false' : 'true'),
  }));
  return {
    name: 'allocation',
    title: `Allocation by ${by} (${o.costBasis} cost, ${o.period.label})`,
    meta: { ...baseMeta(o), by, figures: figuresJson(figures) },
    columns: [
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'key', label: by, kind: 'text' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'share_pct', label: 'Share', kind: 'percent' },
      { key: 'token_cost', label: 'Tokens cost', kind: 'money' },
      { key: 'other_cost', label: 'Other cost', kind: 'money' },
      { key: 'tokens', label: 'Tokens', kind: 'int' },
      { key: 'basis', label: 'How', kind: 'text' },
    ],
    rows,
    notes: [
      ...(column ? [] : [`${by} is not a telemetry dimension: every charge is allocated by its resource tag ${by}.`]),
      ...grossShareNote(rows, (r) => String(r.currency), 'Share'),
      ...figures.flatMap((f) => {
        // over several months the table's __unallocated__ line is their sum: say so once, then each month's parts
        const months = figures.filter((g) => g.currency === f.currency);
        const line = rows.find((r) => r.currency === f.currency && r.key === UNALLOCATED);
        const here = `${UNALLOCATED} here (no ${by}) ${moneyText(line ? String(line.cost) : '0')}`;
        const split =
          `${FIGURES.shared_spread.label} ${moneyText(f.shared_spread)} + ${FIGURES.shared_unspread.label} ${moneyText(f.shared_unspread)}`
          + ` + ${unallocatedText(f)}`;
        const invoice = `invoice ${moneyText(f.invoice_total)} (bridge: report reconcile)`;
        if (months.length > 1) {
          const head = months[0] === f ? [`${f.currency}: ${here}, over ${months.length} months:`] : [];
          return [...head, ...wrapNote(by === 'feature'
            ? `${f.month}: ${split}. Spend ${moneyText(f.spend)}; ${invoice}.`
            : `${f.month}: of the spend ${moneyText(f.spend)}, ${FIGURES.allocated.label} ${moneyText(f.allocated)} + ${split}; `
              + `${invoice}.`,
          116, '      ').map((l, i) => (i === 0 ? `  ${l}` : l))];
        }
        return wrapNote(by === 'feature'
          ? `${f.month} ${f.currency}: ${here} = ${split}. Spend ${moneyText(f.spend)}; ${invoice}.`
          : `${f.month} ${f.currency}: ${here}. Of the spend ${moneyText(f.spend)}, ${FIGURES.allocated.label} ${moneyText(f.allocated)}`
            + ` + ${split}; ${invoice}.`);
      }),
    ],
  };
}

/** A tag no billing row carries is most likely a typo (--by teams): say which dimensions and tags there are. */
async function requireTag(ledger: Ledger, tag: string): Promise<void> {
  const [hit] = await ledger.query<{ n: string }>(sql`SELECT count(*) AS n FROM billing_rows WHERE Tags->>${tag} IS NOT NULL`);
  if (Number(hit?.n ?? 0) > 0) return;
  const tags = await ledger.query<{ k: string }>(sql`SELECT k FROM (SELECT unnest(json_keys(Tags)) AS k FROM billing_rows
    WHERE Tags IS NOT NULL) GROUP BY k ORDER BY count(*) DESC, k LIMIT 15`);
  throw new UsageError(`--by ${tag}: no billing row carries a tag named ${tag}`,
    `Dimensions: ${Object.keys(ALLOCATION_DIMENSIONS).join(', ')}; tags in the billing data: ` +
    `${tags.length ? tags.map((t) => t.k).join(', ') : 'none'}.`);
}
