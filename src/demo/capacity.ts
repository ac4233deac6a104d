/**
 * The demo company's capacity snapshots for its last month, consistent with its billing export and telemetry:
 * compute usages for two regions (eastus2 REST, its A100 family near the limit: the capacity reservation's
 * 3 VMs count against it; westus3 as `az vm list-usage` writes it), a Quota Group sharing that family, the
 * reservation with two slots unused, DCGM samples of its three GPU VMs (gpu-fleet.ts: a training job, an
 * inference pod holding its GPU idle most hours, a VM with nothing scheduled; the two T4 VMs in westus3 count
 * against its T4 family), Azure OpenAI usages, model capacities and deployments with one deployment throttling
 * at its peak, and PTU utilization of the provisioned deployment.
 * Deterministic for a seed; numbers are integers or decimal text built from integers, never floats.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMonths } from '../domain/month.js';
import { SUBSCRIPTIONS } from './catalog.js';
import { writeGpuSamples } from './gpu-fleet.js';
import { Rng } from './rng.js';

/** One `ingest capacity` call: files and the options their content does not say. */
export interface CapacityBatch { paths: string[]; asOf: string; subscription?: string; region?: string }

const ML = SUBSCRIPTIONS.ml.id;
const AI = SUBSCRIPTIONS.aiProd.id;
const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
const usage = (value: string, localizedValue: string, currentValue: number, limit: number) =>
  ({ name: { value, localizedValue }, currentValue, limit, unit: 'Count' });
const vmId = (name: string) => `/subscriptions/${ML}/resourceGroups/rg-ml-training/providers/Microsoft.Compute/virtualMachines/${name}`;

function computeFiles(dir: string): string[] {
  const eastus2 = join(dir, 'compute-usages-eastus2.json');
  // the reservation's 3 NC24ads_A100_v4 slots (24 vCPUs each) count against the family, used or not
  writeFileSync(eastus2, json({ value: [usage('cores', 'Total Regional vCPUs', 80, 350),
    usage('standardNCADSA100v4Family', 'Standard NCADS_A100_v4 Family vCPUs', 72, 80),
    usage('standardNDSH100v5Family', 'Standard NDSH100v5 Family vCPUs', 0, 96),
    usage('standardDSv5Family', 'Standard DSv5 Family vCPUs', 8, 100)],
  nextLink: `https://management.azure.com/subscriptions/${ML}/providers/Microsoft.Compute/locations/eastus2/usages?api-version=2024-07-01` }));
  return [eastus2];
}

/** `az vm list-usage -l westus3 -o json`: numbers as strings, localName, no ids (subscription and region from the command). */
function azFile(dir: string): string {
  const f = join(dir, 'az-vm-list-usage-westus3.json');
  const row = (value: string, local: string, cur: number, lim: number) =>
    ({ currentValue: String(cur), limit: String(lim), localName: local, name: { localizedValue: local, value } });
  // vm-gpu-infer01 (NC8as_T4_v3, 8 vCPUs) and vm-gpu-dev01 (NC4as_T4_v3, 4 vCPUs) run here
  writeFileSync(f, json([row('cores', 'Total Regional vCPUs', 12, 100), row('Standard NCASv3_T4 Family', 'Standard NCASv3_T4 Family vCPUs',
    12, 24),
    row('standardNCADSA100v4Family', 'Standard NCADS_A100_v4 Family vCPUs', 0, 24)]));
  return f;
}

function quotaGroupFile(dir: string): string {
  const f = join(dir, 'quota-group-limits-eastus2.json');
  writeFileSync(f, json({
    id: '/providers/Microsoft.Management/managementGroups/mg-fabrikam/providers/Microsoft.Quota/groupQuotas/gq-fabrikam-gpu/' +
      'resourceProviders/Microsoft.Compute/groupQuotaLimits/eastus2',
    type: 'Microsoft.Quota/groupQuotas/groupQuotaLimits', name: 'eastus2',
    properties: { provisioningState: 'Succeeded', value: [{ properties: {
      resourceName: 'standardncadsa100v4family', limit: 160, availableLimit: 16, unit: 'Count',
      name: { value: 'standardncadsa100v4family', localizedValue: 'Standard NCADS_A100_v4 Family vCPUs' },
      allocatedToSubscriptions: { value: [{ subscriptionId: ML, quotaAllocated: 80 }, { subscriptionId: AI, quotaAllocated: 64 }] } } }] },
  }));
  return f;
}

function reservationFile(dir: string, name: string): string {
  const f = join(dir, name);
  writeFileSync(f, json({ value: [{
    name: 'crg-a100-eastus2-r1', location: 'eastus2', sku: { name: 'Standard_NC24ads_A100_v4', capacity: 3 }, zones: ['1'],
    id: `/subscriptions/${ML}/resourceGroups/rg-ml-training/providers/Microsoft.Compute/capacityReservationGroups/crg-gpu-eastus2/` +
      'capacityReservations/crg-a100-eastus2-r1',
    type: 'Microsoft.Compute/capacityReservationGroups/capacityReservations',
    properties: { provisioningState: 'Succeeded', instanceView: { utilizationInfo: { currentCapacity: 3,
      virtualMachinesAllocated: [{ id: vmId('vm-gpu-train01') }] } } },
  }] }));
  return f;
}

const DEPLOYMENTS = [
  { account: 'aoai-support-prod', name: 'support-gpt4o', model: 'gpt-4o', version: '2024-11-20', sku: 'GlobalStandard', capacity: 300,
    base: 170_000, peak: 330_000 },
  { account: 'aoai-support-prod', name: 'support-4o-mini', model: 'gpt-4o-mini', version: '2024-07-18', sku: 'GlobalStandard',
    capacity: 1000, base: 200_000, peak: 420_000 },
  { account: 'aoai-sales-prod', name: 'sales-gpt5mini', model: 'gpt-5-mini', version: '2025-08-07', sku: 'GlobalStandard', capacity: 250,
    base: 40_000, peak: 110_000 },
];
const accountId = (account: string, sub = AI) =>
  `/subscriptions/${sub}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/${account}`;

function openaiFiles(dir: string, month: string, rng: Rng): CapacityBatch[] {
  const usages = join(dir, 'openai-usages-eastus2.json');
  writeFileSync(usages, json({ value: [
    usage('OpenAI.GlobalStandard.gpt-4o', 'Tokens Per Minute (thousands) - GPT-4o - GlobalStandard', 300, 450),
    usage('OpenAI.GlobalStandard.gpt-4o-mini', 'Tokens Per Minute (thousands) - GPT-4o-mini - GlobalStandard', 1000, 2000),
    usage('OpenAI.GlobalStandard.gpt-5-mini', 'Tokens Per Minute (thousands) - GPT-5-mini - GlobalStandard', 250, 500)] }));
  const ptuUsages = join(dir, 'openai-usages-swedencentral.json');
  writeFileSync(ptuUsages, json({ value: [
    usage('OpenAI.GlobalProvisionedManaged', 'Global Provisioned Managed Throughput Unit', 50, 100)] }));
  const capacities = join(dir, 'openai-model-capacities-eastus2.json');
  const cap = (model: string, version: string, available: number) => ({ location: 'eastus2', name: 'GlobalStandard',
    id: `/subscriptions/${AI}/providers/Microsoft.CognitiveServices/locations/eastus2/models/OpenAI.${model}.${version}` +
      '/modelCapacities/GlobalStandard',
    type: 'Microsoft.CognitiveServices/locations/models/modelCapacities',
    properties: { model: { format: 'OpenAI', name: model, version }, skuName: 'GlobalStandard', availableCapacity: available } });
  writeFileSync(capacities, json({ value: [cap('gpt-4o', '2024-11-20', 150), cap('gpt-4o-mini', '2024-07-18', 0), cap('gpt-5-mini',
    '2025-08-07', 250)] }));
  const dep = (d: { account: string; name: string; model: string; version: string; sku: string; capacity: number }) => ({
    id: `${accountId(d.account)}/deployments/${d.name}`, name: d.name, type: 'Microsoft.CognitiveServices/accounts/deployments',
    sku: { name: d.sku, capacity: d.capacity }, properties: { model: { format: 'OpenAI', name: d.model, version: d.version },
      provisioningState: 'Succeeded' } });
  const deployments = join(dir, 'openai-deployments-eastus2.json');
  writeFileSync(deployments, json({ value: DEPLOYMENTS.map(dep) }));
  const ptuDeployments = join(dir, 'openai-deployments-swedencentral.json');
  writeFileSync(ptuDeployments, json({ value: [dep({ account: 'aoai-ptu-prod', name: 'ptu-gpt4o', model: 'gpt-4o', version: '2024-11-20',
    sku: 'GlobalProvisionedManaged', capacity: 50 })] }));
  // 2. The peak afternoon of the 15th, minute by minute: requests by status code and tokens per deployment
  const t0 = Date.parse(`${month}-15T13:00:00Z`);
  const minute = (i: number) => new Date(t0 + i * 60_000).toISOString().replace('.000Z', 'Z');
  const monitor: string[] = [];
  for (const account of ['aoai-support-prod', 'aoai-sales-prod']) {
    const metrics: unknown[] = [];
    const series = DEPLOYMENTS.filter((d) => d.account === account).map((d) => {
      const tokens = Array.from({ length: 120 }, (_, i) => {
        const surge = i >= 60 && i < 80 ? d.peak - d.base : Math.round((d.peak - d.base) * 0.3 * Math.abs(Math.sin(i / 9)));
        return d.base + surge + rng.int(0, 8_000);
      });
      const limit = d.capacity * 1000;
      // the limiter counts prompt + max_tokens: above about 90 % of the capacity in billed tokens some requests are refused
      const throttled = tokens.map((t) => (t > 0.9 * limit ? Math.ceil((t - 0.9 * limit) / 1500) : 0));
      const ok = tokens.map((t) => Math.round(t / 1500));
      return { d, tokens, throttled, ok };
    });
    const dims = (name: string, status?: string) => [{ name: { value: 'ModelDeploymentName', localizedValue: 'ModelDeploymentName' },
      value: name },
      ...(status ? [{ name: { value: 'StatusCode', localizedValue: 'StatusCode' }, value: status }] : [])];
    metrics.push({ id: `${accountId(account)}/providers/Microsoft.Insights/metrics/AzureOpenAIRequests`, type: 'Microsoft.Insights/metrics',
      name: { value: 'AzureOpenAIRequests', localizedValue: 'Azure OpenAI Requests' }, unit: 'Count', errorCode: 'Success',
      timeseries: series.flatMap((s) => [
        { metadatavalues: dims(s.d.name, '200'), data: s.ok.map((total, i) => ({ timeStamp: minute(i), total })) },
        { metadatavalues: dims(s.d.name, '429'), data: s.throttled.map((total, i) => ({ timeStamp: minute(i), total })) }]) });
    metrics.push({ id: `${accountId(account)}/providers/Microsoft.Insights/metrics/TokenTransaction`, type: 'Microsoft.Insights/metrics',
      name: { value: 'TokenTransaction', localizedValue: 'Processed Inference Tokens' }, unit: 'Count', errorCode: 'Success',
      timeseries: series.map((s) => ({ metadatavalues: dims(s.d.name), data: s.tokens.map((total, i) => ({ timeStamp: minute(i),
        total })) })) });
    const f = join(dir, `monitor-${account}-${month}-15.json`);
    writeFileSync(f, json({ cost: 0, timespan: `${minute(0)}/${minute(120)}`, interval: 'PT1M', value: metrics,
      namespace: 'Microsoft.CognitiveServices/accounts', resourceregion: 'eastus2' }));
    monitor.push(f);
  }
  const ptu = join(dir, `monitor-aoai-ptu-prod-${month}-15.json`);
  writeFileSync(ptu, json({ cost: 0, interval: 'PT1M', namespace: 'Microsoft.CognitiveServices/accounts', resourceregion: 'swedencentral',
    value: [{ id: `${accountId('aoai-ptu-prod')}/providers/Microsoft.Insights/metrics/AzureOpenAIProvisionedManagedUtilizationV2`,
      type: 'Microsoft.Insights/metrics', name: { value: 'AzureOpenAIProvisionedManagedUtilizationV2',
        localizedValue: 'Provisioned-managed Utilization V2' },
      unit: 'Percent', timeseries: [{ metadatavalues: [{ name: { value: 'ModelDeploymentName' }, value: 'ptu-gpt4o' }],
        data: Array.from({ length: 120 }, (_, i) => ({ timeStamp: minute(i), average: i >= 60 && i < 80 ? rng.int(78, 86) : rng.int(35,
          60) })) }] }] }));
  return [{ paths: [usages, capacities, deployments], asOf: '', subscription: AI, region: 'eastus2' },
    { paths: [ptuUsages, ptuDeployments], asOf: '', subscription: AI, region: 'swedencentral' },
    { paths: [...monitor, ptu], asOf: '' }];
}

/**
 * Write the snapshots of the plan's last month under outDir/capacity; returns the ingest calls that load
 * them (each batch with the capture time and the scope its files do not carry).
 */
export function writeDemoCapacity(outDir: string, plan: { months: string[]; seed: number }): CapacityBatch[] {
  const month = plan.months[plan.months.length - 1]!;
  const dir = join(outDir, 'capacity');
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(plan.seed * 3001 + 17);
  const end = new Date(Date.parse(`${addMonths(month, 1)}-01T00:00:00Z`) - 3_600_000).toISOString().replace('.000Z', 'Z');
  const batches: CapacityBatch[] = [
    { paths: [...computeFiles(dir), quotaGroupFile(dir)], asOf: end },
    { paths: [azFile(dir)], asOf: end, subscription: ML, region: 'westus3' },
    { paths: [reservationFile(dir, 'capacity-reservations-1.json')], asOf: `${month}-01T00:00:00Z` },
    { paths: [reservationFile(dir, 'capacity-reservations-2.json')], asOf: `${month}-16T00:00:00Z` },
    { paths: writeGpuSamples(dir, month, plan.seed), asOf: end },
    ...openaiFiles(dir, month, rng).map((b) => ({ ...b, asOf: end })),
  ];
  return batches;
}
