/**
 * token-kpis on real production traces: the p50/p95/p99 of prompt and output tokens per request must equal
 * an exact nearest-rank computation over the raw CSV, done here without tokenledger or DuckDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { Store } from '../store/db.js';
import { readTrace, writeTraceFixture } from '../test-support/azure-traces.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';

/** Nearest-rank percentile: the smallest value with at least q of the values at or below it. */
function nearestRank(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await ingestTelemetry(store, [writeTraceFixture(tempDir())]);
});
afterAll(() => store.close());

describe('token-kpis on the Azure LLM inference traces', () => {
  it.each([['conv', 'conversation'], ['code', 'code-completion']] as const)('%s: percentiles equal an exact computation over the raw CSV',
    async (kind, feature) => {
    const raw = readTrace(kind);
    const r = await reportOf(store, 'token-kpis', { by: ['feature'] });
    const row = r.rows.find((x) => x.key === feature)!;
    const context = raw.map((x) => x.context);
    const generated = raw.map((x) => x.generated);
    expect({
      requests: Number(row.requests),
      prompt_p50: Number(row.prompt_p50), prompt_p95: Number(row.prompt_p95), prompt_p99: Number(row.prompt_p99),
      output_p50: Number(row.output_p50), output_p95: Number(row.output_p95),
    }).toEqual({
      requests: raw.length,
      prompt_p50: nearestRank(context, 0.5), prompt_p95: nearestRank(context, 0.95), prompt_p99: nearestRank(context, 0.99),
      output_p50: nearestRank(generated, 0.5), output_p95: nearestRank(generated, 0.95),
    });
    // the dataset README says 19,365 and 8,818; the files hold one more (no newline after the last row)
    expect(raw.length).toBe(kind === 'conv' ? 19_366 : 8_819);
  });
});
