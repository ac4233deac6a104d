/**
 * tokenledger.yaml `capacity:`: what the capacity ingest needs to know beyond the files. `jobs` maps the
 * pods GPU samples name (DCGM's `namespace`, `pod`, `container` labels) onto the allocation's dimensions, so
 * that GPU-seconds allocation (allocate/allocate.sql) charges a job's GPU time to its feature and team. It is
 * applied when samples are ingested (as the telemetry mapping is), first matching rule wins; a dimension no
 * rule sets is the GPU VM's tag.
 */
import { z } from 'zod';

const pattern = z.string().min(1);

export const GpuJobRuleSchema = z.object({
  /** Case-insensitive; `*` matches any text. A rule with several keys needs all of them to match. */
  match: z.object({ namespace: pattern.optional(), pod: pattern.optional(), container: pattern.optional() }).strict()
    .refine((m) => Object.keys(m).length > 0, 'match needs namespace, pod or container'),
  feature: z.string().min(1).optional(),
  team: z.string().min(1).optional(),
  environment: z.string().min(1).optional(),
  cost_center: z.string().min(1).optional(),
}).strict().refine((r) => r.feature || r.team || r.environment || r.cost_center,
  'a job rule sets feature, team, environment or cost_center');
export type GpuJobRule = z.infer<typeof GpuJobRuleSchema>;

export const CapacityConfigSchema = z.object({ jobs: z.array(GpuJobRuleSchema).optional() }).strict();

type Dimensions = Pick<GpuJobRule, 'feature' | 'team' | 'environment' | 'cost_center'>;

const compile = (p: string) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'is');

/** The mapping as a function of a sample's labels: the first rule all of whose patterns match, else nothing. */
export function gpuJobMapper(rules: GpuJobRule[] = []): (labels: { namespace?: string | null; pod?: string | null;
  container?: string | null }) => Dimensions {
  const compiled = rules.map((r) => ({ r, tests: (['namespace', 'pod', 'container'] as const)
    .filter((k) => r.match[k] !== undefined).map((k) => ({ k, re: compile(r.match[k]!) })) }));
  return (labels) => {
    if (!labels.pod) return {};
    const hit = compiled.find((c) => c.tests.every((t) => t.re.test(labels[t.k] ?? '')));
    if (!hit) return {};
    const { feature, team, environment, cost_center } = hit.r;
    return { feature, team, environment, cost_center };
  };
}
