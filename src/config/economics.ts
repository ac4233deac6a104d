/**
 * The economics part of tokenledger.yaml: unit definitions, how business-event files name their columns,
 * cost classes (token, GPU, platform, overhead) and the rules that share platform and overhead costs.
 * Validated with zod; the messages name the key to fix.
 */
import { z } from 'zod';

export const COST_CLASSES = ['token', 'gpu', 'platform', 'overhead', 'other'] as const;
export type CostClass = (typeof COST_CLASSES)[number];

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * What a rule matches on: facts of the charge, each a value or list of values, compared without regard
 * to case; `*` is a wildcard ("NC* v4"). All keys given must match.
 */
export const ChargeMatchSchema = z.object({
  service_name: oneOrMany.optional(),
  service_category: oneOrMany.optional(),
  meter_category: oneOrMany.optional(),
  meter_subcategory: oneOrMany.optional(),
  meter: oneOrMany.optional(),
  resource: oneOrMany.optional(),
  charge_category: oneOrMany.optional(),
  tags: z.record(z.string().min(1), oneOrMany).optional(),
}).strict().refine((m) => Object.keys(m).length > 0,
  'match needs at least one of service_name, service_category, meter_category, meter_subcategory, meter, resource, charge_category, tags');
export type ChargeMatch = z.infer<typeof ChargeMatchSchema>;

export const UnitSchema = z.object({
  features: z.array(z.string().min(1)).min(1),
  /** Outcomes that count as a successful unit (compared lower-cased). */
  success: z.array(z.string().min(1)).min(1).optional(),
  description: z.string().optional(),
}).strict();

export const EventsConfigSchema = z.object({
  columns: z.partialRecord(z.enum(['timestamp', 'unit', 'feature', 'count', 'outcome', 'correlation_id']), z.string().min(1)).optional(),
  /** Unit type for files without a unit column. */
  default_unit: z.string().min(1).optional(),
}).strict();
export type EventsConfig = z.infer<typeof EventsConfigSchema>;

export const SHARING_BASES = ['tokens', 'units', 'percent', 'fixed_plus_units'] as const;
export type SharingBasis = (typeof SHARING_BASES)[number];

const money = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)]).transform((v) => String(v))
  .refine((v) => /^\d+(\.\d{1,9})?$/.test(v), 'expected an amount such as 300 or 1250.50');

export const SharingRuleSchema = z.object({
  name: z.string().min(1).regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
  /** Which cost classes the rule takes (default platform and overhead), among charges no feature claimed. */
  classes: z.array(z.enum(COST_CLASSES)).min(1).optional(),
  match: ChargeMatchSchema.optional(),
  basis: z.enum(SHARING_BASES),
  /** units / fixed_plus_units: which unit types' volume counts (default all). */
  units: z.array(z.string().min(1)).min(1).optional(),
  /** Restrict the receiving features (default: every feature with a basis that month). */
  features: z.array(z.string().min(1)).min(1).optional(),
  /** percent: feature -> percentage, summing to 100. */
  percent: z.record(z.string().min(1), z.number().positive()).optional(),
  /** fixed_plus_units: the fixed monthly part (in the charge's currency), split equally over the features. */
  fixed: money.optional(),
}).strict().superRefine((r, ctx) => {
  if (r.basis === 'percent') {
    const total = Object.values(r.percent ?? {}).reduce((a, b) => a + b, 0);
    if (!r.percent) ctx.addIssue({ code: 'custom', message: 'basis percent needs percent: { <feature>: <pct>, ... }', path: ['percent'] });
    else if (Math.abs(total - 100) > 1e-9)
      ctx.addIssue({ code: 'custom', message: `percentages add up to ${total}, expected 100`, path: ['percent'] });
  } else if (r.percent) ctx.addIssue({ code: 'custom', message: 'percent is only for basis percent', path: ['percent'] });
  if (r.basis === 'fixed_plus_units' && r.fixed === undefined)
    ctx.addIssue({ code: 'custom', message: 'basis fixed_plus_units needs fixed: <monthly amount>', path: ['fixed'] });
  if (r.basis === 'fixed_plus_units' && (r.classes ?? ['platform']).length !== 1)
    ctx.addIssue({ code: 'custom', message: 'basis fixed_plus_units takes one cost class (the fixed amount is per class and month)',
      path: ['classes'] });
  if (r.basis !== 'fixed_plus_units' && r.fixed !== undefined)
    ctx.addIssue({ code: 'custom', message: 'fixed is only for basis fixed_plus_units', path: ['fixed'] });
});
export type SharingRule = z.infer<typeof SharingRuleSchema>;

export const EconomicsConfigShape = {
  units: z.record(z.string().min(1), UnitSchema).optional(),
  events: EventsConfigSchema.optional(),
  cost_classes: z.array(z.object({ class: z.enum(COST_CLASSES), match: ChargeMatchSchema }).strict()).optional(),
  sharing: z.array(SharingRuleSchema).optional()
    .refine((rules) => !rules || new Set(rules.map((r) => r.name)).size === rules.length, 'sharing rule names must be unique'),
};

export interface EconomicsConfig {
  units?: Record<string, z.infer<typeof UnitSchema>>;
  events?: EventsConfig;
  cost_classes?: { class: CostClass; match: ChargeMatch }[];
  sharing?: SharingRule[];
}

/** The cost classes a sharing rule takes: as configured, else platform and overhead (platform alone for fixed_plus_units). */
export function ruleClasses(r: SharingRule): CostClass[] {
  return r.classes ?? (r.basis === 'fixed_plus_units' ? ['platform'] : ['platform', 'overhead']);
}
