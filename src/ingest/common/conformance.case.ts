/**
 * The one suite every source format runs (Hono's common.case pattern): what source.ts promises, checked
 * the same way for FOCUS CSV and a telemetry histogram alike. A format describes how to write a good file,
 * a file with a bad value at a known record, how its lineage is stored and how to read a record back from
 * the file; `conformanceCases` registers the vitest cases:
 *   (a) re-ingesting the same content is a no-op: outcome skipped, no data row changes;
 *   (b) bad input writes nothing (every table of the store is as before) and the InputError names the
 *       file and the line (or, for a format without lines, the data row; aggregate formats no line at all);
 *   (c) lineage: the record at each stored source line, read back from the file, carries the stored value;
 *   (d) telemetry: a token count of 12.5 is refused with the file (and line where the format has lines).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { Store } from '../../store/db.js';
import { code, ident, sql, type Sql } from '../../store/sql.js';
import { tempDir } from '../../test-support/focus-fixture.js';
import type { OutcomeLine } from './source.js';

/** Where a bad record is: the file the error must name, and its line or data row (none for aggregates). */
export interface BadAt { path: string; file: string; line?: number; row?: number }

export interface FormatCase {
  name: string;
  /** Run the source's ingest over paths (with the options this format needs). */
  ingest(store: Store, paths: string[]): Promise<OutcomeLine[]>;
  /** Write a good file (or export folder) into dir; return the path to ingest. */
  good(dir: string): string | Promise<string>;
  /** Write a file whose record at a known place has a bad value. */
  bad(dir: string): BadAt | Promise<BadAt>;
  /** Write a file with a token count of 12.5 (telemetry formats). */
  fractionalTokens?: (dir: string) => BadAt | Promise<BadAt>;
  /**
   * Lineage: a query giving (file, n, v) for every stored row (n its stored source line or record), and
   * how to read the value back from the file at n. 'aggregate': the rows are sums of several records, so
   * n can only be checked to number them 1..count within their file.
   */
  lineage: { rows: Sql; readBack(file: string, n: number): string | number | null } | { aggregate: Sql };
}

/** Every table's content, as one value: equal before and after means nothing was written. */
export async function storeFingerprint(store: Store): Promise<Record<string, string>> {
  const tables =
    await store.query<{ t: string }>(code("SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY t"));
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const [row] = await store.query<{ n: string; h: string | null }>(
      sql`SELECT count(*) AS n, md5(string_agg(CAST(x AS VARCHAR), '\n' ORDER BY CAST(x AS VARCHAR))) AS h FROM ${ident(t)} x`);
    out[t] = `${row!.n}:${row!.h}`;
  }
  return out;
}

/** The data tables only (ingestion_events records the skip of a re-ingest, as it should). */
const dataOnly = (fp: Record<string, string>) => Object.fromEntries(Object.entries(fp).filter(([t]) => t !== 'ingestion_events'));

/** The text of line n (1-based) of a file, gunzipped when it ends in .gz. */
export function lineOf(file: string, n: number): string {
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').replace(/^\uFEFF/, '');
  return text.split(/\r?\n/)[n - 1] ?? '';
}

/** The n-th non-blank line: the n-th record of a JSON-lines file (blank lines are not records). */
export function recordOf(file: string, n: number): string {
  return readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '')[n - 1] ?? '';
}

async function failure(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, 'the ingest should have failed').toBeInstanceOf(InputError);
  return err as InputError;
}

function expectLocated(err: InputError, at: BadAt): void {
  expect(err.location.file).toBe(at.file);
  expect(err.message.startsWith(at.file)).toBe(true);
  // a format without lines must not claim one; one with lines must name the right one
  expect(err.location.line).toBe(at.line);
  if (at.row !== undefined) expect(err.location.row).toBe(at.row);
}

/** Register the conformance cases of one format. */
export function conformanceCases(f: FormatCase): void {
  describe(`conformance: ${f.name}`, () => {
    let store: Store;
    beforeEach(async () => { store = await Store.open(':memory:'); });
    afterEach(() => store.close());

    it('(a) re-ingesting the same content is a no-op', async () => {
      const path = await f.good(tempDir());
      const first = await f.ingest(store, [path]);
      expect(first.every((o) => o.action === 'ingested' && o.rows > 0)).toBe(true);
      const before = dataOnly(await storeFingerprint(store));
      const again = await f.ingest(store, [path]);
      expect(again.map((o) => [o.action, o.rows])).toEqual(first.map(() => ['skipped', 0]));
      expect(again.map((o) => o.ingestionId)).toEqual(first.map((o) => o.ingestionId));
      expect(dataOnly(await storeFingerprint(store))).toEqual(before);
    });

    it('(b) bad input writes nothing and names the file and the line', async () => {
      const dir = tempDir();
      await f.ingest(store, [await f.good(dir)]);
      const before = await storeFingerprint(store);
      const bad = await f.bad(tempDir());
      // a good file in the same command must not land either
      const err = await failure(f.ingest(store, [await f.good(tempDir()), bad.path]));
      expectLocated(err, bad);
      expect(await storeFingerprint(store)).toEqual(before);
    });

    it('(c) lineage points at the record the row came from', async () => {
      const path = await f.good(tempDir());
      await f.ingest(store, [path]);
      if ('aggregate' in f.lineage) {
        const rows = await store.query<{ file: string; n: string }>(f.lineage.aggregate);
        expect(rows.length).toBeGreaterThan(0);
        const byFile = new Map<string, number[]>();
        for (const r of rows) byFile.set(r.file, [...(byFile.get(r.file) ?? []), Number(r.n)]);
        for (const ns of byFile.values()) expect(ns.sort((a, b) => a - b)).toEqual(ns.map((_, i) => i + 1));
        return;
      }
      const rows = await store.query<{ file: string; n: string; v: string | number }>(f.lineage.rows);
      expect(rows.length).toBeGreaterThan(1);
      for (const r of rows) {
        expect(Number(r.n), `${r.file}: a row without its source line`).toBeGreaterThan(0);
        expect(Number(f.lineage.readBack(r.file, Number(r.n))), `${r.file} at ${r.n}`).toBe(Number(r.v));
      }
    });

    if (f.fractionalTokens) {
      const fractional = f.fractionalTokens;
      it('(d) a token count of 12.5 is refused with the file and line', async () => {
        const before = await storeFingerprint(store);
        const at = await fractional(tempDir());
        const err = await failure(f.ingest(store, [at.path]));
        expectLocated(err, at);
        expect(err.message).toMatch(/whole number/);
        expect(await storeFingerprint(store)).toEqual(before);
      });
    }
  });
}
