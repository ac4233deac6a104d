/**
 * Every capacity format on a realistic file (fixtures/, shaped as Azure, Prometheus, DCGM and nvidia-smi
 * write them) and malformed ones: what lands in the store, exactly, and what is refused with file and line.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../domain/errors.js';
import { Store } from '../../store/db.js';
import { code } from '../../store/sql.js';
import { tempDir } from '../../test-support/focus-fixture.js';
import { storeFingerprint } from '../common/conformance.case.js';
import { ingestCapacity, type CapacityOptions } from './ingest.js';
import { decimalText, nameKey, times1000, vmSizeKey } from './values.js';

const FIX = join(import.meta.dirname, 'fixtures');
const SUB = '3f2b8c4d-1111-4e8f-9a61-0e1f2a3b4c5d';
const AS_OF = '2026-10-31T23:00:00Z';
let store: Store;
beforeEach(async () => { store = await Store.open(':memory:'); });
afterEach(() => store.close());

const ingest = (name: string, o: CapacityOptions = {}) => ingestCapacity(store, [join(FIX, name)], { asOf: AS_OF, ...o });
const q = (text: string) => store.query<Record<string, string | number | boolean | null>>(code(text));

describe('formats, detected from the content', () => {
  it('compute usages (REST): subscription and region from nextLink, exact numbers', async () => {
    const [o] = await ingest('compute-usages-rest.json');
    expect(o!.format).toBe('compute-usages');
    const rows = await q(`SELECT name_key, measure, CAST(current_value AS VARCHAR) AS u, CAST(limit_value AS VARCHAR) AS l, subscription_id,
      region, CAST(captured_at AS VARCHAR) AS t, tl_source_line AS line FROM quota_snapshots ORDER BY tl_source_line`);
    expect(rows.map((r) => [r.name_key, r.measure, r.u, r.l, r.subscription_id, r.region, Number(r.line)])).toEqual([
      ['cores', 'vcpus', '180.000000', '350.000000', SUB, 'eastus2', 3],
      ['standardndsh100v5family', 'vcpus', '96.000000', '100.000000', SUB, 'eastus2', 9],
      ['standardncadsa100v4family', 'vcpus', '24.000000', '48.000000', SUB, 'eastus2', 15],
    ]);
    expect(rows[0]!.t).toBe('2026-10-31 23:00:00');
  });

  it('az vm list-usage: numbers as strings, localName; no scope in the file: from the options, else unknown (kept)', async () => {
    const [o] = await ingest('az-vm-list-usage.json', { region: 'westus3' });
    expect(o!.format).toBe('az-vm-list-usage');
    const rows = await q('SELECT name, name_key, CAST(limit_value AS INT) AS l, subscription_id, region FROM quota_snapshots ORDER BY 1');
    expect(rows.map((r) => [r.name, r.name_key, r.l, r.subscription_id, r.region])).toEqual([
      ['Standard NCASv3_T4 Family', 'standardncasv3t4family', 24, null, 'westus3'], ['cores', 'cores', 200, null, 'westus3']]);
    const [f] = await q('SELECT subscription_id, region, captured_from FROM capacity_files');
    expect(f).toEqual({ subscription_id: null, region: 'westus3', captured_from: 'as-of' });
  });

  it('Microsoft.Quota usages and limits, and Quota Group limits per allocated subscription', async () => {
    await ingestCapacity(store, ['quota-usages.json', 'quota-limits.json', 'quota-group-limits.json'].map((f) => join(FIX, f)),
      { asOf: AS_OF });
    const rows = await q(`SELECT provider, CAST(current_value AS INT) AS u, CAST(limit_value AS INT) AS l, quota_applicable AS a, region
      FROM quota_snapshots ORDER BY l NULLS FIRST`);
    expect(rows.map((r) => [r.provider, r.u, r.l, r.a, r.region])).toEqual([['quota', 96, null, true, 'eastus2'], ['quota', null, 100,
      true, 'eastus2']]);
    const g = await q(`SELECT group_name, region, name_key, CAST(group_limit AS INT) AS gl, CAST(available_limit AS INT) AS al,
      subscription_id,
      CAST(quota_allocated AS INT) AS qa FROM quota_group_limits ORDER BY qa DESC`);
    expect(g.map((r) => [r.group_name, r.region, r.name_key, r.gl, r.al, r.qa])).toEqual([
      ['gq-gpu', 'eastus2', 'standardndsh100v5family', 200, 40, 100], ['gq-gpu', 'eastus2', 'standardndsh100v5family', 200, 40, 60]]);
  });

  it('capacity reservations with instanceView: reserved, current capacity, allocated VMs, SKU key of the billing meter', async () => {
    await ingest('capacity-reservations.json');
    const [r] = await q(`SELECT group_name, name, sku_key, zones, reserved, current_capacity, allocated_vms, region, subscription_id
      FROM capacity_reservations`);
    expect(r).toEqual({ group_name: 'crg-gpu', name: 'crg-a100-eastus2-r1', sku_key: 'nc24adsa100v4', zones: '1', reserved: 3,
      current_capacity: 3, allocated_vms: 1, region: 'eastus2', subscription_id: SUB });
    expect(vmSizeKey('NC24ads A100 v4')).toBe(r!.sku_key);
  });

  it('Azure OpenAI usages: thousands of TPM multiplied by 1,000; the PTU pool without a model', async () => {
    await ingest('openai-usages.json', { subscription: SUB, region: 'eastus2' });
    const rows = await q(`SELECT measure, deployment_type, model, CAST(current_value AS BIGINT) AS u, CAST(limit_value AS BIGINT) AS l, unit
      FROM quota_snapshots ORDER BY tl_source_line`);
    expect(rows.map((r) => [r.measure, r.deployment_type, r.model, Number(r.u), Number(r.l)])).toEqual([
      ['tpm', 'GlobalStandard', 'gpt-4o', 450_000, 500_000], ['tpm', 'Standard', 'gpt-4o-mini', 100_000, 1_000_000],
      ['ptu', 'GlobalProvisionedManaged', null, 50, 100]]);
    expect(rows[0]!.unit).toBe('tokens per minute');
  });

  it('model capacities and deployments', async () => {
    await ingestCapacity(store, [join(FIX, 'model-capacities.json'), join(FIX, 'deployments.json')], { asOf: AS_OF, region: 'eastus2' });
    const [m] = await q('SELECT model_name, model_version, sku_name, CAST(available_capacity AS INT) AS a, region FROM ai_model_capacity');
    expect(m).toEqual({ model_name: 'gpt-4o', model_version: '2024-11-20', sku_name: 'GlobalStandard', a: 50, region: 'eastus2' });
    const [d] = await q(
      'SELECT account, deployment, model_name, sku_name, CAST(capacity AS INT) AS c, region, subscription_id FROM ai_deployments');
    expect(d).toEqual({ account: 'aoai-fabrikam-eus2', deployment: 'chat-4o', model_name: 'gpt-4o', sku_name: 'GlobalStandard', c: 450,
      region: 'eastus2', subscription_id: SUB });
  });

  it('DCGM scrape: the three metrics with their labels, other fields skipped, the capture time from --as-of', async () => {
    const [o] = await ingest('dcgm-scrape.prom');
    expect(o!.format).toBe('dcgm-prometheus');
    const rows = await q(`SELECT metric, CAST(value AS VARCHAR) AS v, hostname, pod, namespace, container, gpu_model,
      tl_source_line AS line,
      CAST(ts AS VARCHAR) AS ts FROM gpu_samples ORDER BY line`);
    expect(rows.map((r) => [r.metric, r.v, r.hostname, r.pod, Number(r.line)])).toEqual([
      ['gpu_util', '93.000000000', 'vm-gpu-train01', 'finetune-7f9c', 3],
      ['fb_used', '71234.000000000', 'vm-gpu-train01', 'finetune-7f9c', 6],
      ['engine_active', '0.874512000', 'vm-gpu-train01', 'finetune-7f9c', 9]]);
    expect(rows[0]!.ts).toBe('2026-10-31 23:00:00');
  });

  it('Prometheus query_range: every point with its own time (scientific notation exact)', async () => {
    await ingest('prom-query-range.json');
    const rows = await q('SELECT CAST(ts AS VARCHAR) AS ts, CAST(value AS VARCHAR) AS v, pod FROM gpu_samples ORDER BY ts');
    expect(rows.map((r) => [r.ts, r.v, r.pod])).toEqual([['2026-10-01 00:00:00', '0.020000000', 'vllm-0'],
      ['2026-10-01 01:00:00', '0.015000000', 'vllm-0']]);
    const [f] = await q('SELECT captured_from, CAST(captured_at AS VARCHAR) AS t FROM capacity_files');
    expect(f).toEqual({ captured_from: 'file', t: '2026-10-01 01:00:00' });
  });

  it('nvidia-smi CSV: percent and MiB units read off, host from --host', async () => {
    await ingest('nvidia-smi.csv', { host: 'vm-gpu-idle01' });
    const rows = await q(`SELECT metric, CAST(value AS VARCHAR) AS v, hostname, pod, tl_source_line AS line FROM gpu_samples
      ORDER BY line, metric`);
    expect(rows.map((r) => [r.metric, r.v, r.hostname, r.pod, Number(r.line)])).toEqual([
      ['fb_used', '0.000000000', 'vm-gpu-idle01', null, 2], ['gpu_util', '0.000000000', 'vm-gpu-idle01', null, 2],
      ['fb_used', '512.000000000', 'vm-gpu-idle01', null, 3], ['gpu_util', '3.000000000', 'vm-gpu-idle01', null, 3]]);
  });

  it('Azure Monitor AzureOpenAIRequests by StatusCode: empty minutes left out, deployment and region kept', async () => {
    await ingest('monitor-requests.json');
    const rows = await q(`SELECT CAST(ts AS VARCHAR) AS ts, status_code, CAST(value AS INT) AS v, deployment, resource, region
      FROM minute_metrics ORDER BY status_code, ts`);
    expect(rows.map((r) => [String(r.ts).slice(11, 16), r.status_code, r.v])).toEqual([['10:00', '200', 90], ['10:01', '200', 80],
      ['10:00', '429', 10], ['10:01', '429', 0]]);
    expect(rows[0]).toMatchObject({ deployment: 'chat-4o', resource: 'aoai-fabrikam-eus2', region: 'eastus2' });
  });
});

describe('snapshots over time', () => {
  it('the same bytes captured at another time are a new snapshot; at the same time again, a no-op', async () => {
    const [a] = await ingest('capacity-reservations.json');
    const [b] = await ingest('capacity-reservations.json', { asOf: '2026-11-15T00:00:00Z' });
    const [c] = await ingest('capacity-reservations.json');
    expect([a!.action, b!.action, c!.action]).toEqual(['ingested', 'ingested', 'skipped']);
    expect(c!.ingestionId).toBe(a!.ingestionId);
    const rows = await q('SELECT CAST(captured_at AS VARCHAR) AS t FROM capacity_reservations ORDER BY t');
    expect(rows.map((r) => r.t)).toEqual(['2026-10-31 23:00:00', '2026-11-15 00:00:00']);
  });
});

describe('bad input: file, line, what was expected; the store unchanged', () => {
  const cases: { name: string; file: string; text: string; line?: number; message: RegExp; o?: CapacityOptions }[] = [
    { name: 'az CLI limit that is not a number', file: 'u.json', line: 3,
      text: '[\n  {"currentValue": "8", "localName": "x", "name": {"value": "cores"}, "limit": "24"},\n'
        + '  {"currentValue": "8", "limit": "twenty", '
        + '"localName": "y", "name": {"value": "standardNCFamily"}}\n]\n', message: /limit is "twenty"; expected a number/ },
    { name: 'a negative usage', file: 'u.json', line: 2,
      text: '{"value": [\n {"name": {"value": "cores"}, "currentValue": -1, "limit": 10}]}\n',
      message: /currentValue is -1; expected a number of at least 0/ },
    { name: 'JSON cut short', file: 'u.json', line: 3, text: '{"value": [\n {"name": {"value": "cores"},\n', message: /not valid JSON/ },
    { name: 'a reservation without instanceView', file: 'r.json', line: 2,
      text: '{"value": [\n {"name": "r1", "type": "Microsoft.Compute/capacityReservationGroups/capacityReservations", '
        + '"sku": {"name": "Standard_ND96isr_H100_v5", "capacity": 2}, "properties": {}}]}\n', message: /expand=instanceView/ },
    { name: 'a reservation capacity of 1.5', file: 'r.json', line: 2,
      text: '{"value": [\n {"name": "r1", "type": "Microsoft.Compute/capacityReservationGroups/capacityReservations", '
        + '"sku": {"name": "Standard_ND96isr_H100_v5", "capacity": 1.5}, "properties": {"instanceView": {}}}]}\n',
          message: /whole number/ },
    { name: 'a DCGM value that is not a number', file: 'd.prom', line: 3,
      text: '# TYPE DCGM_FI_DEV_GPU_UTIL gauge\nDCGM_FI_DEV_GPU_UTIL{gpu="0"} 5\nDCGM_FI_DEV_GPU_UTIL{gpu="1"} busy\n',
        message: /not a number/ },
    { name: 'nvidia-smi percentage missing', file: 'n.csv', line: 3,
      text: 'timestamp, utilization.gpu [%]\n2026/10/01 10:00:00.000, 5 %\n2026/10/01 10:01:00.000, n/a\n', message: /not a percentage/ },
    { name: 'a file of another kind', file: 'x.json', line: 1, text: '{"hello": "world"}\n', message: /not a capacity snapshot/ },
    { name: 'a region the file contradicts', file: 'c.json', line: 2, o: { region: 'westus' },
      text: '{"value": [\n {"name": {"value": "cores"}, "currentValue": 1, "limit": 10,\n  "id": "/subscriptions/'
        + `${SUB}/providers/Microsoft.Compute/locations/eastus2/usages/cores"}]}\n`, message: /region eastus2, --region says westus/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      await ingest('compute-usages-rest.json');
      const before = await storeFingerprint(store);
      const dir = tempDir();
      const path = join(dir, c.file);
      writeFileSync(path, c.text);
      copyFileSync(join(FIX, 'deployments.json'), join(dir, 'a-good.json'));
      const err = await ingestCapacity(store, [dir], { asOf: AS_OF, ...c.o }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).location.file).toBe(path);
      expect((err as InputError).location.line).toBe(c.line);
      expect((err as Error).message).toMatch(c.message);
      expect(await storeFingerprint(store)).toEqual(before);
    });
  }
});

describe('values', () => {
  it.each([['12', '12'], ['1.5e3', '1500'], ['1.2e-05', '0.000012'], ['0.250', '0.25'], [' 7 ', '7'], ['abc', null], ['', null],
    ['-0.5', '-0.5'], ['00012.10', '12.1']])('decimalText(%s) = %s', (t, d) => expect(decimalText(t)).toBe(d));
  it('names match whatever their case and spacing', () => {
    expect(nameKey('Standard NCASv3_T4 Family')).toBe(nameKey('standardNCASv3T4Family'));
    expect(nameKey('standardNDSH100v5Family')).toBe(nameKey('Standard NDSH100v5 Family'));
    expect(times1000('450')).toBe('450000');
    expect(times1000('0.5')).toBe('500');
    expect(times1000('1.23456')).toBe('1234.56');
  });
});
