/**
 * Which earlier exports a new one replaces. Azure re-delivers month-to-date data every day: the newest
 * export of a (scope, billing period) is the truth, appending them would double-count.
 *
 * Scope: the export's resourceId from manifest.json; else its export name; else, for a bare file, the
 * billing account(s) plus the file name; `--scope` overrides. Newer: manifest runInfo.submittedTime, else
 * the newest file modification time.
 *
 * A bare file (no manifest) of another scope is never added on top of charges the ledger holds from
 * another file: when it shares charges (same charge identity) with an active ingestion of the same billing
 * account and period, it is refused, naming both files; `--scope` with the earlier one's scope makes it a
 * replacement instead (newest export wins).
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../../domain/errors.js';
import { loadSql, type Store } from '../../store/db.js';
import { deleteFromRollup } from '../../store/rollup.js';
import { fill, sql, value, type Sql } from '../../store/sql.js';
import { textList } from '../common/reader.js';
import type { ExportUnit } from './discover.js';

export interface Replacement { ingestionId: string; rows: number; periods: string[] }

export function scopeKeyFor(unit: ExportUnit, accounts: string[], forced?: string): string {
  const cfg = unit.manifest?.exportConfig;
  if (forced) return forced;
  if (cfg?.resourceId) return `export:${cfg.resourceId.toLowerCase()}`;
  if (cfg?.exportName) return `export:${cfg.exportName}`;
  const stem = basename(unit.source).replace(/\.gz$/i, '').replace(/\.(csv|parquet)$/i, '');
  return `file:${accounts.join('+')}|${stem}`;
}

export function exportTimeFor(unit: ExportUnit): Date {
  const submitted = unit.manifest?.runInfo?.submittedTime ? new Date(unit.manifest.runInfo.submittedTime) : null;
  if (submitted && !Number.isNaN(submitted.getTime())) return submitted;
  return new Date(Math.max(...unit.files.map((f) => statSync(f.path).mtimeMs)));
}

/** The billing periods (YYYY-MM-DD) as one DATE[] parameter. */
const periodList = (periods: string[]): Sql => sql`CAST(${textList(periods)} AS DATE[])`;

type Earlier = { ingestion_id: string; export_time: string | null; billing_periods: string[] };

/** Active ingestions of the same scope sharing a billing period, oldest first. */
export async function overlappingIngestions(store: Store, scopeKey: string, periods: string[]): Promise<Earlier[]> {
  return store.query<Earlier>(
    sql`SELECT ingestion_id, CAST(export_time AS VARCHAR) AS export_time, CAST(billing_periods AS VARCHAR[]) AS billing_periods
     FROM ingestions
     WHERE kind = 'focus' AND scope_key = ${scopeKey} AND status <> 'replaced' AND list_has_any(billing_periods, ${periodList(periods)})
     ORDER BY ingested_at`);
}

/** The first earlier ingestion exported after `exportTime`, if any: then the new export is the stale one. */
export function newerThan(earlier: Earlier[], exportTime: Date): Earlier | undefined {
  return earlier.find((o) => o.export_time !== null && new Date(`${o.export_time}Z`) > exportTime);
}

/** Delete the earlier ingestions' rows of the new export's periods and mark them (partially) replaced. */
export async function replaceEarlier(store: Store, earlier: Earlier[], periods: string[]): Promise<Replacement[]> {
  const out: Replacement[] = [];
  for (const o of earlier) {
    const where = sql`tl_ingestion_id = ${o.ingestion_id} AND CAST(BillingPeriodStart AS DATE) IN (SELECT unnest(${periodList(periods)}))`;
    const [{ n }] = (await store.query<{ n: string }>(sql`SELECT count(*) AS n FROM billing_rows WHERE ${where}`)) as [{ n: string }];
    await store.query(sql`DELETE FROM billing_rows WHERE ${where}`);
    await deleteFromRollup(store, where);
    const left = o.billing_periods.filter((p) => !periods.includes(p));
    await store.query(
      sql`UPDATE ingestions SET status = ${left.length ? 'partially_replaced' : 'replaced'} WHERE ingestion_id = ${o.ingestion_id}`);
    out.push({ ingestionId: o.ingestion_id, rows: Number(n), periods: o.billing_periods.filter((p) => periods.includes(p)) });
  }
  return out;
}

const OVERLAP = loadSql(import.meta.url, 'overlap.sql');
const CANDIDATES = loadSql(import.meta.url, 'overlap-candidates.sql');

/**
 * Refuse a bare file whose charges are already in the ledger from another file of the same billing account
 * and period (a re-delivery under another name): counting them again would double the month.
 */
export async function refuseOverlap(store: Store, o: { ingestionId: string; source: string; scopeKey: string; accounts: string[];
  periods: string[] }): Promise<void> {
  if (!o.accounts.length || !o.periods.length) return;
  const candidates = await store.query<{ ingestion_id: string }>(fill(CANDIDATES, { SCOPE: value(o.scopeKey),
    ACCOUNTS: textList(o.accounts), PERIODS: periodList(o.periods) }));
  if (!candidates.length) return;
  const [hit] = await store.query<{ ingestion_id: string; source: string; scope_key: string; ingested_at: string; shared: string;
    charges: string }>(fill(OVERLAP, { ID: value(o.ingestionId), EARLIER: textList(candidates.map((c) => c.ingestion_id)) }));
  if (!hit) return;
  throw new InputError({ file: o.source },
    `${hit.shared} of its ${hit.charges} charges (same account, charge period, resource, meter, quantity and cost) are already in the ` +
      `ledger from ${hit.source} (${hit.ingestion_id}, ingested ${hit.ingested_at.slice(0, 19)}); adding them would count them twice`, {
      hint: `If this file is a newer delivery of the same export, ingest it with --scope "${hit.scope_key}": it then replaces the ` +
        'earlier file for its billing periods (the newer export wins). If not, check that the two files do not overlap.',
    });
}
