/** Model-name normalization: the cheap suffix match agrees with the full regular expression it replaced. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { code, sql } from '../../store/sql.js';
import { modelColumns } from './model.js';

let store: Store;
beforeAll(async () => { store = await Store.open(':memory:'); });
afterAll(() => store.close());

const REFERENCE = "regexp_extract(raw, '^(.*?)(?:-\\d{4}-(\\d{2})-(\\d{2}))?$', ['m', 'mm', 'dd'])";

async function both(raw: string) {
  const ref = code(REFERENCE);
  const [row] = await store.query(sql`SELECT ${modelColumns('raw')}, ${ref}.m AS ref_model,
      CASE WHEN ${ref}.mm <> '' THEN ${ref}.mm || ${ref}.dd END AS ref_version FROM (SELECT CAST(${raw} AS VARCHAR) AS raw)`);
  return row!;
}

describe('modelColumns', () => {
  it('splits dated names into model and MMDD version', async () => {
    expect(await both('gpt-4o-2024-11-20')).toMatchObject({ model: 'gpt-4o', model_version: '1120' });
    expect(await both('gpt-4o-mini')).toMatchObject({ model: 'gpt-4o-mini', model_version: null });
    expect(await both('o3-2025-04-16')).toMatchObject({ model: 'o3', model_version: '0416' });
  });

  it('agrees with the full regular expression on any name (property)', async () => {
    const part = fc.oneof(fc.constantFrom('gpt', '4o', 'mini', 'o3', '2024', '11', '20', '-', 'é', '2024-11-20', '-2024-11-2',
      'x-2024-1120'), fc.string({ maxLength: 4 }));
    await fc.assert(fc.asyncProperty(fc.array(part, { maxLength: 6 }).map((p) => p.join('')), async (raw) => {
      const r = await both(raw);
      expect(r.model).toBe(r.ref_model);
      expect(r.model_version).toBe(r.ref_version);
    }), { numRuns: 300 });
  });
});
