/**
 * report estimate by hand: one billed day (the invoice's own gpt-4o prices, and the estimate's accuracy
 * against it) and two days of telemetry the invoice has not reached, priced at the invoice's input and output
 * price and the catalog's cached-input price.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundDecimal } from '../domain/decimal.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';

const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-a';

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  const dir = tempDir();
  // 2026-10-05 billed: 1M input at $2.5, 100,000 output at $10 = $3.50
  await ingestFocus(
    store,
    [
      writeFixture(
        dir,
        'bill.csv',
        focusCsv([
          tokenRow('gpt 4o 1120 Inp glbl 1M Tokens', 1_000_000, '2.5', { ResourceId: R1 }),
          tokenRow('gpt 4o 1120 Outp glbl 1M Tokens', 100_000, '10', { ResourceId: R1 }),
        ]),
      ),
    ],
    { rules: loadRules() },
  );
  const VM = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-gpu1';
  const req = (day: string, feature: string, prompt: number, cached: number, output: number, model = 'gpt-4o', resource = R1) =>
    JSON.stringify({
      timestamp: `${day}T10:00:00Z`,
      model,
      resource_id: resource,
      feature,
      usage: { prompt_tokens: prompt, completion_tokens: output, prompt_tokens_details: { cached_tokens: cached } },
    });
  await ingestTelemetry(store, [
    writeFixture(
      dir,
      'tel.jsonl',
      [
        req('2026-10-05', 'A', 1_100_000, 0, 100_000), // telemetry says 10 % more input than the invoice bills
        req('2026-10-06', 'A', 2_000_000, 500_000, 200_000),
        req('2026-10-07', 'B', 400_000, 0, 50_000),
        // a self-hosted model served from a GPU VM: paid by the VM's hours, never estimated per token
        req('2026-10-06', 'S', 900_000, 0, 90_000, 'llama-3.1-8b', VM),
      ].join('\n') + '\n',
    ),
  ]);
});
afterAll(() => store.close());

describe('report estimate, by hand', () => {
  it('prices unbilled days per feature and model, and measures accuracy on the billed day', async () => {
    const r = await reportOf(store, 'estimate', { month: '2026-10' });
    const got = r.rows.map((x) => [
      x.status,
      x.feature,
      x.model,
      x.first_day,
      Number(x.days),
      Number(x.tokens),
      roundDecimal(String(x.estimated_cost), 4),
      x.billed_cost === null ? null : roundDecimal(String(x.billed_cost), 4),
      x.error_pct,
    ]);
    expect(got).toEqual([
      // A on 10-06: 1.5M uncached x $2.50 (invoice) + 0.5M cached x $1.25 (catalog) + 0.2M output x $10 (invoice)
      // = 3.75 + 0.625 + 2 = 6.375
      ['estimated', 'A', 'gpt-4o', '2026-10-06', 1, 2_200_000, '6.3750', null, null],
      // B on 10-07: 0.4M x $2.50 + 50,000 x $10 = 1.00 + 0.50
      ['estimated', 'B', 'gpt-4o', '2026-10-07', 1, 450_000, '1.5000', null, null],
      // 10-05: 1.1M x $2.50 + 0.1M x $10 = $3.75 against $3.50 billed: +7.14 %
      ['accuracy', null, 'gpt-4o', null, 1, 1_200_000, '3.7500', '3.5000', 7.14],
    ]);
    expect(r.rows[0]!.price_from).toBe('gpt-4o@2024-11-20, invoice');
    // per day and currency (what the overview's daily chart plots): the same two estimates, one day each
    const days = (r.meta.estimated_days as { day: string; currency: string; tokens: number; estimated_cost: string }[])
      .map((d) => [d.day, d.currency, d.tokens, roundDecimal(d.estimated_cost, 4)]);
    expect(days).toEqual([['2026-10-06', 'USD', 2_200_000, '6.3750'], ['2026-10-07', 'USD', 450_000, '1.5000']]);
  });

  it('a day the invoice reaches leaves the estimate', async () => {
    const r = await reportOf(store, 'estimate', { from: '2026-10-05', to: '2026-10-06' });
    expect(r.rows.map((x) => x.status)).toEqual(['accuracy']);
    expect(r.meta.estimated_days).toEqual([]);
  });
});
