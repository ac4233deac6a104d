/**
 * `report quota`: limits beside capacity, as of the period's end. Quota is a subscription's permission to ask
 * for vCPUs (or tokens per minute); capacity is what the region can give (reservations, Azure OpenAI model
 * capacity). The report puts both per subscription x region x family, GPU families first, and says where
 * they disagree (quota headroom but no capacity, capacity reserved but no quota).
 */
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, sql, type Sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';
import { vmSizesTable } from '../allocate/vm-sizes.js';

const SQL = loadSql(import.meta.url, 'quota.sql');

/** Snapshots taken before the period's end (all of them without one). */
export function capturedBy(o: { period: { to: string | null } }): Sql {
  return o.period.to ? sql`captured_at < CAST(${o.period.to} AS TIMESTAMP)` : code('true');
}

export async function quota(ledger: Ledger, o: RequestOf<'quota'>): Promise<Report> {
  const rows = await ledger.query(fill(SQL, { SIZES: vmSizesTable(), ASOF: capturedBy(o) }));
  return {
    name: 'quota',
    title: `Quota and capacity as of ${o.period.to ? `the end of ${o.period.label}` : 'the latest snapshots'} (quota is not capacity)`,
    meta: { ...baseMeta(o) },
    columns: [
      { key: 'subscription', label: 'Subscription', kind: 'text' },
      { key: 'region', label: 'Region', kind: 'text' },
      { key: 'kind', label: 'Kind', kind: 'text', secondary: true },
      { key: 'family', label: 'Family / quota', kind: 'text' },
      { key: 'measure', label: 'Unit', kind: 'text', secondary: true },
      { key: 'limit', label: 'Limit', kind: 'int' },
      { key: 'used', label: 'Used', kind: 'int' },
      { key: 'headroom', label: 'Headroom', kind: 'int' },
      { key: 'pct_used', label: 'Used %', kind: 'percent' },
      { key: 'regional_limit', label: 'Region vCPUs', kind: 'int', secondary: true },
      { key: 'regional_headroom', label: 'Region headroom', kind: 'int', secondary: true },
      { key: 'quota_group', label: 'Quota Group', kind: 'text', secondary: true },
      { key: 'group_allocated', label: 'Group alloc.', kind: 'int', secondary: true },
      { key: 'group_available', label: 'Group avail.', kind: 'int', secondary: true },
      { key: 'reserved_instances', label: 'Reserved VMs', kind: 'int' },
      { key: 'reserved_vcpus', label: 'Reserved vCPUs', kind: 'int', secondary: true },
      { key: 'model_available', label: 'Model capacity', kind: 'int' },
      { key: 'signal', label: 'Signal', kind: 'text' },
      { key: 'captured_at', label: 'Captured', kind: 'text', secondary: true },
    ],
    rows,
  };
}
