/**
 * The shared conformance suite (common/conformance.case.ts) for capacity snapshots: a JSON list (each record
 * named by the line it starts on), a DCGM scrape (Prometheus text, by line) and an nvidia-smi CSV log.
 */
import { code } from '../../store/sql.js';
import { writeFixture } from '../../test-support/focus-fixture.js';
import { conformanceCases, lineOf } from '../common/conformance.case.js';
import { ingestCapacity } from './ingest.js';

let seq = 0;
const next = () => (seq += 1) * 100;
const opts = { asOf: '2026-10-31T23:00:00Z', subscription: '3f2b8c4d-1111-4e8f-9a61-0e1f2a3b4c5d', region: 'eastus2' };
const usage = (family: string, used: number | string) =>
  `  {"name": {"value": "${family}", "localizedValue": "${family} vCPUs"}, "currentValue": ${used}, "limit": 1000, "unit": "Count"}`;
const usages = (values: (number | string)[]) =>
  `{"value": [\n${values.map((v, i) => usage(`standardNC${i}Family`, v)).join(',\n')}\n]}\n`;
const FILE_ROWS = (table: string, value: string) => code(
  `SELECT f.path AS file, t.tl_source_line AS n, ${value} AS v FROM ${table} t
   JOIN capacity_files f ON f.ingestion_id = t.tl_ingestion_id`);

conformanceCases({
  name: 'capacity: compute usages JSON',
  ingest: (store, paths) => ingestCapacity(store, paths, opts),
  good: (dir) => { const b = next(); return writeFixture(dir, 'usages.json', usages([b + 1, b + 2, b + 3])); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.json', usages([1, 2, '"x"', 4])); return { path, file: path, line: 4 }; },
  lineage: { rows: FILE_ROWS('quota_snapshots', 'CAST(current_value AS INT)'),
    readBack: (file, n) => (JSON.parse(lineOf(file, n).replace(/,\s*$/, '')) as { currentValue: number }).currentValue },
});

const sample = (gpu: number, v: string) => `DCGM_FI_DEV_GPU_UTIL{gpu="${gpu}",Hostname="vm-a",pod="p${gpu}"} ${v}`;
conformanceCases({
  name: 'capacity: DCGM scrape',
  ingest: (store, paths) => ingestCapacity(store, paths, opts),
  good: (dir) => { const b = next() % 90;
    return writeFixture(dir, 'scrape.prom', ['# TYPE DCGM_FI_DEV_GPU_UTIL gauge', sample(0, `${b + 1}`), '', sample(1,
      `${b + 2}`)].join('\n') + '\n'); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.prom', [sample(0, '1'), sample(1, '-3')].join('\n') + '\n');
    return { path, file: path, line: 2 }; },
  lineage: { rows: FILE_ROWS('gpu_samples', 'CAST(value AS INT)'), readBack: (file, n) => Number(lineOf(file, n).split(' ').pop()) },
});

conformanceCases({
  name: 'capacity: nvidia-smi CSV',
  ingest: (store, paths) => ingestCapacity(store, paths, { ...opts, host: 'vm-b' }),
  good: (dir) => { const b = next() % 90;
    return writeFixture(dir, 'smi.csv', ['timestamp, utilization.gpu [%]', `2026/10/01 10:00:00.000, ${b + 1} %`,
      `2026/10/01 10:01:00.000, ${b + 2} %`].join('\n') + '\n'); },
  bad: (dir) => { const path = writeFixture(dir, 'bad.csv', ['timestamp, utilization.gpu [%]', '2026/10/01 10:00:00.000, 1 %',
    '2026/10/01 10:01:00.000, 2 %', 'yesterday, 3 %'].join('\n') + '\n'); return { path, file: path, line: 4 }; },
  lineage: { rows: FILE_ROWS('gpu_samples', 'CAST(value AS INT)'), readBack: (file, n) => parseInt(lineOf(file, n).split(',')[1]!, 10) },
});
