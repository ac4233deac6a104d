/**
 * Readers of utilization time series: NVIDIA DCGM exporter scrapes (Prometheus text), Prometheus
 * `query_range` / `query` JSON of the same metrics, `nvidia-smi --query-gpu=... --format=csv` logs, and Azure
 * Monitor metric JSON (AzureOpenAIRequests split by StatusCode, AzureOpenAIProvisionedManagedUtilizationV2, and
 * the token metrics). Values keep their decimal text; a sample without its own time takes the capture time
 * (`null` here, set by the ingest). A bad value is an InputError at its line.
 */
import { InputError } from '../../domain/errors.js';
import { isObject, lineOf, type Json, JsonNum } from './json-located.js';
import type { Row } from './rows.js';
import { armScope, decimalText, RecordReader } from './values.js';

/** DCGM field -> what the row calls it (engine activity 0-1 is preferred by the reports, GPU_UTIL is percent). */
export const DCGM_METRICS: Record<string, string> = {
  DCGM_FI_PROF_GR_ENGINE_ACTIVE: 'engine_active',
  DCGM_FI_DEV_GPU_UTIL: 'gpu_util',
  DCGM_FI_DEV_FB_USED: 'fb_used',
};

/** Azure Monitor metric -> what the row calls it. */
export const MONITOR_METRICS: Record<string, string> = {
  azureopenairequests: 'requests',
  azureopenaiprovisionedmanagedutilizationv2: 'ptu_utilization',
  processedprompttokens: 'prompt_tokens',
  generatedtokens: 'completion_tokens',
  tokentransaction: 'tokens',
};

/** A time as the store keeps it (UTC, no zone), or null when the text is not a time. */
export function tsText(d: Date): string | null {
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace('T', ' ').replace('Z', '');
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());

function gpuRow(line: number, ts: string | null, labels: Record<string, string>, metric: string, value: string): Row {
  return { tl_source_line: line, ts, hostname: blank(labels.Hostname ?? labels.hostname ?? labels.instance), gpu: blank(labels.gpu),
    uuid: blank(labels.UUID ?? labels.uuid), gpu_model: blank(labels.modelName), pod: blank(labels.pod ?? labels.exported_pod),
    namespace: blank(labels.namespace ?? labels.exported_namespace), container: blank(labels.container ?? labels.exported_container),
    metric, value };
}

/** Prometheus text exposition: `NAME{label="v",...} VALUE [TIMESTAMP_MS]`, comments and other metrics skipped. */
export function readDcgmText(text: string, file: string): Row[] {
  const rows: Row[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const l = raw.trim();
    if (!l || l.startsWith('#')) return;
    const line = i + 1;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/.exec(l);
    if (!m) throw new InputError({ file, line }, `not a Prometheus sample; expected NAME{labels} VALUE [TIMESTAMP], found ${l.slice(0,
      60)}`);
    const metric = DCGM_METRICS[m[1]!];
    if (!metric) return;
    const labels: Record<string, string> = {};
    const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/y;
    const body = m[3] ?? '';
    let at = 0;
    while (at < body.length) {
      re.lastIndex = at;
      const lm = re.exec(body);
      if (!lm) throw new InputError({ file, line }, `bad label set {${body.slice(0, 60)}}; expected name="value" pairs`);
      labels[lm[1]!] = lm[2]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
      at = re.lastIndex;
    }
    const value = decimalText(m[4]);
    if (value === null || value.startsWith('-'))
      throw new InputError({ file, line }, `${m[1]} value ${m[4]} is not a number of at least 0`);
    const ts = m[5] ? tsText(new Date(Number(m[5]))) : null;
    rows.push(gpuRow(line, ts, labels, metric, value));
  });
  return rows;
}

/** Prometheus HTTP API answer: `{status, data:{resultType: matrix | vector, result:[{metric, values | value}]}}`. */
export function readPromQuery(doc: Json, file: string): Row[] {
  const data = isObject(doc) ? doc.data : undefined;
  const result = isObject(data) && Array.isArray(data.result) ? data.result : null;
  if (!result) throw new InputError({ file, line: lineOf(doc) }, 'no data.result; expected a Prometheus query_range answer');
  const rows: Row[] = [];
  for (const series of result) {
    const r = new RecordReader(file, isObject(series) ? series : {}, 'Prometheus series');
    const labels = Object.fromEntries(Object.entries(isObject(r.get('metric')) ? r.get('metric') as Record<string, Json> : {})
      .map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    const metric = DCGM_METRICS[labels.__name__ ?? ''];
    if (!metric) continue;
    const values = r.get('values');
    const points = Array.isArray(values) ? values : r.get('value') !== undefined ? [r.get('value')!] : [];
    for (const p of points) {
      const line = lineOf(p);
      const [t, v] = Array.isArray(p) ? p : [];
      const secs = decimalText(t);
      const value = decimalText(v);
      if (secs === null) throw new InputError({ file, line },
        `a sample's time is ${JSON.stringify(t instanceof JsonNum ? t.text : t)}; expected Unix seconds`);
      if (value === null || value.startsWith('-'))
        throw new InputError({ file, line },
          `${labels.__name__} value ${JSON.stringify(v instanceof JsonNum ? v.text : v)} is not a number of at least 0`);
      rows.push(gpuRow(line, tsText(new Date(Math.round(Number(secs) * 1000))), labels, metric, value));
    }
  }
  return rows;
}

/** nvidia-smi CSV: a header of query names with units ("utilization.gpu [%]"), values like "45 %", "1024 MiB". */
export function readNvidiaSmi(text: string, file: string, host: string | null): Row[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const header = lines[0]!.split(',').map((h) => h.trim().replace(/\s*\[.*\]$/, '').toLowerCase());
  const col = (n: string) => header.indexOf(n);
  const [iTs, iUtil, iMem, iIdx, iUuid, iName] = ['timestamp', 'utilization.gpu', 'memory.used', 'index', 'uuid', 'name'].map(col) as
    [number, number, number, number, number, number];
  if (iUtil === -1) throw new InputError({ file, line: 1 },
    'no utilization.gpu column; expected nvidia-smi --query-gpu=timestamp,index,uuid,name,utilization.gpu,memory.used --format=csv');
  if (iTs === -1) throw new InputError({ file, line: 1 },
    'no timestamp column; expected nvidia-smi --query-gpu=timestamp,... --format=csv');
  const rows: Row[] = [];
  lines.slice(1).forEach((raw, i) => {
    if (!raw.trim()) return;
    const line = i + 2;
    const f = raw.split(',').map((x) => x.trim());
    if (f.length !== header.length) throw new InputError({ file, line }, `${f.length} fields; expected ${header.length} as in the header`);
    const ts = tsText(new Date(f[iTs]!.replace(/^(\d{4})\/(\d{2})\/(\d{2}) /, '$1-$2-$3T') + 'Z'));
    if (ts === null) throw new InputError({ file, line, column: 'timestamp' }, `${f[iTs]} is not a time; expected YYYY/MM/DD HH:MM:SS.mmm`);
    const labels: Record<string, string> = { Hostname: host ?? '', gpu: iIdx >= 0 ? f[iIdx]! : '', UUID: iUuid >= 0 ? f[iUuid]! : '',
      modelName: iName >= 0 ? f[iName]! : '' };
    const util = decimalText(f[iUtil]!.replace(/\s*%$/, ''));
    if (util === null || util.startsWith('-'))
      throw new InputError({ file, line, column: 'utilization.gpu' }, `${f[iUtil]} is not a percentage; expected a value such as 45 %`);
    rows.push(gpuRow(line, ts, labels, 'gpu_util', util));
    if (iMem >= 0) {
      const mem = decimalText(f[iMem]!.replace(/\s*MiB$/i, ''));
      if (mem === null) throw new InputError({ file, line, column: 'memory.used' },
        `${f[iMem]} is not a size; expected a value such as 1024 MiB`);
      rows.push(gpuRow(line, ts, labels, 'fb_used', mem));
    }
  });
  return rows;
}

/** Azure Monitor metrics (REST and `az monitor metrics list`): one row per data point with a value. */
export function readMonitor(doc: Json, file: string): { rows: Row[]; subscription?: string; region?: string } {
  const value = isObject(doc) && Array.isArray(doc.value) ? doc.value : [];
  const region = isObject(doc) && typeof doc.resourceregion === 'string' ? doc.resourceregion.toLowerCase() : undefined;
  const rows: Row[] = [];
  let subscription: string | undefined;
  for (const m of value) {
    const r = new RecordReader(file, isObject(m) ? m : {}, 'Azure Monitor metric');
    const name = r.text('name.value') ?? '';
    const metric = MONITOR_METRICS[name.toLowerCase()];
    if (!metric) continue;
    const scope = armScope(r.text('id'));
    subscription ??= scope.subscription;
    const resource = /\/accounts\/([^/]+)/i.exec(r.text('id') ?? '')?.[1] ?? null;
    const series = r.get('timeseries');
    for (const s of Array.isArray(series) ? series : []) {
      const sr = new RecordReader(file, isObject(s) ? s : {}, `${name} series`);
      const dims: Record<string, string> = {};
      const meta = sr.get('metadatavalues');
      for (const d of Array.isArray(meta) ? meta : []) {
        const dr = new RecordReader(file, isObject(d) ? d : {}, 'dimension');
        dims[(dr.text('name.value') ?? '').toLowerCase()] = dr.text('value') ?? '';
      }
      const data = sr.get('data');
      for (const p of Array.isArray(data) ? data : []) {
        const pr = new RecordReader(file, isObject(p) ? p : {}, `${name} data point`);
        const field = metric === 'ptu_utilization' ? ['average', 'maximum'] : ['total', 'count', 'average'];
        const at = field.find((k) => pr.get(k) !== undefined && pr.get(k) !== null);
        if (!at) continue;
        const v = pr.number(at);
        const ts = tsText(new Date(pr.needText('timeStamp', 'an ISO 8601 time')));
        if (ts === null) pr.fail(`timeStamp ${pr.text('timeStamp')} is not a time; expected ISO 8601`);
        rows.push({ tl_source_line: pr.line, ts, subscription_id: scope.subscription ?? null, region: region ?? null, resource,
          deployment: blank(dims.modeldeploymentname), model: blank(dims.modelname), metric, status_code: blank(dims.statuscode),
          value: v });
      }
    }
  }
  return { rows, ...(subscription ? { subscription } : {}), ...(region ? { region } : {}) };
}
