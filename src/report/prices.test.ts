/**
 * Price resolution: the invoice wins (its measured cost per token, a negotiated price included), then the
 * company's price sheet (CSV, YAML or an Azure Retail Prices export), then the shipped catalog, the entry in
 * force on the date; and the catalog and sheets refuse bad input naming file, line or path, and column.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, TokenledgerError } from '../domain/errors.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { loadCatalog, priceAt, readCatalogFile } from '../prices/catalog.js';
import { readPriceSheet } from '../prices/sheet.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-a';
let store: Store;
let dir: string;
beforeAll(async () => {
  store = await Store.open(':memory:');
  dir = tempDir();
  // negotiated: 2M gpt-4o input tokens for $4.50 ($2.25 per 1M, list $2.50)
  await ingestFocus(
    store,
    [writeFixture(dir, 'bill.csv', focusCsv([tokenRow('gpt 4o 1120 Inp glbl 1M Tokens', 2_000_000, '2.25', { ResourceId: R1 })]))],
    { rules: loadRules() },
  );
});
afterAll(() => store.close());

const find = (rows: Record<string, unknown>[], model: string, deployment: string, type: string) =>
  rows.find((r) => r.model === model && r.deployment === deployment && r.token_type === type);

describe('report prices', () => {
  it('the invoice wins; the catalog fills in what it has no charge for, naming the entry and date', async () => {
    const r = await reportOf(store, 'prices', { month: '2026-10' });
    expect(find(r.rows, 'gpt-4o', 'global-standard', 'input')).toMatchObject({
      price_per_1m: '2.25',
      origin: 'invoice',
      entry: 'invoice 2026-10-05..2026-10-05',
    });
    expect(find(r.rows, 'gpt-4o', 'global-standard', 'output')).toMatchObject({
      price_per_1m: '10.00',
      origin: 'catalog',
      entry: 'gpt-4o@2024-11-20',
      effective_from: '2024-11-20',
    });
    // derived: Batch 50 % of Global Standard, named with its base entry
    expect(find(r.rows, 'gpt-4o', 'global-batch', 'output')).toMatchObject({ price_per_1m: '5', entry: 'gpt-4o@2024-11-20/global-batch' });
    // only models the ledger knows unless --all
    expect(r.rows.every((x) => x.model === 'gpt-4o')).toBe(true);
    const all = await reportOf(store, 'prices', { month: '2026-10', all: true });
    expect(find(all.rows, 'o4-mini', 'global-standard', 'input')).toMatchObject({ price_per_1m: '1.10' });
  });

  it('a price sheet overrides the catalog, never the invoice', async () => {
    const sheet = writeFixture(
      dir,
      'prices.csv',
      'model,deployment,token_type,price_per_1m\ngpt-4o,global-standard,output,9.00\n' + 'gpt-4o,global-standard,input,1.00\n',
    );
    const r = await reportOf(store, 'prices', { month: '2026-10' }, { prices: { sheet } });
    expect(find(r.rows, 'gpt-4o', 'global-standard', 'output')).toMatchObject({
      price_per_1m: '9.00',
      origin: 'price-sheet',
      entry: 'sheet:prices.csv:line2',
    });
    expect(find(r.rows, 'gpt-4o', 'global-standard', 'input')).toMatchObject({ price_per_1m: '2.25', origin: 'invoice' });
  });

  it('reads an Azure Retail Prices export: meters classified, 1K prices brought to 1M, other items skipped', async () => {
    const path = join(dir, 'retail.json');
    writeFileSync(
      path,
      JSON.stringify({
        Items: [
          {
            currencyCode: 'USD',
            retailPrice: 0.000165,
            unitOfMeasure: '1K',
            meterName: 'gpt-4o-mini-0718-Inp-glbl',
            productName: 'Azure OpenAI',
            serviceName: 'Foundry Models',
            effectiveStartDate: '2024-07-18T00:00:00Z',
            type: 'Consumption',
          },
          {
            currencyCode: 'USD',
            retailPrice: 1,
            unitOfMeasure: '1 Hour',
            meterName: 'Provisioned Managed Global Unit',
            productName: 'Azure OpenAI',
            serviceName: 'Foundry Models',
            type: 'Consumption',
          },
          {
            currencyCode: 'USD',
            retailPrice: 2652,
            unitOfMeasure: '1 Hour',
            meterName: 'Provisioned Managed Global Unit',
            type: 'Reservation',
          },
        ],
      }),
    );
    const sheet = readPriceSheet(path, loadRules());
    expect(sheet.skipped).toBe(2);
    expect(sheet.entries).toMatchObject([
      {
        model: 'gpt-4o-mini',
        deployment: 'global-standard',
        tokenType: 'input',
        perMillion: '0.165',
        effectiveFrom: '2024-07-18',
        id: 'sheet:retail.json:Items[0]',
      },
    ]);
  });

  it('refuses a bad sheet line naming the file, line and column', () => {
    const path = writeFixture(
      dir,
      'bad.csv',
      'model,deployment,token_type,price_per_1m\ngpt-4o,global-standard,output,9\ngpt-4o,global,input,1\n',
    );
    expect(() => readPriceSheet(path, loadRules())).toThrow(InputError);
    expect(() => readPriceSheet(path, loadRules())).toThrow(/bad\.csv, line 3, column deployment: expected one of global-standard/);
    const price = writeFixture(dir, 'bad2.csv', 'model,deployment,token_type,price_per_1m\ngpt-4o,global-standard,output,-1\n');
    expect(() => readPriceSheet(price, loadRules())).toThrow(/line 2, column price_per_1m/);
    const yaml = writeFixture(
      dir,
      'bad.yaml',
      'prices:\n  - { model: gpt-4o, deployment: global-standard, token_type: output, price_per_1m: abc }\n',
    );
    expect(() => readPriceSheet(yaml, loadRules())).toThrow(/data row 1, column price_per_1m/);
  });
});

describe('the catalog', () => {
  it('takes the entry in force on the date', () => {
    const c = loadCatalog();
    expect(priceAt(c.entries, 'o3', 'global-standard', 'input', '2025-05-01')?.perMillion).toBe('10.00');
    expect(priceAt(c.entries, 'o3', 'global-standard', 'input', '2025-06-10')?.perMillion).toBe('2.00');
    expect(priceAt(c.entries, 'o3', 'global-standard', 'input', '2025-01-01')).toBeUndefined();
    expect(priceAt(c.entries, 'gpt-5', 'datazone-standard', 'input', '2026-01-01')?.perMillion).toBe('1.375');
  });

  it('refuses a float price and an undescribed source, with the path in the file', () => {
    const file = (input: string) =>
      writeFixture(
        tempDir(),
        'bad.yaml',
        [
          'version: 1',
          'provider: x',
          'currency: USD',
          'sources: {}',
          'prices:',
          `  - { id: a, model: m, effective_from: 2025-01-01, input: ${input}, output: "1", source: nowhere }`,
        ].join('\n'),
      );
    expect(() => readCatalogFile(file('2.5'))).toThrow(TokenledgerError);
    expect(() => readCatalogFile(file('2.5'))).toThrow(
      /bad\.yaml: invalid price catalog:\n {2}prices\.0\.input: expected a non-negative decimal written as text/,
    );
    expect(() => readCatalogFile(file('"2.5"'))).toThrow(/source nowhere is not described/);
  });
});
