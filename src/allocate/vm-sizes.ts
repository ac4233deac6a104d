/**
 * The VM size facts (rules/vm-sizes.yaml) the capacity reports and the GPU allocation need: GPUs per size, GPU
 * model, vCPUs and the quota family, as data with a schema rather than code branches. Keys are the matching keys the capacity
 * ingest writes (lower case, no spaces / underscores / hyphens, no leading "Standard_"), so a reservation's
 * SKU, a billing meter name and a compute usage family all meet here. `vmSizesTable` hands them to SQL as
 * one JSON parameter.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yaml } from '../store/packages.js';
import { z } from 'zod';
import { TokenledgerError } from '../domain/errors.js';
import { code, sql, type Sql } from '../store/sql.js';

const SHAPE = '\'[{"size_key":"VARCHAR","family_key":"VARCHAR","size":"VARCHAR","vcpus":"INTEGER","gpus":"INTEGER",' +
  '"gpu_model":"VARCHAR","reservable":"BOOLEAN"}]\'';

export const VM_SIZES_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules', 'vm-sizes.yaml');

const SizeSchema = z.object({
  size: z.string().min(1),
  family: z.string().min(1),
  vcpus: z.number().int().positive(),
  gpus: z.number().int().min(0),
  gpu_model: z.string().min(1),
  reservable: z.boolean(),
}).strict();
export const VmSizesSchema = z.object({ sizes: z.array(SizeSchema).min(1) }).strict();
export type VmSize = z.infer<typeof SizeSchema> & { size_key: string; family_key: string };

const key = (s: string) => s.trim().replace(/^standard[_\s]/i, '').toLowerCase().replace(/[\s_-]+/g, '');
/** Family names keep their "standard" prefix in the usages (standardNDSH100v5Family): matched without case and spaces only. */
export const familyKey = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

export function readVmSizes(path = VM_SIZES_PATH): VmSize[] {
  let doc: unknown;
  try {
    doc = yaml().parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TokenledgerError(`${path}: cannot read the VM sizes: ${(e as Error).message}`);
  }
  const parsed = VmSizesSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new TokenledgerError(`${path}: invalid VM sizes file:\n${issues}`);
  }
  const out = parsed.data.sizes.map((s) => ({ ...s, size_key: key(s.size), family_key: familyKey(s.family) }));
  const seen = new Set<string>();
  for (const s of out) {
    if (seen.has(s.size_key)) throw new TokenledgerError(`${path}: ${s.size} is listed twice`);
    seen.add(s.size_key);
  }
  return out;
}

let cached: VmSize[] | undefined;
export const vmSizes = (): VmSize[] => (cached ??= readVmSizes());

/** The sizes as a relation (size_key, family_key, size, vcpus, gpus, gpu_model, reservable) for a FROM clause. */
export function vmSizesTable(sizes = vmSizes()): Sql {
  const json = JSON.stringify(sizes.map((s) => ({ size_key: s.size_key, family_key: s.family_key, size: s.size, vcpus: s.vcpus,
    gpus: s.gpus, gpu_model: s.gpu_model, reservable: s.reservable })));
  return sql`(SELECT unnest(from_json(${json}, ${code(SHAPE)}), recursive := true))`;
}

/**
 * The GPU VM size of each billing meter whose unit is hours (Azure names a VM meter by its size: "Standard_ND96asr_v4",
 * "NC24ads A100 v4"), as a relation meter_sizes(meter_key, the size's facts) to join billing rows on tl_meter_key.
 * Worked out per meter, not per billing row: a meter key is a hash of exactly its facts (meters), so every row of a
 * key has the same meter name and units, and the name's two regular expressions run a few dozen times, not once per row.
 */
export function gpuMeterSizes(sizes = vmSizes()): Sql {
  return sql`(SELECT m.meter_key, s.* FROM meters m
    JOIN ${vmSizesTable(sizes)} s ON s.gpus > 0
      AND s.size_key = lower(regexp_replace(regexp_replace(coalesce(m.x_SkuMeterName, m.SkuMeter, ''), '^standard[_ ]', '', 'i'),
        '[\\s_-]+', '', 'g'))
    WHERE lower(coalesce(m.ConsumedUnit, m.PricingUnit, '')) LIKE '%hour%')`;
}
