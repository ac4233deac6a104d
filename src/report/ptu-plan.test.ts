/**
 * ptu-plan by hand: a constant profile (100,000 normalized TPM on gpt-4.1, 3,000 TPM per PTU, minimum 15,
 * increment 5 => 35 PTU) and a bursty one whose spillover and break-even are computed below in comments;
 * and the real Azure LLM inference traces, whose per-minute peaks must equal plain DuckDB SQL over the raw CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundDecimal } from '../domain/decimal.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import fc from 'fast-check';
import { normalizedTokens, ptusFor } from '../prices/ptu.js';
import { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { readTrace } from '../test-support/azure-traces.js';
import { tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { ext } from '../test-support/paths.js';
import { reportOf } from '../test-support/ledger.js';

/** Reference: nearest-rank percentile p of `busy` plus `windowMinutes - busy.length` idle (0) minutes. */
function percentile(busy: number[], windowMinutes: number, p: number): number {
  const n = Math.max(windowMinutes, busy.length);
  const sorted = [...busy].sort((a, b) => a - b);
  const zeros = n - sorted.length;
  const rank = Math.max(1, Math.ceil(p * n));
  return rank <= zeros ? 0 : sorted[rank - zeros - 1]!;
}

/** Reference: minutes and tokens above a capacity. */
function spillover(busy: number[], capacity: number): { minutes: number; tokens: number } {
  const over = busy.filter((v) => v > capacity);
  return { minutes: over.length, tokens: over.reduce((a, v) => a + v - capacity, 0) };
}

describe('PTU arithmetic', () => {
  it.each([
    [100_000, 3000, [15, 5], 35], // 33.3 -> 34 -> up to the increment: 35
    [105_000, 3000, [15, 5], 35], // exactly 35
    [10_000, 3000, [15, 5], 15], // below the minimum
    [100_000, 3000, [50, 50], 50], // regional
    [160_000, 3000, [50, 50], 100], // 53.3 -> 54 -> 100
  ] as [number, number, [number, number], number][])('%d TPM at %d per PTU, min/step %j -> %d PTU', (tpm, per, steps, ptus) => {
    expect(ptusFor(tpm, per, steps)).toBe(ptus);
  });
  it('normalizes: cached tokens do not count, output counts ratio times', () => {
    expect(normalizedTokens({ input: 1000, cached: 400, output: 100 }, 4)).toBe(1000);
  });
});

/** One request per minute of 2026-10-05 with `prompt(minute)` input tokens and `output(minute)` output tokens. */
function day(prompt: (m: number) => number, output: (m: number) => number, model = 'gpt-4.1'): string {
  const lines: string[] = [];
  for (let m = 0; m < 1440; m++) {
    const ts = new Date(Date.parse('2026-10-05T00:00:00Z') + m * 60_000 + 7_000).toISOString();
    lines.push(JSON.stringify({ timestamp: ts, model, feature: 'f', usage: { prompt_tokens: prompt(m), completion_tokens: output(m) } }));
  }
  return lines.join('\n') + '\n';
}

async function plan(jsonl: string): Promise<{ rows: Record<string, unknown>[]; notes: string[] }> {
  const store = await Store.open(':memory:');
  try {
    await ingestTelemetry(store, [writeFixture(tempDir(), 'tel.jsonl', jsonl)]);
    const r = await reportOf(store, 'ptu-plan', { from: '2026-10-05', to: '2026-10-06' });
    return { rows: r.rows, notes: r.notes ?? [] };
  } finally {
    store.close();
  }
}
const money = (v: unknown) => roundDecimal(String(v), 2);

describe('ptu-plan scenarios computed by hand', () => {
  it('constant 100,000 normalized TPM on gpt-4.1 (60,000 in + 4 x 10,000 out): 35 PTU at every level', async () => {
    const { rows, notes } = await plan(
      day(
        () => 60_000,
        () => 10_000,
      ),
    );
    expect(rows.map((r) => [r.level, r.normalized_tpm, r.ptus])).toEqual([
      ['p50', 100_000, 35],
      ['p95', 100_000, 35],
      ['p99', 100_000, 35],
      ['max', 100_000, 35],
    ]);
    const r = rows[0]!;
    // pay-as-you-go at the catalog's gpt-4.1 Global Standard: 60,000 x $2/1M + 10,000 x $8/1M = $0.20 a minute x 43,800
    expect(money(r.payg_month)).toBe('8760.00');
    expect([money(r.ptu_hourly_month), money(r.ptu_1m_month), money(r.ptu_1y_month)]).toEqual(['25550.00', '9100.00', '7735.00']);
    expect(money(r.spill_month)).toBe('0.00');
    expect(r.utilization_pct).toBe(95.24); // 100,000 / 105,000
    // break-even: 7,735 / (105,000 x 43,800 x $0.000002 per normalized token = 9,198) = 84.09 %
    expect(r.breakeven_1y_pct).toBe(84.09);
    expect(notes.join('\n')).toMatch(/PTU saves 1025\.00 a month \(35 PTU at p50, 1-year reservation/);
  });

  it('bursty: 1,368 minutes at 30,000 and 72 at 300,000: spillover at p95, PTU buys latency not savings', async () => {
    const { rows, notes } = await plan(
      day(
        (m) => (m % 20 === 0 ? 300_000 : 30_000),
        () => 0,
      ),
    );
    const by = Object.fromEntries(rows.map((r) => [r.level, r]));
    // p50 and p95 (rank 1,368 of 1,440) are 30,000: 10 PTU, up to the minimum of 15 (capacity 45,000 a minute)
    expect([by.p95!.normalized_tpm, by.p95!.ptus, by.p99!.normalized_tpm, by.p99!.ptus]).toEqual([30_000, 15, 300_000, 100]);
    // spill: 72 minutes (5 %) x 255,000 = 18,360,000 of 62,640,000 normalized tokens (29.31 %)
    expect([by.p95!.spill_minutes_pct, by.p95!.spill_tokens_pct]).toEqual([5, 29.31]);
    // pay-as-you-go: 62,640,000 x $2/1M = $125.28 a day x 43,800 / 1,440 = $3,810.60; spillover 29.31 % of it = $1,116.90
    expect([money(by.p95!.payg_month), money(by.p95!.spill_month)]).toEqual(['3810.60', '1116.90']);
    // utilization at 15 PTU: (62,640,000 - 18,360,000) / (45,000 x 1,440) = 68.33 %; at 100 PTU 62,640,000 / 432,000,000 = 14.5 %
    expect([by.p95!.utilization_pct, by.max!.utilization_pct]).toEqual([68.33, 14.5]);
    // break-even of 15 PTU on a 1-year reservation: 3,315 / (45,000 x 43,800 x $0.000002 = 3,942) = 84.09 %
    expect(by.p95!.breakeven_1y_pct).toBe(84.09);
    // cheapest plan: 15 PTU 1-year 3,315 + spill 1,116.90 = 4,431.90 > 3,810.60 pay-as-you-go
    expect(notes.join('\n')).toMatch(
      /PTU buys latency and availability here, not savings: pay-as-you-go costs 3810\.60 a month; the cheapest plan \(15 PTU at p50, 1-year reservation, spillover included\) costs 4431\.90/,
    );
  });
});

describe('ptu-plan SQL against the reference arithmetic', () => {
  it('percentiles, PTUs and spillover of random one-day profiles equal plain code', async () => {
    const store = await Store.open(':memory:');
    const dir = tempDir();
    try {
      let k = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 400_000 }), fc.integer({ min: 0, max: 50_000 })), {
            minLength: 1,
            maxLength: 60,
          }),
          async (reqs) => {
            const model = `gpt-4.1`;
            const day = `2026-10-${String(5 + (k % 20)).padStart(2, '0')}`;
            k++;
            const lines = reqs.map(([m, p, out], i) =>
              JSON.stringify({
                timestamp: new Date(Date.parse(`${day}T00:00:00Z`) + m * 60_000 + i).toISOString(),
                model,
                feature: 'f',
                usage: { prompt_tokens: p, completion_tokens: out },
              }),
            );
            await ingestTelemetry(store, [writeFixture(dir, `t${k}.jsonl`, lines.join('\n') + '\n')]);
            const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
            const r = await reportOf(store, 'ptu-plan', { from: day, to: next });
            const perMinute = new Map<number, number>();
            for (const [m, p, out] of reqs)
              perMinute.set(m, (perMinute.get(m) ?? 0) + normalizedTokens({ input: p, cached: 0, output: out }, 4));
            const busy = [...perMinute.values()];
            for (const [level, p] of [
              ['p50', 0.5],
              ['p95', 0.95],
              ['p99', 0.99],
              ['max', 1],
            ] as const) {
              const row = r.rows.find((x) => x.level === level)!;
              const tpm = percentile(busy, 1440, p);
              const ptus = ptusFor(tpm, 3000, [15, 5]);
              const s = spillover(busy, ptus * 3000);
              expect([row.normalized_tpm, row.ptus, row.spill_minutes_pct]).toEqual([
                tpm,
                ptus,
                Math.round((10000 * s.minutes) / 1440) / 100,
              ]);
            }
          },
        ),
        { numRuns: 15 },
      );
    } finally {
      store.close();
    }
  }, 120_000);
});

describe('ptu-plan on the Azure LLM inference traces', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    const lines: string[] = [];
    for (const [kind, model] of [
      ['conv', 'gpt-4o'],
      ['code', 'gpt-4.1'],
    ] as const) {
      for (const r of readTrace(kind)) {
        const [date, time] = r.ts.split(' ');
        lines.push(
          JSON.stringify({
            timestamp: `${date}T${time!.slice(0, 12)}Z`,
            model,
            feature: kind,
            usage: { prompt_tokens: r.context, completion_tokens: r.generated },
          }),
        );
      }
    }
    await ingestTelemetry(store, [writeFixture(tempDir(), 'traces.jsonl', lines.join('\n') + '\n')]);
  });
  afterAll(() => store.close());

  it.each([
    ['conv', 'gpt-4o'],
    ['code', 'gpt-4.1'],
  ] as const)('%s: the per-minute max and p95 equal plain SQL over the raw CSV', async (kind, model) => {
    const r = await reportOf(store, 'ptu-plan', { model });
    const csv = ext('azure-llm-traces', `AzureLLMInferenceTrace_${kind}.csv`);
    // independent: per minute of the raw file, ContextTokens + 4 x GeneratedTokens (no cache split in the traces, ratio 4)
    const [raw] = await store.query(sql`WITH m AS (
        SELECT date_trunc('minute', CAST("TIMESTAMP" AS TIMESTAMP)) AS minute, sum(ContextTokens) + 4 * sum(GeneratedTokens) AS n
        FROM read_csv(${csv}, header = true) GROUP BY 1)
      SELECT CAST(max(n) AS DOUBLE) AS peak, count(*) AS busy,
        CAST(date_diff('minute', min(minute), max(minute)) + 1 AS INTEGER) AS span, list(CAST(n AS DOUBLE) ORDER BY n) AS sorted FROM m`);
    const rowAt = (level: string) => r.rows.find((x) => x.level === level)!;
    expect(rowAt('max').normalized_tpm).toBe(raw!.peak);
    // p95 by nearest rank over every minute of the span (idle minutes count as 0), computed here in plain code
    const sorted = raw!.sorted as number[];
    const span = Number(raw!.span);
    const rank = Math.ceil(0.95 * span);
    const zeros = span - sorted.length;
    expect(rowAt('p95').normalized_tpm).toBe(rank <= zeros ? 0 : sorted[rank - zeros - 1]);
    expect(Number(raw!.busy)).toBeGreaterThan(40);
  });
});
