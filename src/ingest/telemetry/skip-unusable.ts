/**
 * `--skip-unusable` for usage logs: a log that mixes responses with records carrying no usage (runs still
 * in progress, streaming chunks, error bodies) is refused whole by default; with the flag, the usable
 * records are ingested and every other one is kept as (line, reason) in telemetry_skipped_records
 * (migration 011), counted in the ingestion's event and in the command's outcome. A line that is not JSON
 * at all is still an error: that is a broken file, not a record to skip.
 *
 * 1. The careful reader's SELECT (every record with its tl_problem) runs once into a temporary table, each
 *    record numbered in file order.
 * 2. The usable records are inserted with their record number as lineage (so the file needs no numbering
 *    after the commit: the numbers skip the records left out).
 * 3. The skipped records' numbers become physical lines (blank lines are not records) and are stored.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Store } from '../../store/db.js';
import { code, sql, type Sql } from '../../store/sql.js';
import { textList } from '../common/reader.js';

export interface SkippedRecord { line: number; reason: string }

/** Skipped records an outcome lists (all of them are in the store). */
export const LISTED_SKIPS = 1000;

/** The physical line of each of the (ascending) record numbers of a JSONL file. */
export async function recordLines(file: string, records: number[]): Promise<number[]> {
  const input = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  const out: number[] = [];
  let line = 0;
  let record = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      record++;
      while (out.length < records.length && records[out.length] === record) out.push(line);
      if (out.length === records.length) break;
    }
  } finally {
    input.destroy();
  }
  // records past the end (cannot happen for records DuckDB read) keep their number
  return records.map((r, i) => out[i] ?? r);
}

/**
 * Steps 1-3 for one file inside the ingest transaction: `select` is the careful reader's SELECT, `columns`
 * the telemetry_wide_rows column list. Answers the rows ingested and the skipped records (at most
 * LISTED_SKIPS of them listed; `count` is all of them).
 */
export async function insertSkipping(store: Store, file: string, ingestionId: string, select: Sql, columns: Sql):
  Promise<{ rows: number; count: number; listed: SkippedRecord[]; reasons: { reason: string; n: number; lines: number[] }[] }> {
  const pass = code('tl_skip_pass');
  await store.query(sql`CREATE OR REPLACE TEMP TABLE ${pass} AS SELECT row_number() OVER () AS tl_record, * FROM (${select})`);
  try {
    await store.query(sql`INSERT INTO telemetry_wide_rows SELECT ${columns} FROM (SELECT * REPLACE (tl_record AS tl_source_row) FROM ${pass}
      WHERE tl_problem IS NULL)`);
    const [{ rows }] = (await store.query<{ rows: string }>(
      sql`SELECT count(*) AS rows FROM ${pass} WHERE tl_problem IS NULL`)) as [{ rows: string }];
    const bad = await store.query<{ record: string; reason: string }>(
      sql`SELECT tl_record AS record, tl_problem AS reason FROM ${pass} WHERE tl_problem IS NOT NULL ORDER BY tl_record`);
    const lines = await recordLines(file, bad.map((b) => Number(b.record)));
    if (bad.length) {
      await store.query(sql`INSERT INTO telemetry_skipped_records
        SELECT ${ingestionId}, unnest(CAST(${textList(lines.map(String))} AS BIGINT[])),
          unnest(CAST(${textList(bad.map((b) => b.record))} AS BIGINT[])), unnest(${textList(bad.map((b) => b.reason))})`);
    }
    const skipped = bad.map((b, i) => ({ line: lines[i]!, reason: b.reason }));
    const byReason = new Map<string, number[]>();
    for (const s of skipped) {
      const ls = byReason.get(s.reason);
      if (ls) ls.push(s.line); else byReason.set(s.reason, [s.line]);
    }
    return { rows: Number(rows), count: skipped.length, listed: skipped.slice(0, LISTED_SKIPS),
      reasons: [...byReason].map(([reason, ls]) => ({ reason, n: ls.length, lines: ls })) };
  } finally {
    await store.query(sql`DROP TABLE IF EXISTS ${pass}`);
  }
}

/** One line for the ingestion's event and the outcome: how many were skipped, per reason with its first lines. */
export function skippedDetail(reasons: { reason: string; n: number; lines: number[] }[]): string {
  const total = reasons.reduce((a, r) => a + r.n, 0);
  if (!total) return '';
  const each = reasons.map((r) =>
    `${r.reason}: ${r.n} (line${r.n > 1 ? 's' : ''} ${r.lines.slice(0, 5).join(', ')}${r.n > 5 ? ', ...' : ''})`);
  return `${total} unusable record(s) skipped (--skip-unusable): ${each.join('; ')}`;
}
