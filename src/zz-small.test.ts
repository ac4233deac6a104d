import { it } from 'vitest';
import { loadRules } from './normalize/rules.js';
import { Store } from './store/db.js';
import { focusCsv, tempDir, writeFixture } from './test-support/focus-fixture.js';
import { ingestFocus } from './ingest/focus/ingest.js';
it('small', async () => {
  const rules = loadRules();
  const files = Array.from({ length: 12 }, (_, i) => writeFixture(tempDir(), 'x.csv', focusCsv([{ BilledCost: String(i + 1) }])));
  const t0 = Date.now();
  for (const f of files) { const s = await Store.open(':memory:'); await ingestFocus(s, [f], { rules }); s.close(); }
  console.log('SMALL', (Date.now() - t0) / files.length, 'ms per ingest');
}, 120000);
