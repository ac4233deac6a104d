/**
 * `tokenledger ingest capacity`: snapshots of limits, capacity and utilization into the store with the
 * guarantees of the other ingests (common/source.ts): one transaction per command, the same content again
 * is a no-op (checksum), every row keeps its ingestion and source line, and bad input is an InputError
 * naming the file and line with the store left as it was.
 *
 * 1. List the files; checksum each (UTF-8 checked on the same read).
 * 2. Read each whole (they are small): detect the format from the content, parse it in JS (JSON with
 *    lines, Prometheus text, CSV) into rows of its table; every problem is found here, before any write.
 * 3. Capture time: the latest sample time in the content, else --as-of, else the file's modification time
 *    (recorded as `captured_from`); samples without a time of their own take it.
 * 4. Subscription and region: each record's own ids, else the file's (its id, nextLink), else --subscription /
 *    --region; a record whose id says another one than the option is refused; none: kept unknown (NULL).
 *    GPU samples of a pod get the dimensions the job mapping gives it (NULL: the VM's tags decide).
 * 5. In one transaction: skip what was seen (the content's checksum; for a snapshot timed by --as-of or the
 *    file's time, the checksum with that time), insert the rows, record the ingestion, its file and the log.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError, UsageError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import { sql } from '../../store/sql.js';
import { digestFile } from '../common/checksum.js';
import { kindOf, walkFolder } from '../common/files.js';
import { healPendingRows } from '../common/heal.js';
import { fileIngestionId, insertIngestion, logEvent, skipIfSeen } from '../common/ledger-log.js';
import type { OutcomeLine, Source } from '../common/source.js';
import { readArm, type ArmFormat } from './arm.js';
import { CAPACITY_FORMATS, detectJson, detectText, type CapacityFormat } from './detect.js';
import { isObject, parseLocatedJson } from './json-located.js';
import { readDcgmText, readMonitor, readNvidiaSmi, readPromQuery, tsText } from './metrics.js';
import { CAPACITY_TABLES, insertRows, SNAPSHOT_TABLES, type CapacityTable, type ParsedCapacity, type Row } from './rows.js';
import { armScope } from './values.js';

export interface CapacityOptions {
  /** Capture time of snapshots whose content has none (ISO 8601). */
  asOf?: string;
  subscription?: string;
  region?: string;
  /** The host an nvidia-smi log was taken on (its CSV does not say). */
  host?: string;
  /** GPU samples: the feature / team / environment / cost center of a pod (tokenledger.yaml `capacity.jobs`, config/capacity.ts). */
  mapJob?: (labels: { namespace?: string | null; pod?: string | null; container?: string | null }) => Partial<Record<JobDimension, string>>;
  clock?: () => Date;
}

type JobDimension = 'feature' | 'team' | 'environment' | 'cost_center';

export interface CapacityOutcome extends OutcomeLine { format: CapacityFormat }

const DATA = /\.(json|csv|prom|txt|metrics)(\.gz)?$/i;

function listFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (kindOf(p) === 'dir') {
      const before = out.length;
      walkFolder(p, (f) => { if (DATA.test(f)) out.push(f); });
      if (out.length === before) throw new UsageError(`${p}: no capacity files found (looked for .json, .csv, .prom, .txt, .metrics)`);
    } else out.push(p);
  }
  return out.sort();
}

/** Step 2: the file's format and rows. */
export function parseCapacityFile(file: string, text: string, o: CapacityOptions): ParsedCapacity {
  const start = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (start !== '{' && start !== '[') {
    const format = detectText(text, file);
    const rows = format === 'nvidia-smi-csv' ? readNvidiaSmi(text, file, o.host ?? null) : readDcgmText(text, file);
    if (!rows.length) throw new InputError({ file },
      'no GPU samples; expected DCGM_FI_PROF_GR_ENGINE_ACTIVE, DCGM_FI_DEV_GPU_UTIL or DCGM_FI_DEV_FB_USED');
    return { format, rows: { gpu_samples: rows }, ...latest(rows, 'ts') };
  }
  const doc = parseLocatedJson(text, file);
  const format = detectJson(doc, file);
  const fileScope = isObject(doc) ? armScope([doc.id, doc.nextLink,
    doc['@odata.nextLink']].filter((x) => typeof x === 'string').join(' ')) : {};
  if (format === 'prometheus-query') {
    const rows = readPromQuery(doc, file);
    if (!rows.length) throw new InputError({ file },
      'no DCGM GPU series in data.result; expected DCGM_FI_PROF_GR_ENGINE_ACTIVE, DCGM_FI_DEV_GPU_UTIL or DCGM_FI_DEV_FB_USED');
    return { format, rows: { gpu_samples: rows }, ...latest(rows, 'ts') };
  }
  if (format === 'azure-monitor-metrics') {
    const m = readMonitor(doc, file);
    if (!m.rows.length) throw new InputError({ file },
      'no data points of AzureOpenAIRequests, AzureOpenAIProvisionedManagedUtilizationV2 or the token metrics');
    return { format, rows: { minute_metrics: m.rows }, ...fileScope, ...(m.subscription ? { subscription: m.subscription } : {}),
      ...(m.region ? { region: m.region } : {}), ...latest(m.rows, 'ts') };
  }
  const { table, rows } = readArm(doc, file, format as ArmFormat);
  if (!rows.length) throw new InputError({ file }, `no ${format} records`);
  return { format, rows: { [table]: rows }, ...fileScope };
}

function latest(rows: Row[], col: string): { latestSample?: string } {
  let max: string | undefined;
  for (const r of rows) if (typeof r[col] === 'string' && (max === undefined || (r[col] as string) > max)) max = r[col] as string;
  return max ? { latestSample: max } : {};
}

/** Steps 3 and 4: capture time and scope on every row. */
function settle(file: string, p: ParsedCapacity,
  o: CapacityOptions): { capturedAt: string; from: string; sub: string | null; region: string | null } {
  const asOf = o.asOf ? tsText(new Date(o.asOf)) : null;
  if (o.asOf && !asOf) throw new UsageError(`--as-of ${o.asOf}: expected an ISO 8601 date-time such as 2026-10-31T23:00:00Z`);
  const capturedAt = p.latestSample ?? asOf ?? tsText(statSync(file).mtime)!;
  const from = p.latestSample ? 'file' : asOf ? 'as-of' : 'mtime';
  const sub = p.subscription ?? o.subscription?.toLowerCase() ?? null;
  const region = p.region ?? o.region?.toLowerCase() ?? null;
  for (const [table, rows] of Object.entries(p.rows) as [CapacityTable, Row[]][]) {
    for (const r of rows) {
      if (SNAPSHOT_TABLES.includes(table)) r.captured_at = capturedAt;
      if ('ts' in r && r.ts === null) r.ts = capturedAt;
      if (table === 'gpu_samples') Object.assign(r, o.mapJob?.({ namespace: r.namespace as string | null, pod: r.pod as string | null,
        container: r.container as string | null }));
      if (table === 'gpu_samples' || table === 'quota_group_limits') continue;
      for (const [col, given, flag] of [['subscription_id', o.subscription?.toLowerCase(), '--subscription'],
        ['region', o.region?.toLowerCase(), '--region']] as const) {
        if (r[col] && given && r[col] !== given)
          throw new InputError({ file, line: Number(r.tl_source_line) },
            `the record names ${col === 'region' ? 'region' : 'subscription'} ${r[col]}, ${flag} says ${given}`);
        r[col] ??= col === 'region' ? region : sub;
      }
    }
  }
  return { capturedAt, from, sub, region };
}

export async function ingestCapacity(store: Store, paths: string[], o: CapacityOptions = {}): Promise<CapacityOutcome[]> {
  await healPendingRows(store);
  const at = tsText((o.clock ?? (() => new Date()))())!;
  const planned: { file: string; digest: { sha256: string; bytes: number }; parsed: ParsedCapacity;
    settled: ReturnType<typeof settle> }[] = [];
  for (const file of listFiles(paths)) {
    const digest = await digestFile(file, undefined, { utf8: !file.endsWith('.gz'),
      expected: 'a capacity snapshot (JSON, Prometheus text or CSV)' });
    const raw = readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const parsed = parseCapacityFile(file, text, o);
    planned.push({ file, digest, parsed, settled: settle(file, parsed, o) });
  }
  return store.transaction(async () => {
    const out: CapacityOutcome[] = [];
    for (const { file, digest, parsed, settled } of planned) {
      const format = parsed.format as CapacityFormat;
      // a snapshot whose time is not in its content is an observation at that time: the same bytes captured at
      // another time (--as-of) are a new snapshot; the same file at the same time again is a no-op
      const identity = settled.from === 'file' ? digest.sha256
        : createHash('sha256').update(`${digest.sha256}|captured ${settled.capturedAt}`).digest('hex');
      const seen = await skipIfSeen(store, 'capacity', identity, at, file);
      if (seen) {
        out.push({ source: file, action: 'skipped', format, rows: 0, ...seen });
        continue;
      }
      const id = fileIngestionId('cap', at, identity);
      let rows = 0;
      for (const table of CAPACITY_TABLES) {
        const list = parsed.rows[table] ?? [];
        await insertRows(store, table, id, list);
        rows += list.length;
      }
      const where = `${settled.sub ?? 'subscription unknown'}, ${settled.region ?? 'region unknown'}`;
      const detail = `${format}, captured ${settled.capturedAt.slice(0, 16)} (${settled.from}), ${where}`;
      await insertIngestion(store, { id, kind: 'capacity', format, source: file, checksum: identity, files: 1, rows,
        scope: `capacity:${file}`, at });
      await store.query(sql`INSERT INTO capacity_files VALUES (${id}, ${file}, ${digest.sha256}, ${digest.bytes}, ${rows}, ${format},
        CAST(${settled.capturedAt} AS TIMESTAMP), ${settled.from}, ${settled.sub}, ${settled.region})`);
      await logEvent(store, at, 'ingested', id, file, rows, detail);
      out.push({ source: file, action: 'ingested', ingestionId: id, format, rows, detail });
    }
    return out;
  });
}

/** Capacity snapshots as a source (common/source.ts). */
export const capacitySource: Source<CapacityOptions, CapacityOutcome> = {
  kind: 'capacity',
  describe: 'quota, capacity reservations, Azure OpenAI quota and deployments, GPU utilization and Azure Monitor minute metrics',
  formats: CAPACITY_FORMATS,
  ingest: (store, paths, options) => ingestCapacity(store, paths, options),
};
