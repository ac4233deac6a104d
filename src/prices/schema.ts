/**
 * The schema of the price catalog (rules/prices/*.yaml), validated with zod when loaded so that a bad
 * price is a clear error naming the file and the path in it, never a silently wrong figure. Prices are
 * decimal text (a YAML number would be a float); dates are YYYY-MM-DD; deployment types are
 * <scope>-<tier> as the meter rules classify them.
 */
import { z } from 'zod';
import { isDecimalString } from '../domain/decimal.js';
import { isDate } from '../domain/period.js';

export const DEPLOYMENT_TYPES = [
  'global-standard',
  'datazone-standard',
  'regional-standard',
  'global-batch',
  'datazone-batch',
  'global-provisioned',
  'datazone-provisioned',
  'regional-provisioned',
] as const;
export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];

/** The token types a price is quoted for (cache writes are priced as input where a model has them). */
export const PRICED_TOKEN_TYPES = ['input', 'cached_input', 'output'] as const;
export type PricedTokenType = (typeof PRICED_TOKEN_TYPES)[number];

const DECIMAL_TEXT = 'expected a non-negative decimal written as text, e.g. "2.50" (quote it: a YAML number is a float)';
export const decimalText = z.string({ error: DECIMAL_TEXT }).refine((s) => isDecimalString(s) && !s.trim().startsWith('-'), DECIMAL_TEXT);
export const dateText = z.string().refine(isDate, 'expected a date YYYY-MM-DD');
/** YAML reads an unquoted 2025-04-14 as a date: accept it and write it back as text. */
const yamlDate = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), dateText);
const minStep = z.tuple([z.number().int().positive(), z.number().int().positive()]);

export const CatalogFileSchema = z
  .object({
    version: z.literal(1),
    provider: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as USD'),
    sources: z.record(z.string(), z.object({ url: z.string().min(1), note: z.string().min(1) }).strict()),
    prices: z.array(
      z
        .object({
          id: z.string().min(1),
          model: z.string().min(1),
          deployment: z.enum(DEPLOYMENT_TYPES).default('global-standard'),
          effective_from: yamlDate,
          input: decimalText,
          cached_input: decimalText.optional(),
          output: decimalText,
          source: z.string().min(1),
          note: z.string().optional(),
        })
        .strict(),
    ),
    derived: z
      .array(
        z
          .object({
            deployment: z.enum(DEPLOYMENT_TYPES),
            factor: decimalText,
            token_types: z.array(z.enum(PRICED_TOKEN_TYPES)).min(1),
            source: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    ptu_models: z
      .array(
        z
          .object({
            model: z.string().min(1),
            input_tpm_per_ptu: z.number().int().positive(),
            output_ratio: z.number().positive(),
            global: minStep,
            regional: minStep,
            source: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    ptu_prices: z
      .array(
        z
          .object({
            id: z.string().min(1),
            deployment: z.enum(['global-provisioned', 'datazone-provisioned', 'regional-provisioned']),
            effective_from: yamlDate,
            hourly: decimalText,
            month_reservation: decimalText,
            year_reservation: decimalText,
            source: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .superRefine((f, ctx) => {
    // every source named by an entry is described, so each figure can say where it came from
    const named = [...f.prices, ...f.derived, ...f.ptu_models, ...f.ptu_prices].map((e) => e.source);
    for (const [i, s] of named.entries()) {
      if (!Object.hasOwn(f.sources, s))
        ctx.addIssue({ code: 'custom', message: `source ${s} is not described under sources`, path: ['sources', i] });
    }
    const ids = new Set<string>();
    for (const [i, p] of f.prices.entries()) {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${p.id}`, path: ['prices', i, 'id'] });
      ids.add(p.id);
    }
  });

export type CatalogFile = z.infer<typeof CatalogFileSchema>;
