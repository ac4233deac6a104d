/**
 * What a text input is encoded as, said before DuckDB reads it. DuckDB's readers say "missing columns" of a
 * UTF-16 file, and one invalid UTF-8 byte in a column a CSV scan leaves out (the telemetry readers read a
 * few columns of an export) makes DuckDB 1.5 fail fatally ("Attempted to access index 7 within vector of
 * size 5"; the database is invalidated and every later statement fails): such files are refused here, by
 * name, line and byte, before DuckDB sees them.
 *
 * 1. `encodingProblem`: from the first bytes: UTF-16 / UTF-32 (BOM or NUL pattern), gzip content without
 *    .gz, binary content (NUL bytes).
 * 2. `Utf8Check`: a streaming UTF-8 validator that keeps the line count (chunks may split a character).
 * 3. `assertUtf8File`: the whole file (decompressed when .gz) through 1 and 2.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { InputError } from '../../domain/errors.js';

const SAVE_AS_UTF8 = 'Save or export the file as UTF-8 (in Excel: "CSV UTF-8"; in PowerShell: Out-File -Encoding utf8).';

const isGz = (path: string) => path.toLowerCase().endsWith('.gz');

/** 1. What is wrong with a text file's encoding, judged from its first bytes (decompressed when .gz); null when nothing is. */
export function encodingProblem(head: Buffer, path: string): { problem: string; hint: string; line?: number } | null {
  const b = head;
  if (
    b.length >= 4 &&
    (b.subarray(0, 4).equals(Buffer.from([0xff, 0xfe, 0, 0])) || b.subarray(0, 4).equals(Buffer.from([0, 0, 0xfe, 0xff])))
  )
    return { problem: 'the file is UTF-32 encoded; expected UTF-8', hint: SAVE_AS_UTF8 };
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)))
    return {
      problem: `the file is UTF-16 encoded (${b[0] === 0xff ? 'little' : 'big'}-endian byte order mark); expected UTF-8`,
      hint: SAVE_AS_UTF8,
    };
  // UTF-16 without a BOM: every other byte of ASCII text is NUL
  const sample = b.subarray(0, 200);
  const nulAt = (odd: number) => sample.filter((_, i) => i % 2 === odd).every((x) => x === 0);
  if (sample.length >= 8 && (nulAt(0) || nulAt(1)))
    return { problem: 'the file looks UTF-16 encoded (every other byte is 0); expected UTF-8', hint: SAVE_AS_UTF8 };
  if (!isGz(path) && b[0] === 0x1f && b[1] === 0x8b)
    return { problem: 'the file is gzip-compressed but its name does not end in .gz', hint: 'Rename it to end in .gz, or decompress it.' };
  if (b.includes(0)) {
    const at = b.indexOf(0);
    let line = 1;
    for (let i = b.indexOf(10); i >= 0 && i < at; i = b.indexOf(10, i + 1)) line++;
    return {
      problem:
        `the ${isGz(path) ? 'decompressed content' : 'file'} holds binary data (a NUL byte on line ${line}, byte ${at + 1}); ` +
        'expected UTF-8 text',
      hint: 'Check that this is the exported file and not a damaged or different one.',
      line,
    };
  }
  return null;
}

/** The first `bytes` bytes of a file, decompressed when it is .gz (as far as the compressed start allows). */
export function headBytes(path: string, bytes = 4096): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(isGz(path) ? 64 * 1024 : bytes);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (!isGz(path)) return buf.subarray(0, n);
    try {
      return gunzipSync(buf.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, bytes);
    } catch {
      return Buffer.alloc(0); // a corrupt stream: the gzip check says so
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether the (decompressed) file starts with a UTF-8 byte order mark. */
export function startsWithBom(path: string): boolean {
  const b = headBytes(path, 3);
  return b.length === 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/** 2. UTF-8 validation over chunks: `push` each chunk, then `end`; either throws an InputError at the first bad byte's line. */
export class Utf8Check {
  private carry = Buffer.alloc(0);
  private line = 1;
  private offset = 0;
  constructor(private readonly path: string) {}

  push(chunk: Buffer): void {
    if (this.offset === 0 && this.carry.length === 0) {
      // the start says more than a byte can: UTF-16, binary content, gzip without .gz
      const found = encodingProblem(chunk.subarray(0, 4096), this.path);
      if (found) {
        throw new InputError({ file: this.path, ...(found.line ? { line: found.line } : {}) }, found.problem, { hint: found.hint });
      }
    }
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    // keep an incomplete character at the end for the next chunk (a lead byte within the last 3 bytes)
    let end = buf.length;
    for (let i = buf.length - 1; i >= Math.max(0, buf.length - 3); i--) {
      const x = buf[i]!;
      if (x < 0x80) break;
      if (x >= 0xc0) {
        const need = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : 2;
        if (buf.length - i < need) end = i;
        break;
      }
    }
    const body = buf.subarray(0, end);
    if (!isUtf8(body)) this.fail(body);
    this.count(body);
    this.carry = Buffer.from(buf.subarray(end));
  }

  end(): void {
    if (this.carry.length) this.fail(this.carry);
  }

  private count(b: Buffer): void {
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) this.line++;
    this.offset += b.length;
  }

  /** Find the first invalid sequence in `b` (the slow path, once) and throw. */
  private fail(b: Buffer): never {
    const good = firstInvalidUtf8(b);
    const before = b.subarray(0, good);
    let line = this.line;
    for (let i = before.indexOf(10); i >= 0; i = before.indexOf(10, i + 1)) line++;
    const byte = b[good] ?? 0;
    throw new InputError(
      { file: this.path, line },
      `invalid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte ${this.offset + good + 1} of the ` +
        `${isGz(this.path) ? 'decompressed content' : 'file'}); expected UTF-8 text`,
      { hint: SAVE_AS_UTF8 },
    );
  }
}

/** The offset of the first byte of `b` that does not start a valid UTF-8 character (b.length when none). */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const x = b[i]!;
    const size = x < 0x80 ? 1 : x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
    if (size === 0 || i + size > b.length || !isUtf8(b.subarray(i, i + size))) return i;
    i += size;
  }
  return i;
}

/** 3. Refuse a file that is not UTF-8 text (whole file, decompressed when .gz), naming line and byte. */
export async function assertUtf8File(path: string): Promise<void> {
  const found = encodingProblem(headBytes(path), path);
  if (found) throw new InputError({ file: path, ...(found.line ? { line: found.line } : {}) }, found.problem, { hint: found.hint });
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = isGz(path) ? input.pipe(createGunzip({ chunkSize: 1 << 20 })) : input;
  const check = new Utf8Check(path);
  try {
    for await (const chunk of stream) check.push(chunk as Buffer);
    check.end();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError({ file: path }, `the gzip stream is corrupt or truncated (${(e as Error).message}); expected a complete .gz file`);
  } finally {
    input.destroy();
  }
}
