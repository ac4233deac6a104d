/**
 * Strict timestamps in every telemetry reader that reads date-time text (issue 11): the JSONL usage-log
 * readers (careful and fast), the mapped CSV, the APIM LLM log and Azure Monitor metrics all read through
 * common/timestamps.ts. Property: whatever the text, a timestamp a reader accepts has a year from 2000 to
 * 2100, is the instant the text spells (every accepted spelling of a generated instant gives that instant),
 * and round-trips (its ISO text read again gives it back); two-digit years, 99999-01-01 and +25:00 are refused.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { code, sql, type Sql } from '../../store/sql.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { apimLlmLogSelect } from './apim-logs.js';
import { azureMonitorSelect } from './azure-monitor.js';
import { csvMappedSelect } from './csv-mapped.js';
import { openaiJsonlSelect } from './openai-jsonl.js';
import { openaiJsonlFastSelect } from './openai-jsonl-fast.js';

let store: Store;
beforeAll(async () => { store = await Store.open(':memory:'); });
afterAll(() => store.close());

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const instant = fc.date({ min: new Date('2000-01-02T00:00:00Z'), max: new Date('2100-12-30T23:59:59Z'), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const utc = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** An accepted spelling of instant d (UTC wall time written with a quarter-hour offset, or in MM/DD/YYYY). */
function spell(d: Date, quarter: number, form: string): string {
  const local = new Date(d.getTime() + quarter * 15 * 60_000).toISOString();
  const off = `${quarter < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(quarter) / 4))}:${pad((Math.abs(quarter) % 4) * 15)}`;
  switch (form) {
    case 'Z': return d.toISOString().slice(0, 19) + 'Z';
    case 'ms': return d.toISOString();
    case 'space': return utc(d);
    case 'offset': return local.slice(0, 19) + off;
    default: return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${
      pad(d.getUTCSeconds())}`;
  }
}

const JUNK = ['4/1/25', '12/31/24', '99999-01-01', '2026-10-01T00:00:00+25:00', '0004-04-01', '1999-12-31T23:59:59Z',
  '2101-01-01', 'soon', '2026-10-1', '2026-13-01', '31/31/2026', '13/25/2026'];

/** Each reader over one file of the texts: [text, ts as 'YYYY-MM-DD HH:MM:SS' or null] in file order. */
const READERS: Record<string, (dir: string, texts: string[]) => Promise<Sql>> = {
  'usage log (careful)': async (dir, texts) => openaiJsonlSelect(jsonl(dir, texts), 'x', '2026-01-01 00:00:00', {}, 'mdy'),
  'usage log (fast)': async (dir, texts) =>
    openaiJsonlFastSelect(jsonl(dir, texts), 'x', '2026-01-01 00:00:00', {}, undefined, 'full', { order: 'mdy' }),
  'mapped CSV': (dir, texts) => csvMappedSelect(writeFixture(dir, 'u.csv',
    `time,model,p,c\n${texts.map((t) => `${t},gpt-4o,1,1`).join('\n')}\n`),
    { csv: { timestamp: 'time', model: 'model', prompt_tokens: 'p', completion_tokens: 'c' } }, 'x', '2026-01-01 00:00:00', 'mdy'),
  'APIM LLM log': (dir, texts) => apimLlmLogSelect(store, writeFixture(dir, 'llm.csv',
    `TimeGenerated,CorrelationId,ModelName,PromptTokens,CompletionTokens\n${
      texts.map((t, i) => `${t},c${pad(i, 4)},gpt-4o,1,1`).join('\n')}\n`),
  'x', '2026-01-01 00:00:00', {}, 'mdy'),
  'Azure Monitor': async (dir, texts) => azureMonitorSelect(writeFixture(dir, 'm.json', JSON.stringify({ value: [{
    id: '/subscriptions/s/providers/Microsoft.CognitiveServices/accounts/a', name: { value: 'ProcessedPromptTokens' },
    timeseries: texts.map((t, i) => ({ metadatavalues: [{ name: { value: 'ModelDeploymentName' }, value: `d${pad(i, 4)}` }],
      data: [{ timeStamp: t, total: 5 }] })) }] })), 'x', '2026-01-01 00:00:00', 'mdy'),
};

function jsonl(dir: string, texts: string[]): string {
  return writeFixture(dir, 'u.jsonl', texts.map((t) => JSON.stringify({ timestamp: t, model: 'gpt-4o',
    usage: { prompt_tokens: 1, completion_tokens: 1 } })).join('\n') + '\n');
}

/** The reader's rows in the texts' order (grouped readers: by their CorrelationId / deployment). */
async function read(name: string, texts: string[]): Promise<(string | null)[]> {
  const select = await READERS[name]!(tempDir(), texts);
  const order = name === 'APIM LLM log' ? code("CAST(attributes->>'correlation_id' AS VARCHAR)")
    : name === 'Azure Monitor' ? code('deployment') : code('rn');
  const rows = await store.query<{ ts: string | null }>(sql`
    SELECT CASE WHEN tl_problem IS NULL THEN strftime(ts, '%Y-%m-%d %H:%M:%S') END AS ts
    FROM (SELECT row_number() OVER () AS rn, * FROM (${select})) ORDER BY ${order}`);
  return rows.map((r) => r.ts);
}

describe('every telemetry reader reads timestamps strictly (property)', () => {
  for (const name of Object.keys(READERS)) {
    it(`${name}: accepted means 2000-2100, the instant spelt, and a round trip; the junk is refused`, async () => {
      const spelling = fc.tuple(instant, fc.integer({ min: -14 * 4, max: 14 * 4 }), fc.constantFrom('Z', 'ms', 'space', 'offset', 'mdy'));
      await fc.assert(fc.asyncProperty(fc.array(spelling, { minLength: 1, maxLength: 20 }), fc.subarray(JUNK), async (cases, junk) => {
        const texts = [...cases.map(([d, q, f]) => spell(d, q, f)), ...junk];
        const got = await read(name, texts);
        for (const [i, [d]] of cases.entries()) expect(got[i], texts[i]).toBe(utc(d));
        for (const [i, t] of junk.entries()) expect(got[cases.length + i], t).toBeNull();
        // what was accepted, written back as ISO 8601, is read as itself
        const accepted = got.filter((g): g is string => g !== null);
        for (const g of accepted) expect(Number(g.slice(0, 4))).toSatisfy((y: number) => y >= 2000 && y <= 2100);
        expect(await read(name, accepted.map((g) => g.replace(' ', 'T') + 'Z'))).toEqual(accepted);
      }), { numRuns: 8 });
    }, 120_000);
  }
});
