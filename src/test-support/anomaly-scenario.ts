/**
 * The hand-built ledger of the anomalies scenario (src/anomalies/scenario.test.ts has its table): 56 days
 * of one Azure OpenAI account with features A and B, a retry storm on A on 2026-09-20 and no telemetry at
 * all on 2026-09-10. Built with the library's ingest functions into `path` (a file or :memory:).
 */
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { addDays } from '../anomalies/series.js';
import { focusCsv, tempDir, tokenRow, writeFixture } from './focus-fixture.js';
import { ready } from './ledger.js';

export const R1 = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-r1';
export const FIRST = '2026-08-03';
export const DAYS = 56;
export const STORM = '2026-09-20';
export const GAP = '2026-09-10';

export async function anomalyScenario(path = ':memory:'): Promise<Store> {
  const store = await Store.open(path);
  const dir = tempDir();
  const bill = [];
  const tel: string[] = [];
  const events = ['timestamp,unit,feature,count,outcome'];
  for (let i = 0; i < DAYS; i++) {
    const day = addDays(FIRST, i);
    const month = day.slice(0, 7);
    const period = { BillingPeriodStart: `${month}-01T00:00:00Z`, BillingPeriodEnd: month === '2026-08' ? '2026-09-01T00:00:00Z'
      : '2026-10-01T00:00:00Z', ChargePeriodStart: `${day}T00:00:00Z`, ChargePeriodEnd: `${addDays(day, 1)}T00:00:00Z`, ResourceId: R1 };
    const a = day === STORM ? 3 : 1;
    bill.push(tokenRow('gpt 4o 0513 Input global Tokens', 1_000_000 * a + 500_000, '2.5', period));
    bill.push(tokenRow('gpt 4o 0513 Output global Tokens', 100_000 * a + 50_000, '10', period));
    if (day !== GAP) {
      for (let k = 0; k < a; k++) {
        tel.push(JSON.stringify({ timestamp: `${day}T10:0${k}:00Z`, model: 'gpt-4o', resource_id: R1, feature: 'A', team: 'ta',
          usage: { prompt_tokens: 1_000_000, completion_tokens: 100_000 } }));
      }
      tel.push(JSON.stringify({ timestamp: `${day}T11:00:00Z`, model: 'gpt-4o', resource_id: R1, feature: 'B', team: 'tb',
        usage: { prompt_tokens: 500_000, completion_tokens: 50_000 } }));
    }
    events.push(`${day}T09:00:00Z,ticket,A,100,resolved`);
  }
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv(bill))], { rules: loadRules() });
  await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', tel.join('\n') + '\n')]);
  await ingestEvents(store, [writeFixture(dir, 'events.csv', events.join('\n') + '\n')]);
  await ready(store);
  return store;
}
