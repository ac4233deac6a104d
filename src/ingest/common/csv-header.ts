/**
 * Reads the header record of a CSV (or CSV.gz) file. DuckDB's sniffer, asked to guess, may pick a later
 * line as the header when one row is ragged and silently drop the rows before it; tokenledger therefore
 * reads the header itself and gives DuckDB the exact column list, so a ragged row is an error with its line.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../domain/errors.js';

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

async function readHead(path: string): Promise<string> {
  const input = createReadStream(path, { end: path.toLowerCase().endsWith('.gz') ? undefined : MAX_HEADER_BYTES });
  const stream = path.toLowerCase().endsWith('.gz') ? input.pipe(createGunzip()) : input;
  let text = '';
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8');
      if (/[\r\n]/.test(text.replace(/"[^"]*"/g, '')) || text.length > MAX_HEADER_BYTES) break;
    }
  } finally {
    input.destroy();
  }
  return text;
}

export async function readCsvHeader(path: string): Promise<string[]> {
  let head: string;
  try {
    head = await readHead(path);
  } catch (e) {
    throw new InputError({ file: path }, `the gzip stream is corrupt or truncated (${(e as Error).message}); expected a complete .gz file`,
      {
      hint: 'Download the export part again; a partial upload ends like this.',
    });
  }
  const text = head.replace(/^\uFEFF/, '');
  const fields = parseFirstRecord(text.includes('\n') || text.includes('\r') ? text : text + '\n');
  if (!fields || fields.every((f) => f.trim() === '')) {
    throw new InputError({ file: path, line: 1 }, 'no header row; expected the FOCUS column names on the first line');
  }
  const seen = new Map<string, number>();
  for (const [i, f] of fields.entries()) {
    const key = f.trim().toLowerCase();
    if (key === '') throw new InputError({ file: path, line: 1 }, `header field ${i + 1} is empty; every column needs a name`);
    if (seen.has(key))
      throw new InputError({ file: path, line: 1 }, `column ${f} appears twice in the header (fields ${seen.get(key)! + 1} and ${i + 1})`);
    seen.set(key, i);
  }
  return fields;
}
