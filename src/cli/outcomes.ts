/**
 * What an ingest command prints: one line per file or export (action, rows, format, ingestion, source,
 * detail), in the asked format; sources relative to the current folder in tables. Quiet tables print nothing.
 */
import { relative } from 'node:path';
import type { Effects } from '../app/effects.js';
import { render, type Format } from '../report/render.js';

export interface OutcomeLine { action: string; rows: number; format: string | null; ingestionId: string; source: string; detail: string }

export interface OutcomeTable { name: string; title: string; rowsLabel: string; formatKey: string; formatLabel: string; format: Format;
  quiet?: boolean | undefined }

export function printOutcomes(o: OutcomeTable, lines: OutcomeLine[], fx: Effects): void {
  if (o.quiet && o.format === 'table') return;
  fx.stdout(render({
    name: o.name,
    title: o.title,
    meta: {},
    columns: [
      { key: 'action', label: 'Action', kind: 'text' },
      { key: 'rows', label: o.rowsLabel, kind: 'int' },
      { key: o.formatKey, label: o.formatLabel, kind: 'text' },
      { key: 'ingestion_id', label: 'Ingestion', kind: 'text' },
      { key: 'source', label: 'Source', kind: 'text' },
      { key: 'detail', label: 'Detail', kind: 'text' },
    ],
    rows: lines.map((x) => ({
      action: x.action, rows: x.rows, [o.formatKey]: x.format, ingestion_id: x.ingestionId,
      source: o.format === 'table' ? relative(fx.cwd, x.source) || '.' : x.source, detail: x.detail,
    })),
  }, o.format, { width: fx.columns }));
}
