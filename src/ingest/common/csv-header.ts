/**
 * Reads the header record of a CSV (or CSV.gz) file. DuckDB's sniffer, asked to guess, may pick a later
 * line as the header when one row is ragged and silently drop the rows before it; tokenledger therefore
 * reads the header itself and gives DuckDB the exact column list, so a ragged row is an error with its line.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../domain/errors.js';
import { assertUtf8File, encodingProblem, Utf8Check } from './encoding.js';

const MAX_HEADER_BYTES = 1 << 20;

/** Parse the first CSV record of `text` (RFC 4180 quoting). Returns null if the record is not complete. */
export function parseFirstRecord(text: string): string[] | null {
  const fields: string[] = [];
  let cur = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cur += '"'; i += 2; continue; }
        quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { fields.push(cur); cur = ''; }
    else if (ch === '\n' || ch === '\r') { fields.push(cur); return fields; }
    else cur += ch;
    i++;
  }
  return null;
}

async function readHead(path: string): Promise<Buffer> {
  const input = createReadStream(path, { end: path.toLowerCase().endsWith('.gz') ? undefined : MAX_HEADER_BYTES });
  const stream = path.toLowerCase().endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      const text = Buffer.concat(chunks).toString('latin1');
      if (/[\r\n]/.test(text.replace(/"[^"]*"/g, '')) || bytes > MAX_HEADER_BYTES) break;
    }
  } finally {
    input.destroy();
  }
  return Buffer.concat(chunks);
}

/**
 * The header's text, once its encoding is known to be right: UTF-16, binary content or gzip without .gz
 * are named as such (not as "missing columns"), and so is invalid UTF-8 in the header line.
 */
function headerText(path: string, raw: Buffer): string {
  const found = encodingProblem(raw.subarray(0, 4096), path);
  if (found) throw new InputError({ file: path, line: found.line ?? 1 }, found.problem, { hint: found.hint });
  const nl = raw.findIndex((b) => b === 10 || b === 13);
  const check = new Utf8Check(path);
  check.push(nl < 0 ? raw : raw.subarray(0, nl));
  if (nl >= 0) check.end();
  return raw.toString('utf8');
}

/**
 * The header of a CSV file. `wholeFile`: the whole file is checked to be UTF-8 first; readers that take a
 * few of a file's columns need it (see common/encoding.ts), readers of every column get it from the checksum.
 */
export async function readCsvHeader(path: string, o: { wholeFile?: boolean } = {}): Promise<string[]> {
  if (o.wholeFile) await assertUtf8File(path);
  let raw: Buffer;
  try {
    raw = await readHead(path);
  } catch (e) {
    throw new InputError({ file: path }, `the gzip stream is corrupt or truncated (${(e as Error).message}); expected a complete .gz file`,
      {
      hint: 'Download the export part again; a partial upload ends like this.',
    });
  }
  const head = headerText(path, raw);
  const text = head.replace(/^\uFEFF/, '');
  const fields = parseFirstRecord(text.includes('\n') || text.includes('\r') ? text : text + '\n');
  if (!fields || fields.every((f) => f.trim() === '')) {
    throw new InputError({ file: path, line: 1 }, 'no header row; expected the column names on the first line');
  }
  const seen = new Map<string, number>();
  for (const [i, f] of fields.entries()) {
    const key = f.trim().toLowerCase();
    if (key === '') throw new InputError({ file: path, line: 1 }, `header field ${i + 1} is empty; every column needs a name`);
    // a NUL cannot be part of a column name (DuckDB's parser ends the name there)
    if (f.includes('\u0000')) throw new InputError({ file: path, line: 1 },
      `header field ${i + 1} holds a NUL byte; expected a column name`);
    if (seen.has(key))
      throw new InputError({ file: path, line: 1 }, `column ${f} appears twice in the header (fields ${seen.get(key)! + 1} and ${i + 1})`);
    seen.set(key, i);
  }
  return fields;
}

/**
 * The physical line (1-based) of a CSV record, for messages: DuckDB numbers records (blank lines skipped) and
 * its own errors count lines without the line breaks inside quoted fields, so both are off after blank lines
 * or quoted newlines. `record`: the n-th data record (1-based, the header is record 0); `duckdbLine`: the line
 * as DuckDB's CSV errors count it (records and blank lines). Null when the file has no such record.
 */
export async function csvPhysicalLine(path: string, at: { record?: number; duckdbLine?: number }): Promise<number | null> {
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = path.toLowerCase().endsWith('.gz') ? input.pipe(createGunzip()) : input;
  let line = 1;
  let logical = 0; // DuckDB's count: records and blank lines
  let record = -1; // the header is record 0
  let inRecord = false;
  let quoted = false;
  let prevCr = false;
  try {
    for await (const chunk of stream) {
      const text = (chunk as Buffer).toString('latin1');
      for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 10 && prevCr) { prevCr = false; continue; } // the \n of \r\n
        prevCr = ch === 13;
        const eol = ch === 10 || ch === 13;
        if (!inRecord) {
          logical++;
          if (at.duckdbLine === logical) return line;
          if (eol) { line++; continue; } // a blank line: not a record
          record++;
          if (at.record === record) return line;
          inRecord = true;
        }
        if (ch === 34) quoted = !quoted;
        else if (eol) {
          line++;
          if (!quoted) inRecord = false;
        }
      }
    }
  } catch {
    return null;
  } finally {
    input.destroy();
  }
  return null;
}
