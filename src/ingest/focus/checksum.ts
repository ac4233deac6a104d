/**
 * Content checksums (what makes re-ingesting the same export a no-op) and gzip integrity: DuckDB reads a
 * truncated .gz without complaint and returns garbage, so every .gz is fully decompressed here first.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../domain/errors.js';

export interface FileDigest {
  sha256: string;
  bytes: number;
  /** Uncompressed size, for progress. */
  rawBytes: number;
}

export async function digestFile(path: string): Promise<FileDigest> {
  const bytes = statSync(path).size;
  if (bytes === 0) throw new InputError({ file: path }, 'the file is empty (0 bytes); expected a FOCUS export with a header row and data rows');
  const hash = createHash('sha256');
  const gz = path.toLowerCase().endsWith('.gz');
  let rawBytes = gz ? 0 : bytes;
  await new Promise<void>((resolvePromise, reject) => {
    const input = createReadStream(path, { highWaterMark: 1 << 20 });
    input.on('data', (chunk) => hash.update(chunk));
    input.on('error', reject);
    if (!gz) {
      input.on('end', () => resolvePromise());
      return;
    }
    // 1 MiB output chunks: the default 16 KiB makes decompression about 6x slower
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    gunzip.on('data', (chunk: Buffer) => { rawBytes += chunk.length; });
    gunzip.on('end', () => resolvePromise());
    gunzip.on('error', (e) => reject(new InputError({ file: path }, `the gzip stream is corrupt or truncated (${e.message}); expected a complete .gz file`, {
      hint: 'Download the export part again; a partial upload ends like this.',
    })));
    input.pipe(gunzip);
  });
  if (gz && rawBytes === 0) throw new InputError({ file: path }, 'the file is empty once decompressed; expected a header row and data rows');
  return { sha256: hash.digest('hex'), bytes, rawBytes };
}

/** One checksum for an export of several parts: sha256 over the parts' checksums in order. */
export function combineDigests(parts: string[]): string {
  if (parts.length === 1) return parts[0]!;
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
