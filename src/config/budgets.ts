/**
 * tokenledger.yaml `budgets:` and `alerts:`: what each budget limits (cost on the report's cost basis, or
 * tokens), over which scope (any allocation dimension), per which period, and the thresholds that raise
 * alerts; where alerts are delivered (webhooks). Validated with zod like the rest of the file, so a
 * mistyped key is an error naming it (budgets.0.scope: Unrecognized key "featur").
 */
import { z } from 'zod';

export const BUDGET_SCOPE_DIMENSIONS = ['feature', 'team', 'environment', 'cost_center', 'model', 'resource', 'provider'] as const;
export const BUDGET_MEASURES = ['cost', 'tokens', 'tokens.input', 'tokens.output', 'tokens.cached_input'] as const;

const Values = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (typeof v === 'string' ? [v] : v));

/** A positive amount: a YAML number (read through its shortest decimal text) or a decimal string. */
const Amount = z.union([z.number().positive().finite(), z.string().regex(/^\d+(\.\d+)?$/, 'expected a positive amount such as 20000')],
  { error: (i) => (i.input === undefined ? 'required: the budget\'s amount, such as 20000' : 'expected a positive amount such as 20000') })
  .transform((v) => String(v))
  .refine((v) => /[1-9]/.test(v) && !/e/i.test(v), 'expected a positive amount written in plain digits, such as 20000');

const Threshold = z.object({
  at: z.number().positive().max(1000),
  basis: z.enum(['actual', 'forecast']).default('actual'),
}).strict();

export const BudgetSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, . _ -'),
  scope: z.partialRecord(z.enum(BUDGET_SCOPE_DIMENSIONS), Values).default({}),
  measure: z.enum(BUDGET_MEASURES).default('cost'),
  amount: Amount,
  /** Cost budgets: the currency of the amount (default: the ledger's only currency in scope). */
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO currency code such as USD').optional(),
  period: z.union([z.enum(['month', 'quarter', 'year']), z.object({ rolling_days: z.number().int().min(1).max(366) }).strict()],
    { error: 'expected month, quarter, year or { rolling_days: N } (N from 1 to 366)' }).default('month'),
  thresholds: z.array(Threshold).min(1)
    .default([{ at: 80, basis: 'actual' }, { at: 100, basis: 'actual' }, { at: 100, basis: 'forecast' }]),
}).strict();
export type Budget = z.infer<typeof BudgetSchema>;

export const BudgetsSchema = z.array(BudgetSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((b, i) => {
    if (seen.has(b.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `budget name ${b.name} is used twice` });
    seen.add(b.name);
  });
});

export const AlertsSchema = z.object({
  webhooks: z.array(z.object({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    format: z.enum(['slack', 'teams', 'json']).default('json'),
  }).strict()).default([]),
  /** A link to the dashboard in messages (e.g. https://finops.example.com). */
  dashboard_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
}).strict();
export type AlertsConfig = z.infer<typeof AlertsSchema>;

/**
 * `plan:` for the driver-based forecast: planned units per unit type and month, and fixed capacity costs
 * (PTU reservations, reserved GPUs) per month, optionally from / to a month.
 */
const MonthKey = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');
export const PlanSchema = z.object({
  /** A CSV of month,unit,units merged into `units` (plan-file.ts); relative to tokenledger.yaml. */
  file: z.string().min(1).optional(),
  units: z.record(z.string().min(1), z.record(MonthKey, z.number().nonnegative().finite())).default({}),
  capacity: z.array(z.object({
    name: z.string().min(1),
    amount: Amount,
    from: MonthKey.optional(),
    to: MonthKey.optional(),
  }).strict()).default([]),
}).strict();
export type Plan = z.infer<typeof PlanSchema>;
