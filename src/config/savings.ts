/**
 * tokenledger.yaml `prices:` and `savings:`: the company's own price sheet (overrides the shipped catalog;
 * the invoice still wins where it has a charge), and what the savings report may assume per feature:
 * deferrable (can run on Batch), whether data residency allows Global deployments, the prompt-cache hit
 * rate it can reach, the candidate model pairs for right-sizing, and the concision cut. Rates are written
 * as numbers and used through their shortest decimal text.
 */
import { z } from 'zod';

const share = z.number().min(0).max(1);

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
