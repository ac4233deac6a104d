/**
 * The files a command reads, and where a JSON-lines file among them goes wrong. Paths a user gives become
 * files: files as given, folders searched recursively (in a stable order) for .jsonl / .ndjson / .json /
 * .csv, optionally .gz; telemetry and events list their inputs this way (FOCUS has its own discovery: an
 * export folder is one unit). DuckDB's JSON reader says that a file is malformed but not reliably on which
 * line, and counts records, not lines (blank lines are skipped): Node finds the line after DuckDB refused.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { TokenledgerError } from '../../domain/errors.js';

const DATA_FILE = /\.(jsonl|ndjson|json|csv)(\.gz)?$/i;

/** Expand paths into files; `what` names them in the error for a folder without any. */
export function listDataFiles(paths: string[], what: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (DATA_FILE.test(p)) out.push(p);
    }
  };
  for (const raw of paths) {
    const p = resolve(raw);
    if (!existsSync(p)) throw new TokenledgerError(`${raw}: no such file or folder`);
    if (statSync(p).isDirectory()) {
      const before = out.length;
      walk(p);
      if (out.length === before) throw new TokenledgerError(`${raw}: no ${what} files found (looked for .jsonl, .ndjson, .json, .csv)`);
    } else out.push(p);
  }
  return out;
}

function linesOf(path: string) {
  const input = createReadStream(path);
  const lines = createInterface({ input: path.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  return { input, lines };
}

/** The first line of a JSONL file that is not valid JSON (slow path, only after DuckDB refused the file). */
export async function firstBadJsonLine(path: string): Promise<{ line: number; text: string } | null> {
  const { input, lines } = linesOf(path);
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    try {
      JSON.parse(line.replace(/^\uFEFF/, ''));
    } catch {
      input.destroy();
      return { line: n, text: line.slice(0, 80) };
    }
  }
  return null;
}

/** The line of the n-th JSON record (1-based; blank lines are not records, as for DuckDB's reader). */
export async function jsonRecordLine(path: string, record: number): Promise<number> {
  const { input, lines } = linesOf(path);
  let n = 0;
  let seen = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() !== '' && ++seen === record) {
      input.destroy();
      return n;
    }
  }
  return record;
}
