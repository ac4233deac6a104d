import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFirstRecord } from './csv-header.js';

describe('parseFirstRecord', () => {
  it('reads quoted names, escaped quotes and CRLF', () => {
    expect(parseFirstRecord('"a","b ""x""",c\r\n1,2,3')).toEqual(['a', 'b "x"', 'c']);
    expect(parseFirstRecord('a,"multi\nline",c\n')).toEqual(['a', 'multi\nline', 'c']);
    expect(parseFirstRecord('a,b')).toBeNull();
  });

  it('round-trips any list of names written with RFC 4180 quoting (property)', () => {
    fc.assert(fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 30 }), (names) => {
      const line = names.map((n) => `"${n.replace(/"/g, '""')}"`).join(',') + '\n';
      expect(parseFirstRecord(line)).toEqual(names);
    }));
  });
});
