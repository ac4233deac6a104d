import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ext } from '../test-support/paths.js';
import { parsePricingBlockSize } from './pricing-unit.js';

/** Minimal RFC 4180 reader for the toolkit's small CSV (quoted keys with trailing spaces, a "1,000s" key). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cur); cur = ''; }
    else if (c === '\n') { row.push(cur.replace(/\r$/, '')); rows.push(row); row = []; cur = ''; }
    else cur += c;
  }
  if (cur || row.length) { row.push(cur); rows.push(row); }
  return rows;
}

describe('parsePricingBlockSize', () => {
  const rows = readCsv(readFileSync(ext('finops-toolkit-open-data', 'PricingUnits.csv'), 'utf8')).slice(1);

  it('reads every unit string of the FinOps toolkit (383 records, one spanning two lines)', () => {
    expect(rows.length).toBe(383);
  });

  it.each(rows.map((r) => [r[0]!, r[2]!]))('%j -> %s', (unit, block) => {
    expect(parsePricingBlockSize(unit)).toBe(BigInt(block));
  });

  it('reads FOCUS AI pricing units and Azure token descriptions', () => {
    expect(parsePricingBlockSize('1000000 Tokens')).toBe(1_000_000n);
    expect(parsePricingBlockSize('1K')).toBe(1000n);
    expect(parsePricingBlockSize('1M')).toBe(1_000_000n);
    expect(parsePricingBlockSize('1K Tokens')).toBe(1000n);
    expect(parsePricingBlockSize('')).toBeNull();
    expect(parsePricingBlockSize(null)).toBeNull();
  });

  it('never throws and never returns less than 1 (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const b = parsePricingBlockSize(s);
      expect(b === null || b >= 0n).toBe(true);
    }));
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom('', ' Tokens', ' /Hour', ' Units'), (n, suffix) => {
      expect(parsePricingBlockSize(`${n}${suffix}`)).toBe(BigInt(n));
    }));
  });
});
