/**
 * `report allocation --by feature|team|environment|cost-center|<tag>`: what each key cost, with the
 * __unallocated__ line; the lines of a currency add up to the charges of the period.
 */
import { allocationSql } from '../allocate/allocate.js';
import { ALLOCATION_DIMENSIONS } from '../domain/allocation.js';
import { ensureAllocation } from '../allocate/materialize.js';
import { UsageError } from '../domain/errors.js';
import { literal, loadSql, type Store } from '../store/db.js';
import { baseMeta, fillSql, type ReportOptions } from './options.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'allocation.sql');

export async function allocation(store: Store, o: ReportOptions): Promise<Report> {
  if (o.by.length !== 1) throw new UsageError('report allocation needs exactly one --by: feature, team, environment, cost-center, or a resource tag name');
  const by = o.by[0]!;
  const column = (ALLOCATION_DIMENSIONS as Record<string, string>)[by];
  const key = column ?? `nullif(trim(Tags->>${literal(by)}), '')`;
  await ensureAllocation(store);
  const rows = await store.query(fillSql(SQL, {
    ALLOCATION: allocationSql(o), KEY: key, DIM: by.replace(/[^\w -]/g, ''),
    METHOD: column ? 'method' : "'resource tag'", TAG_MODE: column ? 'false' : 'true',
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
