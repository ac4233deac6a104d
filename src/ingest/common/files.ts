/**
 * The files a command reads, and where a JSON-lines file among them goes wrong. Paths a user gives become
 * files: files as given, folders searched recursively (in a stable order) for .jsonl / .ndjson / .json /
 * .csv, optionally .gz; telemetry and events list their inputs this way (FOCUS has its own discovery: an
 * export folder is one unit). DuckDB's JSON reader says that a file is malformed but not reliably on which
 * line, and counts records, not lines (blank lines are skipped): Node finds the line after DuckDB refused.
 */
import { createReadStream, existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { InputError, TokenledgerError } from '../../domain/errors.js';
import { firstInvalidUtf8, startsWithBom } from './encoding.js';
import { cut, isReaderError, readerErrorAt } from './reader.js';

const DATA_FILE = /\.(jsonl|ndjson|json|csv)(\.gz)?$/i;

/**
 * Walk a folder in a stable order: `onFolder(dir)` says whether to go into a folder (false: the caller took
 * it whole, as an export folder), `onFile` gets every file. Symbolic links are followed, but a link back to
 * a folder being walked (a loop), a broken link and an unreadable folder are InputErrors naming the link,
 * never a stack trace; a second link to a folder already walked is not walked again.
 */
export function walkFolder(root: string, onFile: (path: string) => void, onFolder: (dir: string) => boolean = () => true): void {
  const done = new Set<string>();
  const visit = (dir: string, chain: string[]) => {
    const real = realOf(dir);
    if (chain.includes(real))
      throw new InputError({ file: dir },
        `a symbolic link loop: this folder is ${real}, which contains it; expected a folder tree without loops`,
        { hint: 'Remove the link, or give tokenledger the folder it points to.' });
    if (done.has(real)) return;
    done.add(real);
    if (!onFolder(dir)) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      throw new InputError({ file: dir }, `cannot list the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    for (const name of names) {
      const p = join(dir, name);
      if (kindOf(p) === 'dir') visit(p, [...chain, real]);
      else onFile(p);
    }
  };
  visit(root, []);
}

function realOf(p: string): string {
  try {
    return realpathSync(p);
  } catch (e) {
    throw linkError(p, e);
  }
}

/** Whether a path is a folder or a file, through symbolic links; a broken link or a loop of links is an InputError. */
export function kindOf(p: string): 'dir' | 'file' {
  try {
    return statSync(p).isDirectory() ? 'dir' : 'file';
  } catch (e) {
    throw linkError(p, e);
  }
}

function linkError(p: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  let target = '';
  try {
    target = lstatSync(p).isSymbolicLink() ? ` (a symbolic link to ${readlinkSync(p)})` : '';
  } catch { /* the path itself is gone */ }
  if (code === 'ELOOP') return new InputError({ file: p }, `a symbolic link loop${target}; expected a file or folder`);
  if (code === 'ENOENT') return new InputError({ file: p }, `a broken symbolic link${target}: what it points to does not exist`);
  return new InputError({ file: p }, `cannot read${target} (${code ?? (e as Error).message})`);
}

/** Expand paths into files; `what` names them in the error for a folder without any. */
export function listDataFiles(paths: string[], what: string): string[] {
  const out: string[] = [];
  for (const raw of paths) {
    const p = resolve(raw);
    if (!existsSync(p) && !isLink(p)) throw new TokenledgerError(`${raw}: no such file or folder`);
    if (kindOf(p) === 'dir') {
      const before = out.length;
      walkFolder(p, (f) => { if (DATA_FILE.test(f)) out.push(f); });
      if (out.length === before) throw new TokenledgerError(`${raw}: no ${what} files found (looked for .jsonl, .ndjson, .json, .csv)`);
    } else out.push(p);
  }
  return out;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The lines of a (decompressed) file as bytes, split at \n as DuckDB's JSON reader splits them (a bare \r
 * is not a line end there), without the \r of \r\n.
 */
async function* rawLines(path: string): AsyncGenerator<Buffer> {
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = path.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  let rest = Buffer.alloc(0);
  try {
    for await (const chunk of stream) {
      let buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
      for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
        yield buf.subarray(0, nl > 0 && buf[nl - 1] === 13 ? nl - 1 : nl);
        buf = buf.subarray(nl + 1);
      }
      rest = Buffer.from(buf);
    }
    if (rest.length) yield rest;
  } finally {
    input.destroy();
  }
}

const blank = (b: Buffer) => b.every((x) => x === 32 || x === 9 || x === 13);

/** A line of a JSON-lines file that is not one JSON value: where, an excerpt, and what is wrong with it. */
export interface BadJsonLine { line: number; text: string; problem: string }

/** The first line of a JSONL file that is not valid JSON (slow path, only after DuckDB refused the file). */
export async function firstBadJsonLine(path: string): Promise<BadJsonLine | null> {
  let n = 0;
  for await (const raw of rawLines(path)) {
    n++;
    if (blank(raw)) continue;
    const bytes = n === 1 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
    const text = bytes.toString('utf8');
    if (!isUtf8(bytes)) {
      const at = firstInvalidUtf8(bytes);
      const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
      return { line: n, text: cut(text, 80), problem: `invalid UTF-8 (byte 0x${byte} at byte ${at + 1} of the line); expected UTF-8 text` };
    }
    try {
      JSON.parse(text);
    } catch (e) {
      const problem = text.includes('\r') ? 'lines end in a bare carriage return (\\r); expected \\n or \\r\\n line ends'
        : text.includes('\uFEFF') ? 'a byte order mark inside the file (files joined together?); expected one JSON object per line'
          : `not valid JSON (${(e as Error).message.split('\n')[0]}); expected one JSON object per line`;
      return { line: n, text: cut(text, 80), problem };
    }
  }
  return null;
}

/** The InputError for a bad JSON line (or for the file, when no line is bad but DuckDB refused it). */
export function badJsonError(path: string, bad: BadJsonLine | null, fallback = 'not valid JSON; expected one JSON object per line'):
  InputError {
  return bad ? new InputError({ file: path, line: bad.line }, `${bad.problem}: ${JSON.stringify(bad.text)}`)
    : new InputError({ file: path }, fallback);
}

/**
 * A DuckDB failure reading `path` as the InputError it is, or null when it is not a reader failure (a bug:
 * the caller rethrows it). A JSON file is searched for its first bad line; a CSV's line is its physical line.
 */
export async function readFailure(path: string, e: unknown): Promise<InputError | null> {
  if (e instanceof InputError) return e;
  if (!isReaderError(e)) return null;
  if (/\.(jsonl|ndjson|json)(\.gz)?$/i.test(path)) {
    const bad = await firstBadJsonLine(path).catch(() => null);
    if (bad) return badJsonError(path, bad);
  }
  return readerErrorAt(path, e);
}

/** The line of the n-th JSON record (1-based; blank lines are not records, as for DuckDB's reader). */
export async function jsonRecordLine(path: string, record: number): Promise<number> {
  let n = 0;
  let seen = 0;
  for await (const raw of rawLines(path)) {
    n++;
    if (!blank(raw) && ++seen === record) return n;
  }
  return record;
}

/** DuckDB's JSON-lines format for a file: 'auto' when it starts with a UTF-8 BOM (newline_delimited refuses one). */
export function jsonLinesFormat(path: string): 'auto' | 'newline_delimited' {
  return startsWithBom(path) ? 'auto' : 'newline_delimited';
}
