/**
 * gen_ai.client.token.usage in both temporalities through the real ingest: a cumulative export as the
 * collector's file exporter writes it (fixtures/), hand-computed; and the property that the same traffic
 * exported as delta and as cumulative, restarts included, gives the same totals per series.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../store/db.js';
import { tempDir, writeFixture } from '../../test-support/focus-fixture.js';
import { ingestTelemetry } from './ingest.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const T0 = 1790000000;
const ns = (s: number) => `${s}000000000`;
const attr = (key: string, v: string) => ({ key, value: { stringValue: v } });
const point = (model: string, type: string, start: number, end: number, sum: number, count: number) => ({
  attributes: [attr('gen_ai.request.model', model), attr('gen_ai.token.type', type)],
  startTimeUnixNano: ns(start), timeUnixNano: ns(end), count: String(count), sum,
});
const exportLine = (temporality: 1 | 2, points: object[]) => JSON.stringify({ resourceMetrics: [{
  resource: { attributes: [attr('service.name', 'api')] },
  scopeMetrics: [{ metrics: [{ name: 'gen_ai.client.token.usage',
    histogram: { aggregationTemporality: temporality, dataPoints: points } }] }],
}] });

const totals = () => store.query(`SELECT model, CAST(sum(input_tokens) AS BIGINT) AS i, CAST(sum(output_tokens) AS BIGINT) AS o,
  CAST(sum(requests) AS BIGINT) AS n, count(*) AS rows FROM telemetry GROUP BY model ORDER BY model`);

describe('otlp-metrics: cumulative temporality', () => {
  it('a file exporter\'s cumulative series: increases between exports, a restart counted from its new start, idle exports left out',
    async () => {
      const f = join(tempDir(), 'metrics.jsonl');
      copyFileSync(join(FIXTURES, 'otlp-metrics-cumulative.jsonl'), f);
      const [o] = await ingestTelemetry(store, [f]);
      expect(o).toMatchObject({ action: 'ingested', format: 'otlp-metrics', rows: 4 });
      // gpt-4o: 1200 / 300 / 3 (0-60 s), then 2000 - 1200 / 450 - 300 / 5 - 3 (60-120 s), restarted at 125 s: 700 / 70 / 2,
      //         its idle export at 240 s adds nothing; o3: 500 / 900 / 1, then idle
      expect(await store.query(`SELECT model, CAST(ts AS VARCHAR) AS ts, input_tokens AS i, output_tokens AS o, requests AS n, feature,
        environment FROM telemetry ORDER BY model, ts`)).toEqual([
        { model: 'gpt-4o', ts: '2026-09-21 14:13:20', i: '1200', o: '300', n: '3', feature: 'support-copilot', environment: 'prod' },
        { model: 'gpt-4o', ts: '2026-09-21 14:14:20', i: '800', o: '150', n: '2', feature: 'support-copilot', environment: 'prod' },
        { model: 'gpt-4o', ts: '2026-09-21 14:15:25', i: '700', o: '70', n: '2', feature: 'support-copilot', environment: 'prod' },
        { model: 'o3', ts: '2026-09-21 14:13:20', i: '500', o: '900', n: '1', feature: 'support-copilot', environment: 'prod' },
      ]);
      expect(await totals()).toEqual([{ model: 'gpt-4o', i: '2700', o: '520', n: '7', rows: '3' },
        { model: 'o3', i: '500', o: '900', n: '1', rows: '1' }]);
    });

  it('a series continued in the next file (a rotated export) adds only what the new file adds; an overlapping export is refused',
    async () => {
      const lines = readFileSync(join(FIXTURES, 'otlp-metrics-cumulative.jsonl'), 'utf8').trim().split('\n');
      const dir = tempDir();
      // rotated after the first export: the second file's first points continue the series of the first file
      const first = writeFixture(dir, 'part-1.jsonl', lines.slice(0, 1).join('\n') + '\n');
      const second = writeFixture(dir, 'part-2.jsonl', lines.slice(1).join('\n') + '\n');
      await ingestTelemetry(store, [first]);
      await ingestTelemetry(store, [second]);
      // the same as the whole file: gpt-4o 1200 + 800 + 700 (the restart), o3 500
      expect(await totals()).toEqual([{ model: 'gpt-4o', i: '2700', o: '520', n: '7', rows: '3' },
        { model: 'o3', i: '500', o: '900', n: '1', rows: '1' }]);
      // export 4 again (the last point ingested of its series): it adds nothing
      const before = await totals();
      await ingestTelemetry(store, [writeFixture(dir, 'again.jsonl', lines[3] + '\n\n')]).catch(() => undefined);
      expect(await totals()).toEqual(before);
      // export 1 again with export 4: export 1 is older than what is ingested of its series
      const overlap = writeFixture(dir, 'overlap.jsonl', [lines[0], lines[3]].join('\n') + '\n');
      await expect(ingestTelemetry(store, [overlap])).rejects.toThrow(/overlap\.jsonl: cumulative points older than those an ingested file/);
      expect(await totals()).toEqual(before);
      // a later export of the same series, after both: only its increase (gpt-4o restarted series 700 -> 760)
      const later = JSON.parse(lines[3]!) as { resourceMetrics: { scopeMetrics: { metrics: { histogram: { dataPoints: {
        timeUnixNano: string; sum: number }[] } }[] }[] }[] };
      for (const p of later.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.histogram.dataPoints) {
        p.timeUnixNano = ns(T0 + 300);
        p.sum += 60;
      }
      await ingestTelemetry(store, [writeFixture(dir, 'part-3.jsonl', JSON.stringify(later) + '\n')]);
      expect((await totals())[0]).toEqual({ model: 'gpt-4o', i: '2760', o: '580', n: '7', rows: '4' });
    });

  it.each([
    // [case, cumulative input points as [start, end, sum, count], expected input total, requests]
    ['continued: only the increases', [[0, 60, 100, 1], [0, 120, 250, 3], [0, 180, 400, 4]], 400, 4],
    ['a reset (new start time): the new series counted whole', [[0, 60, 100, 1], [90, 120, 30, 1], [90, 180, 50, 2]], 150, 3],
    ['a sum going down without a new start is a reset too, never subtracted', [[0, 60, 100, 2], [0, 120, 60, 1]], 160, 3],
    ['points out of order in the file: ordered by time', [[0, 180, 400, 4], [0, 60, 100, 1], [0, 120, 250, 3]], 400, 4],
  ] as [string, [number, number, number, number][], number, number][])('%s', async (_name, points, input, requests) => {
    const lines = points.map(([s, e, sum, n]) => exportLine(2, [point('gpt-4o', 'input', T0 + s, T0 + e, sum, n)]));
    await ingestTelemetry(store, [writeFixture(tempDir(), 'c.jsonl', lines.join('\n') + '\n')]);
    const [t] = await totals();
    expect(t).toMatchObject({ i: String(input), n: String(requests) });
  });

  it('a cumulative point without a start time is refused: a reset could not be told from an increase', async () => {
    const p = { ...point('gpt-4o', 'input', T0, T0 + 60, 5, 1), startTimeUnixNano: undefined };
    const f = writeFixture(tempDir(), 'nostart.json', exportLine(2, [p]));
    await expect(ingestTelemetry(store, [f])).rejects.toThrow(/nostart\.json: a cumulative data point without startTimeUnixNano/);
    expect(await store.query('SELECT count(*) AS n FROM telemetry')).toEqual([{ n: '0' }]);
  });

  // traffic per series and minute: tokens in and out, requests, and whether the process restarted before it
  const minute = fc.record({ input: fc.nat(5000), output: fc.nat(2000), requests: fc.nat(6), restart: fc.boolean() });
  const traffic = fc.array(fc.array(minute, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 });

  it('the same traffic exported as delta and as cumulative gives the same totals per series, restarts included (property)',
    async () => {
      await fc.assert(fc.asyncProperty(traffic, fc.integer({ min: 0, max: 1000 }), async (series, seed) => {
        // a file with no traffic at all is refused as empty (tested elsewhere)
        fc.pre(series.some((s) => s.some((m) => m.input + m.output + m.requests > 0)));
        const models = series.map((_, i) => `model-${i}`);
        const deltaLines: string[] = [];
        const cumulativeLines: string[] = [];
        const running = series.map(() => ({ start: T0, input: 0, output: 0, requests: 0 }));
        const minutes = Math.max(...series.map((s) => s.length));
        for (let t = 0; t < minutes; t++) {
          const start = T0 + 60 * t;
          const end = start + 60;
          const delta: object[] = [];
          const cumulative: object[] = [];
          series.forEach((mins, i) => {
            const m = mins[t];
            if (!m) return;
            const r = running[i]!;
            // a restart: the SDK starts the series again, a second into the minute
            if (m.restart && t > 0) Object.assign(r, { start: start + 1, input: 0, output: 0, requests: 0 });
            r.input += m.input; r.output += m.output; r.requests += m.requests;
            delta.push(point(models[i]!, 'input', start, end, m.input, m.requests), point(models[i]!, 'output', start, end, m.output,
              m.requests));
            cumulative.push(point(models[i]!, 'input', r.start, end, r.input, r.requests),
              point(models[i]!, 'output', r.start, end, r.output, r.requests));
          });
          deltaLines.push(exportLine(1, delta));
          cumulativeLines.push(exportLine(2, cumulative));
        }
        // the order of the exports in the file does not matter
        const k = seed % cumulativeLines.length;
        const rotated = [...cumulativeLines.slice(k), ...cumulativeLines.slice(0, k)];
        const shuffled = seed % 2 ? rotated.reverse() : rotated;
        const dir = tempDir();
        const d = writeFixture(dir, 'delta.jsonl', deltaLines.join('\n') + '\n');
        const c = writeFixture(dir, 'cumulative.jsonl', shuffled.join('\n') + '\n');
        const own = await Store.open(':memory:');
        try {
        await ingestTelemetry(own, [d, c]);
        const per = await own.query<{ file: string; model: string; i: string; o: string; n: string }>(`SELECT
            CASE WHEN tl_source_file LIKE '%delta.jsonl' THEN 'delta' ELSE 'cumulative' END AS file, model,
            CAST(sum(input_tokens) AS VARCHAR) AS i, CAST(sum(output_tokens) AS VARCHAR) AS o, CAST(sum(requests) AS VARCHAR) AS n
          FROM telemetry GROUP BY ALL ORDER BY model, file`);
        const expected = series.map((mins, i) => ({ model: models[i]!,
          i: String(mins.reduce((a, m) => a + m.input, 0)), o: String(mins.reduce((a, m) => a + m.output, 0)),
          n: String(mins.reduce((a, m) => a + m.requests, 0)) }));
        const busy = (e: { i: string; o: string; n: string }) => e.i !== '0' || e.o !== '0' || e.n !== '0';
        // delta keeps a row even for an idle minute; cumulative leaves idle windows out (a series with no traffic at all has no row)
        expect(per.filter((p) => p.file === 'delta').map(({ file: _f, ...p }) => p)).toEqual(expected);
        expect(per.filter((p) => p.file === 'cumulative').map(({ file: _f, ...p }) => p)).toEqual(expected.filter(busy));
        } finally {
          own.close();
        }
      }), { numRuns: 30 });
    }, 120_000);
});
