/**
 * Encoding checks (encoding.ts) and physical CSV lines (csv-header.ts csvPhysicalLine): the UTF-8 check
 * agrees with Node's decoder on any bytes cut into any chunks, names the right line, and says UTF-16,
 * binary or misnamed gzip for what they are; a record's physical line is right after blank lines, CRLF and
 * quoted line breaks, and DuckDB's own line count maps to it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { tempDir } from '../../test-support/focus-fixture.js';
import { csvPhysicalLine } from './csv-header.js';
import { encodingProblem, startsWithBom, Utf8Check } from './encoding.js';

function check(chunks: Buffer[]): InputError | null {
  const c = new Utf8Check('f.csv');
  try {
    for (const ch of chunks) c.push(ch);
    c.end();
    return null;
  } catch (e) {
    return e as InputError;
  }
}

/** Cut bytes at the given points (sorted, deduplicated). */
const cutAt = (b: Buffer, points: number[]) => {
  const ps = [...new Set(points.map((p) => p % (b.length + 1)))].sort((x, y) => x - y);
  return [0, ...ps].map((p, i) => b.subarray(p, ps[i] ?? b.length)).filter((x, i) => x.length || i === 0);
};

describe('Utf8Check', () => {
  it('accepts exactly what is valid UTF-8, however the bytes are chunked (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => Buffer.from(s, 'utf8'));
    const bytes = fc.oneof(
      text,
      fc.uint8Array({ maxLength: 60 }).map((a) => Buffer.from(a)),
      fc.tuple(text, fc.constantFrom(0xff, 0xc3, 0xe2, 0x80, 0xed, 0xf4), text).map(([a, x, b]) => Buffer.concat([a, Buffer.from([x]), b])),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(80), { maxLength: 6 }), (b, points) => {
        const valid = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
        let ok = true;
        try {
          valid.decode(b);
        } catch {
          ok = false;
        }
        // a leading NUL pattern or gzip magic is refused for its own reason: only bytes without those are compared
        if (encodingProblem(b.subarray(0, 4096), 'f.csv')) return;
        expect(check(cutAt(b, points)) === null).toBe(ok);
      }),
    );
  });

  it('names the line and byte of the first bad byte', () => {
    const err = check([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xe9]), Buffer.from(',4\n')]);
    expect(err?.location).toEqual({ file: 'f.csv', line: 3 });
    expect(err?.message).toMatch(/line 3: invalid UTF-8 \(byte 0xE9 at byte 11 of the file\)/);
    // a character split over two chunks is fine; one cut short at the end is not
    expect(check([Buffer.from([0x61, 0xc3]), Buffer.from([0xa9, 0x0a])])).toBeNull();
    expect(check([Buffer.from([0x61, 0x0a, 0xc3])])?.location.line).toBe(2);
  });
});

describe('encodingProblem', () => {
  it.each([
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]), /UTF-16 encoded \(little-endian/],
    ['UTF-16 BE with a BOM', Buffer.from([0xfe, 0xff, 0, 0x61, 0, 0x2c]), /UTF-16 encoded \(big-endian/],
    ['UTF-16 without a BOM', Buffer.from('timestamp,unit\n', 'utf16le'), /looks UTF-16/],
    ['UTF-32', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]), /UTF-32/],
    ['gzip without .gz', gzipSync('a,b\n'), /gzip-compressed but its name/],
    ['a NUL byte', Buffer.from('a,b\n1,\u00002\n'), /binary data \(a NUL byte on line 2, byte 7\)/],
  ])('%s', (_name, bytes, re) => {
    expect(encodingProblem(bytes, 'x.csv')?.problem).toMatch(re);
  });

  it('finds nothing wrong with UTF-8 text, a UTF-8 BOM, or gzip named .gz', () => {
    expect(encodingProblem(Buffer.from('\uFEFFa,b\n1,é\n'), 'x.csv')).toBeNull();
    expect(encodingProblem(Buffer.from('a,b\n'), 'x.csv.gz')).toBeNull(); // (decompressed content)
  });

  it('startsWithBom reads through gzip', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync('\uFEFF{}\n'));
    writeFileSync(join(dir, 'b.jsonl'), '{}\n');
    expect([startsWithBom(join(dir, 'a.jsonl.gz')), startsWithBom(join(dir, 'b.jsonl'))]).toEqual([true, false]);
  });
});

describe('csvPhysicalLine', () => {
  /** Records of 1 to 3 fields; a field may be quoted and hold line breaks; blank lines between records. */
  const field = fc.oneof(
    fc.stringMatching(/^[a-z0-9 ]{0,5}$/),
    fc.stringMatching(/^[a-z\n\r,"]{0,6}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
  );
  const csvFile = fc.tuple(
    fc.array(fc.tuple(fc.array(field, { minLength: 1, maxLength: 3 }), fc.nat(2)), { minLength: 1, maxLength: 8 }),
    fc.constantFrom('\n', '\r\n'),
  );

  it("is the line each record starts on, and maps DuckDB's line count to it (property)", async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(csvFile, async ([records, eol]) => {
        // expected: count physical lines as written
        let text = `h${eol}`;
        let line = 2;
        let logical = 2;
        const starts: { line: number; logical: number }[] = [];
        for (const [fields, blanks] of records) {
          for (let i = 0; i < blanks; i++) {
            text += eol;
            line++;
            logical++;
          }
          const rec = fields.join(',');
          if (rec === '') continue; // an empty record is a blank line
          starts.push({ line, logical });
          text += rec + eol;
          line += 1 + (rec.match(/\r\n|\r|\n/g)?.length ?? 0);
          logical++;
        }
        const path = join(dir, `f${n++}.csv`);
        writeFileSync(path, text);
        for (const [i, s] of starts.entries()) {
          expect(await csvPhysicalLine(path, { record: i + 1 })).toBe(s.line);
          expect(await csvPhysicalLine(path, { duckdbLine: s.logical })).toBe(s.line);
        }
        expect(await csvPhysicalLine(path, { record: starts.length + 1 })).toBeNull();
      }),
      { numRuns: 60 },
    );
  });
});
