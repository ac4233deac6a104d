/**
 * Which capacity format a file is, from its content (never its name): the first character says JSON or
 * text; a JSON document is told by its shape (the first record of its list); text is a DCGM / Prometheus
 * scrape or an nvidia-smi CSV log. A file that is none of them is refused with the formats that are read.
 */
import { InputError } from '../../domain/errors.js';
import { isObject, type Json, type JsonObject } from './json-located.js';
import type { ArmFormat } from './arm.js';

export type CapacityFormat = ArmFormat | 'azure-monitor-metrics' | 'prometheus-query' | 'dcgm-prometheus' | 'nvidia-smi-csv';

export const CAPACITY_FORMATS: readonly CapacityFormat[] = ['compute-usages', 'az-vm-list-usage', 'quota-usages', 'quota-limits',
  'quota-group-limits', 'capacity-reservations', 'openai-usages', 'openai-model-capacities', 'openai-deployments',
  'azure-monitor-metrics', 'prometheus-query', 'dcgm-prometheus', 'nvidia-smi-csv'];

const EXPECTED = 'expected compute or Azure OpenAI usages, Microsoft.Quota usages / limits, Quota Group limits, capacity reservations '
  + '($expand=instanceView), model capacities, deployments, Azure Monitor metrics, a Prometheus query answer, a DCGM scrape '
  + 'or nvidia-smi CSV';

const has = (o: Json | undefined, path: string): boolean => {
  let v: Json | undefined = o;
  for (const k of path.split('.')) v = isObject(v) ? v[k] : undefined;
  return v !== undefined;
};

/** Text formats: decided by the first line that is not blank. */
export function detectText(text: string, file: string): CapacityFormat {
  const first = text.replace(/^\uFEFF/, '').split('\n').find((l) => l.trim() !== '') ?? '';
  if (/utilization\.gpu/i.test(first)) return 'nvidia-smi-csv';
  if (first.startsWith('#') || /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?\s+\S+/.test(first)) return 'dcgm-prometheus';
  throw new InputError({ file, line: 1 }, `not a capacity snapshot; ${EXPECTED}`);
}

/** JSON formats: by the document's shape. */
export function detectJson(doc: Json, file: string): CapacityFormat {
  if (isObject(doc) && has(doc, 'data.resultType')) return 'prometheus-query';
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.value) ? doc.value
    : isObject(doc) && isObject(doc.properties) && Array.isArray(doc.properties.value) ? doc.properties.value : isObject(doc) ? [doc] : [];
  const r = list.find(isObject) as JsonObject | undefined;
  if (!r) throw new InputError({ file, line: 1 }, `no records (an empty list); ${EXPECTED}`);
  const type = typeof r.type === 'string' ? r.type.toLowerCase() : '';
  const id = typeof r.id === 'string' ? r.id.toLowerCase() : '';
  if (has(r, 'timeseries')) return 'azure-monitor-metrics';
  if (type.endsWith('quota/usages') || has(r, 'properties.usages')) return 'quota-usages';
  if (type.endsWith('quota/quotas') || has(r, 'properties.limit.value')) return 'quota-limits';
  if (has(r, 'properties.availableLimit') || has(r,
    'properties.allocatedToSubscriptions') || type.includes('groupquota')) return 'quota-group-limits';
  if (type.includes('capacityreservation') || id.includes('/capacityreservationgroups/')) return 'capacity-reservations';
  if (has(r, 'properties.availableCapacity')) return 'openai-model-capacities';
  if (has(r, 'sku') && has(r, 'properties.model')) return 'openai-deployments';
  if (has(r, 'name.value') && has(r, 'currentValue')) {
    const name = isObject(r.name) && typeof r.name.value === 'string' ? r.name.value : '';
    const shown = isObject(r.name) && typeof r.name.localizedValue === 'string' ? r.name.localizedValue : '';
    if (/^(OpenAI|AIServices)\./i.test(name) || /per minute/i.test(shown) || id.includes('microsoft.cognitiveservices')) return 'openai-usages';
    return has(r, 'localName') ? 'az-vm-list-usage' : 'compute-usages';
  }
  throw new InputError({ file, line: 1 }, `not a capacity snapshot; ${EXPECTED}`);
}
