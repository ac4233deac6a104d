/**
 * The end-to-end section of docs/benchmarks.md from a result (the measurement itself runs in `npm run bench`):
 * the ratio is tokenledger's wall time over pandas', and a machine without pandas says so instead of a ratio.
 */
import { describe, expect, it } from 'vitest';
import { endToEndMarkdown, type EndToEndResult } from './end-to-end.js';

const result = (pandas: number): EndToEndResult => ({ input: 'export.csv.gz', rows: 1_019_592, month: '2026-10', runs: [
  { name: 'tokenledger (ingest focus + report cost-per-token)', seconds: 6, ingestSeconds: 5.5, reportSeconds: 0.5, cost: '10.00' },
  { name: 'pandas (read_csv + groupby)', seconds: pandas, cost: Number.isFinite(pandas) ? '10.00' : null,
    ...(Number.isFinite(pandas) ? {} : { note: 'skipped: no Python with pandas here' }) },
  { name: 'plain DuckDB (one query over the file)', seconds: 2, cost: '10.00' },
] });

describe('endToEndMarkdown', () => {
  it('states the ratio to pandas and whether it meets the target', () => {
    const md = endToEndMarkdown(result(12));
    expect(md).toContain('| tokenledger (ingest focus + report cost-per-token) | 6.00 | 0.50 | 10.00 | ingest 5.50 s, report 0.50 s |');
    expect(md).toContain('| plain DuckDB (one query over the file) | 2.00 | 0.17 | 10.00 |  |');
    expect(md).toContain('tokenledger / pandas: **0.50** (within the target of 1.0).');
    expect(endToEndMarkdown(result(4))).toContain('tokenledger / pandas: **1.50** (over the target of 1.0).');
  });

  it('without pandas: no ratio, and the note says how to get it', () => {
    const md = endToEndMarkdown(result(NaN));
    expect(md).toContain('| pandas (read_csv + groupby) | - | - | - | skipped: no Python with pandas here |');
    expect(md).toContain('pandas was not available: no ratio.');
  });
});
