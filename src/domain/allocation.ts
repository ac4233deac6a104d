/**
 * The allocation vocabulary (OpenCost's): the reserved keys a figure lands on when no feature, team or
 * basis claims it, the dimensions allocation knows, and the table of allocation methods (the code stored
 * per share, its level and the words every view uses to describe it).
 */

/** Cost nobody can claim: no feature tag, no telemetry, telemetry without the dimension, untagged. */
export const UNALLOCATED = '__unallocated__';
/** Platform and overhead cost that no feature claims and no sharing rule spread. */
export const SHARED = '__shared__';
/** Capacity paid for and not used (GPU, reservations). */
export const IDLE = '__idle__';
export const RESERVED_KEYS = [UNALLOCATED, SHARED, IDLE] as const;

/** The dimensions allocation knows, with the alloc_rows column that holds each. */
export const ALLOCATION_DIMENSIONS = {
  feature: 'feature',
  team: 'team',
  environment: 'environment',
  'cost-center': 'cost_center',
} as const;
export type AllocationDimension = keyof typeof ALLOCATION_DIMENSIONS;

export interface AllocationMethod {
  code: number;
  /** telemetry levels: 1 day+resource+model, 2 day+resource, 3 day+model; 0 none, tags and GPU-seconds. */
  level: number;
  /** Sources without a cache split: "prompt" tokens stand for every input token type. */
  prompt: boolean;
  label: string;
}

/** How a share was allocated, by alloc_rows.method_code (a code: a text on tens of millions of shares costs seconds). */
export const ALLOCATION_METHODS: readonly AllocationMethod[] = [
  { code: 0, level: 0, prompt: false, label: 'none' },
  { code: 1, level: 1, prompt: false, label: 'telemetry day+resource+model+token_type' },
  { code: 2, level: 2, prompt: false, label: 'telemetry day+resource+token_type' },
  { code: 3, level: 3, prompt: false, label: 'telemetry day+model+token_type' },
  { code: 4, level: 1, prompt: true, label: 'telemetry day+resource+model+token_type (prompt tokens without cache split)' },
  { code: 5, level: 2, prompt: true, label: 'telemetry day+resource+token_type (prompt tokens without cache split)' },
  { code: 6, level: 3, prompt: true, label: 'telemetry day+model+token_type (prompt tokens without cache split)' },
  { code: 9, level: 0, prompt: false, label: 'tags' },
  // GPU VM usage with GPU samples (allocate.sql step 2): per job by measured GPU-seconds, __idle__ for what no job held
  { code: 10, level: 0, prompt: false, label: 'GPU-seconds (measured per job)' },
  { code: 11, level: 0, prompt: false, label: 'GPU idle (no job held the GPU)' },
];

