/** `report ingestions`: what was ingested, replaced and skipped, and when: the audit log of the ledger. */
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'ingestions.sql');

export async function ingestions(ledger: Ledger): Promise<Report> {
  const rows = await ledger.query(SQL);
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
      { key: 'billing_periods', label: 'Periods', kind: 'text', secondary: true },
      { key: 'source', label: 'Source', kind: 'text' },
      { key: 'detail', label: 'Detail', kind: 'text', secondary: true },
    ],
    rows,
  };
}
