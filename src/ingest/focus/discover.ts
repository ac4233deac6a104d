/**
 * Turns the paths a user gives into exports to ingest. A file is one export. A folder holding a
 * manifest.json is one export made of the parts the manifest lists. Any other folder is searched
 * recursively for data files (.csv, .csv.gz, .parquet) and for export folders.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { TokenledgerError } from '../../domain/errors.js';
import type { DataFormat } from '../common/reader.js';
import { readManifest, type Manifest } from './manifest.js';

export type { DataFormat } from '../common/reader.js';

export interface ExportUnit {
  /** What the user sees: the file, or the export folder. */
  source: string;
  files: { path: string; format: DataFormat; expectedRows?: number }[];
  manifest?: Manifest;
}

export function formatOf(path: string): DataFormat | null {
  const p = path.toLowerCase();
  if (p.endsWith('.parquet')) return 'parquet';
  if (p.endsWith('.csv') || p.endsWith('.csv.gz') || p.endsWith('.gz')) return 'csv';
  return null;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function manifestUnit(dir: string): ExportUnit {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = readManifest(manifestPath);
  const present = new Map(listFiles(dir).map((p) => [basename(p), p]));
  const files = manifest.blobs.map((b) => {
    const name = basename(b.blobName);
    const path = present.get(name);
    if (!path) {
      throw new TokenledgerError(`${manifestPath}: part ${b.blobName} is listed in the manifest but missing from ${dir}`, {
        hint: 'The export may still be uploading; ingest it once every part is there.',
      });
    }
    const format = formatOf(path);
    if (!format) throw new TokenledgerError(`${path}: unsupported part format (expected .csv, .csv.gz or .parquet)`);
    return { path, format, ...(b.dataRowCount === undefined ? {} : { expectedRows: b.dataRowCount }) };
  });
  return { source: dir, files, manifest };
}

function walk(dir: string, out: ExportUnit[]): void {
  if (existsSync(join(dir, 'manifest.json'))) {
    out.push(manifestUnit(dir));
    return;
  }
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (formatOf(p)) out.push({ source: p, files: [{ path: p, format: formatOf(p)! }] });
  }
}

/** Expand user paths into exports, in a stable order. Throws on a path that does not exist. */
export function discoverExports(paths: string[]): ExportUnit[] {
  const out: ExportUnit[] = [];
  for (const raw of paths) {
    const p = resolve(raw);
    if (!existsSync(p)) throw new TokenledgerError(`${raw}: no such file or folder`);
    if (statSync(p).isDirectory()) {
      const before = out.length;
      walk(p, out);
      if (out.length === before) {
        throw new TokenledgerError(`${raw}: no FOCUS data files found (looked for .csv, .csv.gz, .parquet and manifest.json)`);
      }
    } else {
      const format = formatOf(p);
      if (!format) throw new TokenledgerError(`${raw}: unsupported file type (expected .csv, .csv.gz or .parquet)`);
      out.push({ source: p, files: [{ path: p, format }] });
    }
  }
  return out;
}
