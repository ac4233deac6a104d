import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { code, join, sql } from '../../store/sql.js';
import { parsedTimestamp, timestampProblem, type DateOrder } from './timestamps.js';

let store: Store;
beforeAll(async () => { store = await Store.open(':memory:'); });
afterAll(() => store.close());

async function parse(texts: string[], order?: DateOrder): Promise<{ v: string; ts: string | null; problem: string | null }[]> {
  const values = join(texts.map((t) => sql`(${t})`), ', ');
  return store.query(sql`SELECT v, strftime(${parsedTimestamp(code('v'), order)}, '%Y-%m-%d %H:%M:%S') AS ts,
    CASE WHEN ${parsedTimestamp(code('v'), order)} IS NULL THEN ${timestampProblem(code('v'), order)} END AS problem
    FROM (VALUES ${values}) t(v)`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const instant = fc.date({ min: new Date('2000-01-02T00:00:00Z'), max: new Date('2100-12-30T23:59:59Z'), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const utc = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** The JS oracle of the accepted shapes (not the calendar): what may parse at all. */
const SHAPE = new RegExp('^(\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?)?(Z|z| ?UTC|[+-](0\\d|1[0-4])(:?[0-5]\\d)?)?'
  + '|\\d{1,2}/\\d{1,2}/\\d{4}( \\d{1,2}:\\d{2}(:\\d{2})?( ?[AaPp][Mm])?)?)$');

describe('parsedTimestamp (property)', () => {
  it('every accepted spelling of an instant in 2000-2100 gives that instant in UTC', async () => {
    const spelling = fc.tuple(instant, fc.integer({ min: -14 * 4, max: 14 * 4 }), fc.constantFrom('Z', 'space', 'offset', 'mdy', 'dmy',
      'colonless'));
    await fc.assert(fc.asyncProperty(fc.array(spelling, { minLength: 1, maxLength: 30 }), async (cases) => {
      for (const order of ['mdy', 'dmy'] as const) {
        const texts = cases.map(([d, quarter, form]) => {
          const local = new Date(d.getTime() + quarter * 15 * 60_000);
          const l = local.toISOString();
          const off = `${quarter < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(quarter) / 4))}:${pad((Math.abs(quarter) % 4) * 15)}`;
          const [y, mo, da] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
          const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
          switch (form) {
            case 'Z': return d.toISOString().slice(0, 19) + 'Z';
            case 'space': return utc(d);
            case 'offset': return l.slice(0, 19) + off;
            case 'colonless': return l.slice(0, 19) + off.replace(':', '');
            default: return order === 'mdy' ? `${mo}/${da}/${y} ${clock}` : `${pad(da)}/${pad(mo)}/${y} ${clock}`;
          }
        });
        const rows = await parse(texts, order);
        for (const [i, r] of rows.entries()) {
          const [d, , form] = cases[i]!;
          // a slash date written in the other order than the one given is another date (or none): skip it
          if ((form === 'mdy' || form === 'dmy') && form !== order) continue;
          expect(r.ts, r.v).toBe(utc(d));
        }
      }
    }), { numRuns: 40 });
  });

  it('any text: parsed only when it has an accepted shape, always in 2000-2100, and refused with a reason otherwise', async () => {
    const junk = fc.oneof(fc.string({ maxLength: 25 }), fc.stringMatching(/^[0-9/:T +-]{6,25}$/),
      fc.stringMatching(/^\d{1,5}[-/]\d{1,2}[-/]\d{1,4}( \d{1,2}:\d{2})?$/));
    await fc.assert(fc.asyncProperty(fc.array(junk, { minLength: 1, maxLength: 40 }), async (texts) => {
      for (const r of await parse(texts, 'mdy')) {
        if (r.ts === null) expect(r.problem, r.v).toMatch(/^a /);
        else {
          expect(SHAPE.test(r.v), r.v).toBe(true);
          expect(Number(r.ts.slice(0, 4))).toBeGreaterThanOrEqual(1999);
          expect(Number(r.ts.slice(0, 4))).toBeLessThanOrEqual(2101);
        }
      }
    }), { numRuns: 40 });
  });
});

/** The fast paths' former shape test, character by character: the LIKE patterns must accept exactly what it did. */
function charShapes(v: string): string | null {
  const at = (i: number) => [...v][i - 1];
  const dashes = at(5) === '-' && at(8) === '-';
  const clock = (at(11) === 'T' || at(11) === ' ') && at(14) === ':' && at(17) === ':';
  const n = [...v].length;
  if (n === 10 && dashes) return 'date';
  if (n === 19 && dashes && clock) return 'time';
  if (n === 20 && dashes && clock && at(20) === 'Z') return 'time Z';
  return null;
}

describe('parsedTimestamp fast paths', () => {
  it('the LIKE shapes give what the character test gave, on near-miss and non-ASCII text (property)', async () => {
    const canonical = fc.constantFrom('2026-10-05', '2026-10-05T01:02:03', '2026-10-05 01:02:03', '2026-10-05T01:02:03Z');
    const chars = fc.constantFrom('-', ':', 'T', ' ', 'Z', '0', '9', 'é', '\u00a0', '/', 'x', '\u{1F600}');
    const mutated = fc.tuple(canonical, fc.array(fc.tuple(fc.nat({ max: 20 }), chars, fc.constantFrom('set', 'insert', 'delete')),
      { maxLength: 2 })).map(([t, edits]) => {
      const cs = [...t];
      for (const [i, c, op] of edits) {
        if (op === 'set') cs[Math.min(i, cs.length - 1)] = c;
        else if (op === 'insert') cs.splice(i, 0, c);
        else cs.splice(i, 1);
      }
      return cs.join('');
    });
    await fc.assert(fc.asyncProperty(fc.array(mutated, { minLength: 1, maxLength: 40 }), async (texts) => {
      const values = join(texts.map((t) => sql`(${t})`), ', ');
      const rows = await store.query<{ v: string; ts: string | null; time: string | null; date: string | null }>(sql`SELECT v,
        strftime(${parsedTimestamp(code('v'))}, '%Y-%m-%d %H:%M:%S') AS ts,
        CASE WHEN substr(v, 1, 4) BETWEEN '2000' AND '2100' THEN strftime(TRY_CAST(left(v, 19) AS TIMESTAMP), '%Y-%m-%d %H:%M:%S') END
          AS time,
        CASE WHEN substr(v, 1, 4) BETWEEN '2000' AND '2100' THEN strftime(TRY_CAST(v AS DATE), '%Y-%m-%d %H:%M:%S') END AS date
        FROM (VALUES ${values}) t(v)`);
      for (const r of rows) {
        // a text of the old fast shapes parses as its plain cast did; any other goes on to the ISO and slash patterns
        const shape = charShapes(r.v);
        if (shape) expect(r.ts, r.v).toBe(shape === 'date' ? r.date : r.time);
        else if (r.ts !== null) expect(SHAPE.test(r.v), r.v).toBe(true);
      }
    }), { numRuns: 60 });
  });
});

describe('parsedTimestamp (cases)', () => {
  it.each([
    ['2026-10-05T00:00:00Z', undefined, '2026-10-05 00:00:00'],
    ['2026-10-05T23:30:00-14:00', undefined, '2026-10-06 13:30:00'],
    ['2026-10-05T00:00:00+14:59', undefined, '2026-10-04 09:01:00'],
    ['07/07/2026', undefined, '2026-07-07 00:00:00'],
    ['12/25/2026 12:00:00 AM', undefined, '2026-12-25 00:00:00'],
    ['12/25/2026 12:00:00 PM', undefined, '2026-12-25 12:00:00'],
    ['02/03/2026', 'dmy', '2026-03-02 00:00:00'],
    ['02/03/2026', 'mdy', '2026-02-03 00:00:00'],
  ] as const)('%s (%s) -> %s', async (text, order, want) => {
    expect((await parse([text], order))[0]!.ts).toBe(want);
  });

  it.each([
    ['2026-10-05T00:00:00+15:00', /ISO 8601/],
    ['2026-10-05T25:00:00Z', /ISO 8601/],
    ['02/03/2026', /day and month order/],
    ['25/10/2026', null],
    ['31/06/2026', /ISO 8601/],
    ['13/25/2026', /ISO 8601/],
    ['12/25/2026 13:00 PM', /ISO 8601/],
    ['1/2/99', /four-digit year/],
    ['2026-10-05T00:00:00Z ', /ISO 8601/],
    ['', /ISO 8601/],
  ] as const)('%s is refused: %s', async (text, want) => {
    const [r] = await parse([text]);
    if (want === null) expect(r!.ts).toBe('2026-10-25 00:00:00');
    else {
      expect(r!.ts).toBeNull();
      expect(r!.problem).toMatch(want);
    }
  });
});
