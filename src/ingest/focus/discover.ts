/**
 * Turns the paths a user gives into exports to ingest. A file is one export. A folder holding a
 * manifest.json is one export made of the parts the manifest lists. Any other folder is searched
 * recursively for data files (.csv, .csv.gz, .parquet) and for export folders.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { InputError, TokenledgerError } from '../../domain/errors.js';
import { kindOf, walkFolder } from '../common/files.js';
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
  walkFolder(dir, (p) => out.push(p));
  return out;
}

/** A part must be inside its export folder: a symbolic link to a file elsewhere is refused, not followed. */
function insideExport(dir: string, path: string): void {
  const root = realpathSync(dir);
  const real = realpathSync(path);
  if (real !== root && !real.startsWith(root + sep))
    throw new InputError({ file: path },
      `the part is a symbolic link to ${real}, outside the export folder ${dir}; expected the export's own file`,
      { hint: 'Copy the part into the export folder (an export folder is one delivery: its parts belong to it).' });
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
    insideExport(dir, path);
    const format = formatOf(path);
    if (!format) throw new TokenledgerError(`${path}: unsupported part format (expected .csv, .csv.gz or .parquet)`);
    return { path, format, ...(b.dataRowCount === undefined ? {} : { expectedRows: b.dataRowCount }) };
  });
  return { source: dir, files, manifest };
}

function walk(root: string, out: ExportUnit[]): void {
  walkFolder(root, (p) => { if (formatOf(p)) out.push({ source: p, files: [{ path: p, format: formatOf(p)! }] }); }, (dir) => {
    if (!existsSync(join(dir, 'manifest.json'))) return true;
    out.push(manifestUnit(dir));
    return false;
  });
}

/** Expand user paths into exports, in a stable order. Throws on a path that does not exist. */
export function discoverExports(paths: string[]): ExportUnit[] {
  const out: ExportUnit[] = [];
  for (const raw of paths) {
    const p = resolve(raw);
    if (!existsSync(p)) throw new TokenledgerError(`${raw}: no such file or folder`);
    if (kindOf(p) === 'dir') {
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
