/**
 * FOCUS 1.3 Recency metadata: JSON a provider publishes beside its export (a Recency object, or a
 * metadata document with a Recency collection) saying when each dataset instance was last updated and
 * which time sectors are complete. Found next to the data by `ingest focus` and kept in focus_recency
 * for `tokenledger check`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { sql } from '../../store/sql.js';
import { kindOf, walkFolder } from '../common/files.js';

interface Sector { TimeSectorStart?: string; TimeSectorEnd?: string; TimeSectorComplete?: boolean; TimeSectorLastUpdated?: string }
interface RecencyObject {
  DatasetInstanceId?: string; RecencyLastUpdated?: string; RecencyLastUpdateDate?: string;
  DatasetInstanceComplete?: boolean; DatasetInstanceLastUpdated?: string; TimeSectors?: Sector[];
}

export interface RecencyFile { path: string; objects: RecencyObject[] }

/** The recency objects of a parsed JSON document: a Recency object, a list of them, or metadata with Recency. */
function recencyObjects(doc: unknown): RecencyObject[] | null {
  if (Array.isArray(doc))
    return doc.every(
      (d) => d && typeof d === 'object' && ('TimeSectors' in d || 'RecencyLastUpdated' in d || 'RecencyLastUpdateDate' in d)) && doc.length
      ? doc as RecencyObject[] : null;
  if (!doc || typeof doc !== 'object') return null;
  const o = doc as Record<string, unknown>;
  if ('Recency' in o) return recencyObjects(Array.isArray(o.Recency) ? o.Recency : [o.Recency]);
  if ('TimeSectors' in o || 'RecencyLastUpdated' in o || 'RecencyLastUpdateDate' in o) return [o as RecencyObject];
  return null;
}

/** JSON files under the paths (other than manifest.json) that carry recency metadata. */
export function findRecencyFiles(paths: string[]): RecencyFile[] {
  const files: string[] = [];
  const walk = (dir: string) => walkFolder(dir, (p) => {
    if (p.toLowerCase().endsWith('.json') && basename(p) !== 'manifest.json') files.push(p);
  });
  for (const raw of paths) {
    const p = resolve(raw);
    if (!existsSync(p)) continue;
    if (kindOf(p) === 'dir') walk(p);
    else if (p.toLowerCase().endsWith('.json') && basename(p) !== 'manifest.json') files.push(p);
  }
  const out: RecencyFile[] = [];
  for (const path of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      continue; // not JSON we understand: not ours to judge (other tools leave files beside exports)
    }
    const objects = recencyObjects(doc);
    if (objects) out.push({ path, objects });
  }
  return out;
}

const ts = (v: unknown, path: string, what: string): string | null => {
  if (v === undefined || v === null || v === '') return null;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime()))
    throw new InputError({ file: path }, `${what} ${JSON.stringify(v)} is not a date-time; expected ISO 8601 such as 2026-10-01T00:00:00Z`);
  return d.toISOString().replace('T', ' ').replace('Z', '');
};

/** Store the recency files (inside the caller's transaction); a dataset instance's newer file replaces the older. */
export async function storeRecency(store: Store, files: RecencyFile[], at: string): Promise<number> {
  let rows = 0;
  for (const f of files) {
    for (const [i, o] of f.objects.entries()) {
      const id = o.DatasetInstanceId ?? `${f.path}#${i}`;
      const last = ts(o.RecencyLastUpdated ?? o.RecencyLastUpdateDate ?? o.DatasetInstanceLastUpdated, f.path, 'RecencyLastUpdated');
      const [prev] = await store.query<{ last: string | null }>(
        sql`SELECT CAST(max(recency_last_updated) AS VARCHAR) AS last FROM focus_recency WHERE dataset_instance_id = ${id}`);
      if (prev?.last && last && prev.last > last) continue; // older than what the store has
      await store.query(sql`DELETE FROM focus_recency WHERE dataset_instance_id = ${id}`);
      const sectors = o.TimeSectors?.length ? o.TimeSectors : [{}];
      for (const s of sectors) {
        const [start, end, lastSector] = [ts(s.TimeSectorStart, f.path, 'TimeSectorStart'), ts(s.TimeSectorEnd, f.path, 'TimeSectorEnd'),
          ts(s.TimeSectorLastUpdated, f.path, 'TimeSectorLastUpdated')];
        await store.query(
          sql`INSERT INTO focus_recency VALUES (${id}, ${f.path}, CAST(${last} AS TIMESTAMP), ${o.DatasetInstanceComplete ?? null},
          CAST(${start} AS TIMESTAMP), CAST(${end} AS TIMESTAMP), ${s.TimeSectorComplete ?? null}, CAST(${lastSector} AS TIMESTAMP),
            CAST(${at} AS TIMESTAMP))`);
        rows++;
      }
    }
  }
  return rows;
}
