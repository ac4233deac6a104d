/**
 * Readers of the ARM list responses that describe limits and capacity, one function per shape:
 *   compute usages (REST `{value:[{name:{value,localizedValue},currentValue,limit,unit}]}` and `az vm list-usage`
 *   with string numbers and `localName`), Microsoft.Quota usages and limits, Quota Group limits, capacity
 *   reservations with instanceView, Azure OpenAI usages (thousands of TPM multiplied out), model capacities
 *   and deployments. Each returns rows without the capture time (the ingest sets it); a record that lacks
 *   what its shape needs is an InputError naming the file and the line the record starts on.
 */
import { isObject, type Json, type JsonObject } from './json-located.js';
import type { Row } from './rows.js';
import { armScope, nameKey, RecordReader, times1000, vmSizeKey } from './values.js';

export type ArmFormat = 'compute-usages' | 'az-vm-list-usage' | 'quota-usages' | 'quota-limits' | 'quota-group-limits'
  | 'capacity-reservations' | 'openai-usages' | 'openai-model-capacities' | 'openai-deployments';

/** The records of a list response: `value[]`, a bare array, or (Quota Group limits) `properties.value[]`. */
export function listRecords(doc: Json, file: string, what: string): JsonObject[] {
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.value) ? doc.value
    : isObject(doc) && isObject(doc.properties) && Array.isArray(doc.properties.value) ? doc.properties.value : [doc];
  return list.map((r, i) => {
    if (!isObject(r)) new RecordReader(file, isObject(doc) ? doc : {}, what).fail(`record ${i + 1} is not an object`);
    return r as JsonObject;
  });
}

const scopeOf = (r: RecordReader) => armScope(r.text('id'));

/** 1. Compute usages, REST or az CLI: vCPU limits per family and the regional total. */
function computeUsage(r: RecordReader, az: boolean): Row {
  const name = r.needText('name.value', 'the family name, such as standardNDSH100v5Family');
  const display = r.text('name.localizedValue') ?? r.text('localName');
  return { tl_source_line: r.line, provider: 'compute', ...scopeRow(r), name, name_key: nameKey(name), display_name: display,
    measure: /cores|vcpu/i.test(`${name} ${display ?? ''}`) ? 'vcpus' : 'count', deployment_type: null, model: null,
    current_value: r.number('currentValue'), limit_value: r.number('limit'), unit: r.text('unit') ?? (az ? 'Count' : null),
    quota_applicable: null };
}

function scopeRow(r: RecordReader): Row {
  const s = scopeOf(r);
  return { subscription_id: s.subscription ?? null, region: s.region ?? null };
}

const applicable = (r: RecordReader): boolean | null => {
  const v = r.get('properties.isQuotaApplicable');
  return typeof v === 'boolean' ? v : null;
};

/** 2. Microsoft.Quota usages (`properties.usages.value`) or limits (`properties.limit.value`). */
function quotaRecord(r: RecordReader, kind: 'usages' | 'limits'): Row {
  const name = r.text('properties.name.value') ?? r.needText('name', 'the resource name, such as standardNDSH100v5Family');
  return { tl_source_line: r.line, provider: 'quota', ...scopeRow(r), name, name_key: nameKey(name),
    display_name: r.text('properties.name.localizedValue'), measure: 'vcpus', deployment_type: null, model: null,
    current_value: kind === 'usages' ? r.number('properties.usages.value') : null,
    limit_value: kind === 'limits' ? r.number('properties.limit.value') : null, unit: r.text('properties.unit'),
    quota_applicable: applicable(r) };
}

/** 3. Quota Group limits: one row per subscription the group allocates to (or one without any). */
function groupLimit(r: RecordReader, doc: Json): Row[] {
  const name = r.text('properties.resourceName') ?? r.needText('properties.name.value', 'the resource name of the group limit');
  const group = /\/groupQuotas\/([^/]+)/i.exec(r.text('id') ?? (isObject(doc) && typeof doc.id === 'string' ? doc.id : ''))?.[1] ?? null;
  const docId = isObject(doc) && typeof doc.id === 'string' ? doc.id : '';
  // the list's own id ends in /groupQuotaLimits/{region}
  const region = (armScope(r.text('id')).region ?? r.text('properties.region') ?? /\/groupQuotaLimits\/([^/?]+)/i.exec(docId)?.[1]
    ?? null)?.toLowerCase() ?? null;
  const base = { tl_source_line: r.line, group_name: group, region, name, name_key: nameKey(name),
    group_limit: r.number('properties.limit'), available_limit: r.number('properties.availableLimit', { optional: true }) };
  const alloc = r.get('properties.allocatedToSubscriptions');
  const list = Array.isArray(alloc) ? alloc : isObject(alloc) && Array.isArray(alloc.value) ? alloc.value : [];
  if (!list.length) return [{ ...base, subscription_id: null, quota_allocated: null }];
  return list.map((a) => {
    const s = new RecordReader(r.file, isObject(a) ? a : {}, 'allocatedToSubscriptions entry');
    return { ...base, subscription_id: s.needText('subscriptionId', 'a subscription id').toLowerCase(),
      quota_allocated: s.number('quotaAllocated') };
  });
}

/** 4. Capacity reservations with instanceView: reserved, current capacity, VMs allocated. */
function reservation(r: RecordReader): Row {
  const sku = r.needText('sku.name', 'the VM size reserved, such as Standard_NC24ads_A100_v4');
  const vms = r.get('properties.instanceView.utilizationInfo.virtualMachinesAllocated');
  if (r.get('properties.instanceView') === undefined)
    r.fail('no properties.instanceView; expected the list read with $expand=instanceView (it says which VMs use the reservation)');
  const ids = (Array.isArray(vms) ? vms : []).map((v) => (isObject(v) && typeof v.id === 'string' ? v.id : '')).filter(Boolean);
  const zones = r.get('zones');
  const id = r.text('id');
  return { tl_source_line: r.line, ...scopeRow(r), region: (r.text('location') ?? scopeOf(r).region ?? null)?.toLowerCase() ?? null,
    group_name: /\/capacityReservationGroups\/([^/]+)/i.exec(id ?? '')?.[1] ?? null,
    name: r.needText('name', 'the reservation name'), sku_name: sku, sku_key: vmSizeKey(sku),
    zones: Array.isArray(zones) ? zones.filter((z) => typeof z === 'string').join(',') : null,
    reserved: r.number('sku.capacity', { whole: true }),
    current_capacity: r.number('properties.instanceView.utilizationInfo.currentCapacity', { optional: true, whole: true }),
    allocated_vms: ids.length, vm_ids: ids };
}

/**
 * 5. Azure OpenAI usages: `OpenAI.<DeploymentType>.<model>`; "Tokens Per Minute (thousands)" is multiplied
 * by 1,000 so the row holds tokens per minute; a name without a model is a pool (PTUs per deployment type).
 */
function openaiUsage(r: RecordReader): Row {
  const name = r.needText('name.value', 'a quota name such as OpenAI.GlobalStandard.gpt-4o');
  const display = r.text('name.localizedValue') ?? '';
  const parts = name.split('.');
  const thousands = /thousand/i.test(display) || /thousand/i.test(r.text('unit') ?? '');
  const scale = (d: string | null) => (d !== null && thousands ? times1000(d) : d);
  const measure = /provisioned/i.test(parts[1] ?? '') || /ptu/i.test(display) ? 'ptu'
    : /request/i.test(display) || /rpm$/i.test(name) ? 'rpm' : /token/i.test(display) ? 'tpm' : 'count';
  return { tl_source_line: r.line, provider: 'openai', ...scopeRow(r), name, name_key: nameKey(name), display_name: display || null,
    measure, deployment_type: parts.length > 1 ? parts[1]! : null, model: parts.length > 2 ? parts.slice(2).join('.') : null,
    current_value: scale(r.number('currentValue')), limit_value: scale(r.number('limit')),
    unit: thousands ? (measure === 'rpm' ? 'requests per minute' : 'tokens per minute') : r.text('unit'), quota_applicable: null };
}

function modelCapacity(r: RecordReader): Row {
  return { tl_source_line: r.line, ...scopeRow(r), region: (r.text('location') ?? scopeOf(r).region ?? null)?.toLowerCase() ?? null,
    model_format: r.text('properties.model.format'), model_name: r.needText('properties.model.name', 'the model name'),
    model_version: r.text('properties.model.version'), sku_name: r.needText('properties.skuName',
      'a deployment type such as GlobalStandard'),
    available_capacity: r.number('properties.availableCapacity') };
}

function deployment(r: RecordReader): Row {
  const id = r.text('id');
  return { tl_source_line: r.line, ...scopeRow(r), account: /\/accounts\/([^/]+)/i.exec(id ?? '')?.[1] ?? null,
    deployment: r.needText('name', 'the deployment name'), model_name: r.text('properties.model.name'),
    model_version: r.text('properties.model.version'), sku_name: r.needText('sku.name', 'a deployment type such as GlobalStandard'),
    capacity: r.number('sku.capacity') };
}

/** Read every record of an ARM-shaped file into the rows of its table. */
export function readArm(doc: Json, file: string, format: ArmFormat): { table: string; rows: Row[] } {
  const records = listRecords(doc, file, format);
  const rd = (rec: JsonObject, what: string) => new RecordReader(file, rec, what);
  switch (format) {
    case 'compute-usages':
    case 'az-vm-list-usage':
      return { table: 'quota_snapshots', rows: records.map((x) => computeUsage(rd(x, 'compute usage'), format === 'az-vm-list-usage')) };
    case 'quota-usages':
    case 'quota-limits':
      return { table: 'quota_snapshots', rows: records.map((x) =>
        quotaRecord(rd(x, `Microsoft.Quota ${format === 'quota-usages' ? 'usage' : 'limit'}`),
          format === 'quota-usages' ? 'usages' : 'limits')) };
    case 'quota-group-limits':
      return { table: 'quota_group_limits', rows: records.flatMap((x) => groupLimit(rd(x, 'Quota Group limit'), doc)) };
    case 'capacity-reservations':
      return { table: 'capacity_reservations', rows: records.flatMap((x) => {
        const list = isObject(x.properties) ? x.properties.capacityReservations : undefined;
        const nested = Array.isArray(list) ? list : null;
        // a group read with its reservations expanded: each reservation that carries its SKU
        if (nested) return nested.filter((c) => isObject(c) && c.sku !== undefined).map((c) => reservation(rd(c as JsonObject,
          'capacity reservation')));
        return [reservation(rd(x, 'capacity reservation'))];
      }) };
    case 'openai-usages':
      return { table: 'quota_snapshots', rows: records.map((x) => openaiUsage(rd(x, 'Azure OpenAI usage'))) };
    case 'openai-model-capacities':
      return { table: 'ai_model_capacity', rows: records.map((x) => modelCapacity(rd(x, 'model capacity'))) };
    case 'openai-deployments':
      return { table: 'ai_deployments', rows: records.map((x) => deployment(rd(x, 'deployment'))) };
  }
}
