/**
 * The shared conformance suite (common/conformance.case.ts) for both events formats. CSV rows keep their
 * line; JSONL rows their record number (blank lines are not records: the good file has one, so a row
 * numbered by line instead of record would read back another count).
 */
import { code } from '../../store/sql.js';
import { writeFixture } from '../../test-support/focus-fixture.js';
import { conformanceCases, lineOf, recordOf } from '../common/conformance.case.js';
import { parseFirstRecord } from '../common/csv-header.js';
import { ingestEvents } from './ingest.js';

let seq = 0;
const next = () => (seq += 1) * 100;
const ROWS = code(
  'SELECT f.path AS file, e.tl_source_row AS n, e.count AS v FROM event_rows e JOIN event_files f ON f.ingestion_id = e.tl_ingestion_id');
const csv = (counts: string[]) =>
  ['timestamp,unit,feature,count', ...counts.map((c) => `2026-10-01T10:00:00Z,ticket,support,${c}`)].join('\n') + '\n';
const rec = (count: number | string) => JSON.stringify({ timestamp: '2026-10-01T10:00:00Z', unit: 'ticket', feature: 'support', count });

conformanceCases({
  name: 'events CSV',
  ingest: (store, paths) => ingestEvents(store, paths),
  good: (dir) => { const b = next(); return writeFixture(dir, 'events.csv', csv([String(b + 1), String(b + 2), String(b + 3)])); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.csv', csv(['1', '2', 'x', '4'])); return { path, file: path, line: 4 }; },
  lineage: { rows: ROWS, readBack: (file, line) => parseFirstRecord(lineOf(file, line) + '\n')![3]! },
});

conformanceCases({
  name: 'events JSONL',
  ingest: (store, paths) => ingestEvents(store, paths),
  good: (dir) => { const b = next();
    return writeFixture(dir, 'events.jsonl', [rec(b + 1), '', rec(b + 2), rec(b + 3)].join('\n') + '\n'); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.jsonl', [rec(1), rec(2.5), rec(3)].join('\n') + '\n');
    return { path, file: path, line: 2 }; },
  lineage: { rows: ROWS, readBack: (file, n) => (JSON.parse(recordOf(file, n)) as { count: number }).count },
});
