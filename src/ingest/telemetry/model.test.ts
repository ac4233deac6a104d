/** Model-name normalization: the cheap suffix match agrees with the full regular expression it replaced. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { code, sql } from '../../store/sql.js';
import { modelColumns } from './model.js';

let store: Store;
beforeAll(async () => { store = await Store.open(':memory:'); });
afterAll(() => store.close());

// -YYYY-MM-DD, -YYYYMMDD or -MMDD, the month 01-12 for the last two (as the meter rules' modelVersion)
const REFERENCE = "regexp_extract(raw, '^(.*?)(?:-\\d{4}-(\\d{2})-(\\d{2})|-[12]\\d{3}(0[1-9]|1[0-2])([0-3]\\d)" +
  "|-(0[1-9]|1[0-2])([0-3]\\d))?$', " +
  "['m', 'mm', 'dd', 'mm8', 'dd8', 'mm4', 'dd4'])";

async function both(raw: string) {
  const ref = code(REFERENCE);
  const [row] = await store.query(sql`SELECT ${modelColumns('raw')}, ${ref}.m AS ref_model,
      nullif(${ref}.mm || ${ref}.dd || ${ref}.mm8 || ${ref}.dd8 || ${ref}.mm4 || ${ref}.dd4, '') AS ref_version
      FROM (SELECT CAST(${raw} AS VARCHAR) AS raw)`);
  return row!;
}

describe('modelColumns', () => {
  it.each([
    ['gpt-4o-2024-11-20', 'gpt-4o', '1120'],
    ['gpt-4o-mini', 'gpt-4o-mini', null],
    ['o3-2025-04-16', 'o3', '0416'],
    // -MMDD, as OpenAI names its older snapshots
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo', '0125'],
    ['gpt-4-0613', 'gpt-4', '0613'],
    ['gpt-4-32k-0613', 'gpt-4-32k', '0613'],
    ['gpt-35-turbo-1106', 'gpt-35-turbo', '1106'],
    // -YYYYMMDD, as Anthropic names its snapshots
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet', '1022'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4', '0514'],
    // not a release date: YYMM (Mistral), a month 13+, three digits, a suffix word
    ['mistral-large-2407', 'mistral-large-2407', null],
    ['model-1340', 'model-1340', null],
    ['text-davinci-003', 'text-davinci-003', null],
    ['gpt-4-1106-preview', 'gpt-4-1106-preview', null],
  ])('%s is model %s, version %s', async (raw, model, version) => {
    expect(await both(raw)).toMatchObject({ model, model_version: version, ref_model: model, ref_version: version });
  });

  it('agrees with the full regular expression on any name (property)', async () => {
    const part = fc.oneof(fc.constantFrom('gpt', '4o', 'mini', 'o3', '2024', '11', '20', '-', 'é', '2024-11-20', '-2024-11-2',
      'x-2024-1120', '-0613', '-1340', '-20241022', '-20241322', '0125', '-0'), fc.string({ maxLength: 4 }));
    await fc.assert(fc.asyncProperty(fc.array(part, { maxLength: 6 }).map((p) => p.join('')), async (raw) => {
      const r = await both(raw);
      expect(r.model).toBe(r.ref_model);
      expect(r.model_version).toBe(r.ref_version);
    }), { numRuns: 400 });
  });
});
