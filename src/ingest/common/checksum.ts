/**
 * Content checksums (what makes re-ingesting the same export a no-op) and gzip integrity: DuckDB reads a
 * truncated .gz without complaint and returns garbage, so every .gz is fully decompressed here too. The
 * checksum of the bytes on disk is fast and known first; that of a .gz's decompressed content comes from the
 * gzip check, which runs while DuckDB reads the same file, and is what a plain copy of the file matches.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../domain/errors.js';
import { Utf8Check } from './encoding.js';

export interface FileDigest {
  sha256: string;
  bytes: number;
}

const CHUNK = 1 << 20;

/**
 * sha256 of a file. `allowed`, when given, says how far into the file the checksum may read for now: it
 * keeps the checksum just ahead of DuckDB reading the same file, so that one read from disk serves both
 * (on a machine whose page cache does not hold the whole file, reading it twice cost a fifth more time).
 * A negative `allowed` abandons the checksum (the caller no longer wants it).
 */
export async function digestFile(path: string, allowed?: () => number,
  o: { utf8?: boolean; expected?: string } = {}): Promise<FileDigest> {
  const bytes = statSync(path).size;
  if (bytes === 0)
    throw new InputError({ file: path },
      `the file is empty (0 bytes); expected ${o.expected ?? 'a FOCUS export with a header row and data rows'}`);
  const hash = createHash('sha256');
  // `utf8`: a text file is checked to be UTF-8 on the same read (common/encoding.ts says why)
  const text = o.utf8 ? new Utf8Check(path) : null;
  let read = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    hash.update(chunk as Buffer);
    text?.push(chunk as Buffer);
    read += (chunk as Buffer).length;
    while (allowed && read > allowed()) {
      if (allowed() < 0) throw new Error(`checksum of ${path} abandoned`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  text?.end();
  return { sha256: hash.digest('hex'), bytes };
}

/** Resolve with the uncompressed size when `path` is a complete gzip stream; reject with an InputError otherwise. */
export async function verifyGzip(path: string, o: { utf8?: boolean } = {}): Promise<number> {
  return (await gunzipDigest(path, o)).bytes;
}

/**
 * The checksum of a .gz file's content once decompressed, and its size: what identifies the data whatever
 * its compression (a gzipped copy of a file has the plain file's content checksum). Rejects with an
 * InputError when the stream is not a complete gzip file. Runs in Node's thread pool while DuckDB reads.
 */
export function gunzipDigest(path: string, o: { utf8?: boolean } = {}): Promise<FileDigest> {
  return new Promise((resolvePromise, reject) => {
    let raw = 0;
    const hash = createHash('sha256');
    const input = createReadStream(path, { highWaterMark: CHUNK });
    // 1 MiB output chunks: the default 16 KiB makes decompression about 6x slower
    const gunzip = createGunzip({ chunkSize: CHUNK });
    const text = o.utf8 ? new Utf8Check(path) : null;
    gunzip.on('data', (chunk: Buffer) => {
      raw += chunk.length;
      hash.update(chunk);
      try {
        text?.push(chunk);
      } catch (e) {
        input.destroy();
        gunzip.destroy();
        reject(e as Error);
      }
    });
    gunzip.on('end', () => {
      try {
        text?.end();
      } catch (e) {
        reject(e as Error);
        return;
      }
      if (raw === 0) reject(new InputError({ file: path }, 'the file is empty once decompressed; expected a header row and data rows'));
      else resolvePromise({ sha256: hash.digest('hex'), bytes: raw });
    });
    gunzip.on('error',
      (e) => reject(new InputError({ file: path }, `the gzip stream is corrupt or truncated (${e.message}); expected a complete .gz file`, {
      hint: 'Download the export part again; a partial upload ends like this.',
    })));
    input.on('error', reject);
    input.pipe(gunzip);
  });
}

/** The content checksum of a file: of its decompressed content for .gz, of its bytes (already known) otherwise. */
export function contentDigest(path: string, bytesDigest: FileDigest, o: { utf8?: boolean } = {}): Promise<FileDigest> {
  return path.toLowerCase().endsWith('.gz') ? gunzipDigest(path, o) : Promise.resolve(bytesDigest);
}

const EDGE = 64 * 1024;

/**
 * A content fingerprint read in milliseconds: sha256 over the size, the first and the last 64 KiB. It names
 * an ingestion before the full checksum is known, so that the checksum of a large file can be computed while
 * DuckDB reads it; it is not the checksum (two files differing only in the middle share it).
 */
export async function fingerprintFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new InputError({ file: path }, 'the file is empty (0 bytes); expected a header row or records');
    const head = Buffer.alloc(Math.min(EDGE, size));
    const tail = Buffer.alloc(Math.min(EDGE, size));
    await handle.read(head, 0, head.length, 0);
    await handle.read(tail, 0, tail.length, size - tail.length);
    return createHash('sha256').update(String(size)).update('\n').update(head).update(tail).digest('hex');
  } finally {
    await handle.close();
  }
}

/** One checksum for an export of several parts: sha256 over the parts' checksums in order. */
export function combineDigests(parts: string[]): string {
  if (parts.length === 1) return parts[0]!;
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
