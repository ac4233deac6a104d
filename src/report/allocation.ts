/**
 * `report allocation --by feature|team|environment|cost-center|<tag>`: what each key cost, with the
 * __unallocated__ line; the lines of a currency add up to the charges of the period.
 */
import { allocationSql } from '../allocate/allocate.js';
import { ALLOCATION_DIMENSIONS } from '../domain/allocation.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'allocation.sql');

export async function allocation(ledger: Ledger, o: RequestOf<'allocation'>): Promise<Report> {
  const by = o.by;
  const column = (ALLOCATION_DIMENSIONS as Record<string, string>)[by];
  const key = column ? code(column) : sql`nullif(trim(Tags->>${by}), '')`;
  const rows = await ledger.query(fill(SQL, {
    ALLOCATION: allocationSql(o), KEY: key, DIM: sql`${by}`,
    METHOD: code(column ? 'method' : "'resource tag'"), TAG_MODE: code(column ? 'false' : 'true'),
  }));
  return {
    name: 'allocation',
    title: `Allocation by ${by} (${o.costBasis} cost, ${o.period.label})`,
    meta: { ...baseMeta(o), by },
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
    notes: column ? [] : [`${by} is not a telemetry dimension: every charge is allocated by its resource tag ${by}.`],
  };
}
