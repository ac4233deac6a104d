/** `report ingestions`: what was ingested, replaced and skipped, and when: the audit log of the ledger. */
import { loadSql, type Store } from '../store/db.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'ingestions.sql');

export async function ingestions(store: Store): Promise<Report> {
  const rows = await store.query(SQL);
  return {
    name: 'ingestions',
    title: 'Ingestion log',
    meta: {},
    columns: [
      { key: 'at', label: 'At (UTC)', kind: 'text' },
      { key: 'action', label: 'Action', kind: 'text' },
      { key: 'ingestion_id', label: 'Ingestion', kind: 'text' },
      { key: 'format', label: 'Format', kind: 'text' },
      { key: 'rows', label: 'Rows', kind: 'int' },
      { key: 'status', label: 'Status now', kind: 'text' },
      { key: 'billing_periods', label: 'Periods', kind: 'text' },
      { key: 'source', label: 'Source', kind: 'text' },
      { key: 'detail', label: 'Detail', kind: 'text' },
    ],
    rows,
  };
}
