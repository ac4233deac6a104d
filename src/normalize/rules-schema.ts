/**
 * The schema of the AI meter rules file (rules/ai-meters.yaml), validated with zod when loaded so that a
 * bad rule is a clear error at start-up, not a silent misclassification. Patterns are compiled here too:
 * an invalid regular expression is reported with its path in the file.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TIERS, SCOPES, TOKEN_TYPES } from '../domain/ai-charge.js';

const regex = z.string().min(1).superRefine((s, ctx) => {
  try {
    new RegExp(s, 'i');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}` });
  }
});

const FIELDS = [
  'ServiceName', 'ServiceCategory', 'ServiceSubcategory', 'ProviderName', 'x_SkuMeterCategory',
  'x_SkuMeterSubcategory', 'x_SkuMeterName', 'SkuMeter', 'x_UsageType',
] as const;

export const RulesFileSchema = z.object({
  version: z.literal(1),
  aiService: z.array(z.object({ field: z.enum(FIELDS), pattern: regex })).default([]),
  aiLooking: regex.optional(),
  nonTokenCharges: z
    .array(z.object({ id: z.string().min(1), pattern: regex, tier: z.enum(TIERS).optional() }))
    .default([]),
  models: z.array(z.object({ pattern: regex, id: z.string().min(1) })).default([]),
  modelVersion: regex.optional(),
  tokenTypes: z.array(z.object({ type: z.enum(TOKEN_TYPES), pattern: regex })).default([]),
  tiers: z.array(z.object({ tier: z.enum(TIERS), pattern: regex })).default([]),
  defaultTier: z.enum(TIERS).optional(),
  scopes: z.array(z.object({ scope: z.enum(SCOPES), pattern: regex })).default([]),
  defaultMeterScope: z.enum(SCOPES).optional(),
  nonTokenUnits: regex.optional(),
}).strict();

export type RulesFile = z.infer<typeof RulesFileSchema>;
export type ServiceField = (typeof FIELDS)[number];

/** Rules with their patterns compiled, merged from the user's file (first) and the defaults. */
export interface CompiledRules {
  /** sha256 of the rule files, in order: meters classified by other rules are re-classified. */
  digest: string;
  aiService: { field: ServiceField; re: RegExp }[];
  aiLooking: RegExp | null;
  nonTokenCharges: { id: string; re: RegExp; tier: RulesFile['tiers'][number]['tier'] | undefined }[];
  models: { re: RegExp; id: string }[];
  modelVersion: RegExp | null;
  tokenTypes: { type: RulesFile['tokenTypes'][number]['type']; re: RegExp }[];
  tiers: { tier: RulesFile['tiers'][number]['tier']; re: RegExp }[];
  defaultTier: RulesFile['tiers'][number]['tier'];
  scopes: { scope: RulesFile['scopes'][number]['scope']; re: RegExp }[];
  defaultMeterScope: RulesFile['scopes'][number]['scope'] | null;
  nonTokenUnits: RegExp | null;
}

/** Compile one or more rule files; earlier files take precedence (lists are concatenated in order). */
export function compileRules(files: RulesFile[]): CompiledRules {
  const re = (s: string) => new RegExp(s, 'i');
  const first = <T>(pick: (f: RulesFile) => T | undefined): T | undefined => {
    for (const f of files) {
      const v = pick(f);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const aiLooking = first((f) => f.aiLooking);
  const modelVersion = first((f) => f.modelVersion);
  const nonTokenUnits = first((f) => f.nonTokenUnits);
  return {
    digest: createHash('sha256').update(JSON.stringify(files)).digest('hex'),
    aiService: files.flatMap((f) => f.aiService.map((r) => ({ field: r.field, re: re(r.pattern) }))),
    aiLooking: aiLooking ? re(aiLooking) : null,
    nonTokenCharges: files.flatMap((f) => f.nonTokenCharges.map((r) => ({ id: r.id, re: re(r.pattern), tier: r.tier }))),
    models: files.flatMap((f) => f.models.map((r) => ({ re: re(r.pattern), id: r.id }))),
    modelVersion: modelVersion ? re(modelVersion) : null,
    tokenTypes: files.flatMap((f) => f.tokenTypes.map((r) => ({ type: r.type, re: re(r.pattern) }))),
    tiers: files.flatMap((f) => f.tiers.map((r) => ({ tier: r.tier, re: re(r.pattern) }))),
    defaultTier: first((f) => f.defaultTier) ?? 'standard',
    scopes: files.flatMap((f) => f.scopes.map((r) => ({ scope: r.scope, re: re(r.pattern) }))),
    defaultMeterScope: first((f) => f.defaultMeterScope) ?? null,
    nonTokenUnits: nonTokenUnits ? re(nonTokenUnits) : null,
  };
}
