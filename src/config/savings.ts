/**
 * tokenledger.yaml `prices:` and `savings:`: the company's own price sheet (overrides the shipped catalog;
 * the invoice still wins where it has a charge), and what the savings report may assume per feature:
 * deferrable (can run on Batch), whether data residency allows Global deployments, the prompt-cache hit
 * rate it can reach, the candidate model pairs for right-sizing, the concision cut, and the rule that finds
 * batch candidates in the time profile of the telemetry. Rates are written
 * as numbers and used through their shortest decimal text.
 */
import { z } from 'zod';

const share = z.number().min(0).max(1);

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const PricesConfigSchema = z
  .object({
    /** CSV, YAML, or an Azure Retail Prices API JSON export (Items[]). */
    sheet: z.string().min(1).optional(),
  })
  .strict();

export const SavingsConfigSchema = z
  .object({
    /** Achievable prompt-cache hit rate on eligible uncached prompt tokens (default 0.5). */
    hit_rate: share.optional(),
    /** Share of output tokens concise prompts cut (default 0.15). */
    concision: share.optional(),
    /** Provisioned deployments used below this share count their unused PTU-hours (default 0.8). */
    ptu_low_utilization: share.optional(),
    /**
     * Batch candidates found from the time profile of request-level telemetry (features not configured
     * `deferrable`): at least `min_share` of a feature's tokens outside business hours, or in bursts of
     * `burst_requests`+ requests a minute from a feature active at most `max_active_hours` hours a day.
     */
    batch: z
      .object({
        min_share: share.optional(), // default 0.8
        business_hours: z.tuple([z.number().int().min(0).max(23), z.number().int().min(1).max(24)])
          .refine(([a, b]) => a < b, 'business_hours is [start hour, end hour], start before end').optional(), // default [8, 20]
        timezone: z.string().min(1).refine(validZone, 'an IANA time zone such as Europe/Berlin').optional(), // default UTC
        burst_requests: z.number().int().min(2).optional(), // default 20
        max_active_hours: z.number().min(0).max(24).optional(), // default 4
        min_requests: z.number().int().min(1).optional(), // default 50
      })
      .strict()
      .optional(),
    right_sizing: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) }).strict()).optional(),
    features: z
      .record(
        z.string().min(1),
        z
          .object({
            /** Results may come within 24 hours: the traffic can run on the Batch API. */
            deferrable: z.boolean().optional(),
            /** Data residency allows Global deployments for this feature's Data Zone / Regional traffic. */
            global_ok: z.boolean().optional(),
            hit_rate: share.optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type PricesConfig = z.infer<typeof PricesConfigSchema>;
export type SavingsConfig = z.infer<typeof SavingsConfigSchema>;

export const SavingsConfigShape = { prices: PricesConfigSchema.optional(), savings: SavingsConfigSchema.optional() };
