/**
 * tokenledger.yaml: where the store lives, extra AI meter rules, ingest defaults. Validated with zod so a
 * typo is an error that names the key, not a silently ignored setting. Relative paths in the file are
 * relative to the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { yaml } from '../store/packages.js';
import { z } from 'zod';
import { TokenledgerError } from '../domain/errors.js';
import { AccessConfigSchema } from './access.js';
import { ACCEPTABLE_CHECKS } from '../domain/acceptance.js';
import { EconomicsConfigShape } from './economics.js';
import { AlertsSchema, BudgetsSchema, PlanSchema } from './budgets.js';
import { SavingsConfigShape } from './savings.js';
import { CapacityConfigSchema } from './capacity.js';

export const DEFAULT_CONFIG_FILE = 'tokenledger.yaml';
export const DEFAULT_STORE = '.tokenledger/ledger.duckdb';

const DIMENSION_NAMES = ['feature', 'team', 'environment', 'cost_center', 'resource_id', 'deployment', 'user_id'] as const;
export type TelemetryDimension = (typeof DIMENSION_NAMES)[number];

/**
 * How telemetry maps onto allocation: which attribute names mean feature, team, environment, cost center
 * (tried before the built-in names), which gateway deployment / model / API maps to which Azure resource
 * and model, and defaults for what a source never says.
 */
export const TelemetryConfigSchema = z.object({
  dimensions: z.partialRecord(z.enum(DIMENSION_NAMES), z.array(z.string().min(1)).min(1)).optional(),
  resources: z.array(z.object({
    match: z.object({
      deployment: z.string().min(1).optional(), model: z.string().min(1).optional(), resource_id: z.string().min(1).optional(),
      api_id: z.string().min(1).optional(), backend_id: z.string().min(1).optional(),
    }).strict()
      .refine((m) => Object.keys(m).length > 0, 'match needs deployment, model, resource_id, api_id or backend_id'),
    resource_id: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
  }).strict().refine((r) => r.resource_id || r.model, 'a mapping sets resource_id, model, or both')).optional(),
  defaults: z.partialRecord(z.enum(['feature', 'team', 'environment', 'cost_center']), z.string().min(1)).optional(),
  /** Generic CSV telemetry: which column holds what. timestamp, model (or deployment) and the token counts are required. */
  csv: z.object({
    timestamp: z.string().min(1),
    model: z.string().min(1).optional(),
    deployment: z.string().min(1).optional(),
    prompt_tokens: z.string().min(1),
    completion_tokens: z.string().min(1),
    cached_tokens: z.string().min(1).optional(),
    cache_write_tokens: z.string().min(1).optional(),
    reasoning_tokens: z.string().min(1).optional(),
    requests: z.string().min(1).optional(),
    feature: z.string().min(1).optional(),
    team: z.string().min(1).optional(),
    environment: z.string().min(1).optional(),
    cost_center: z.string().min(1).optional(),
    resource_id: z.string().min(1).optional(),
    user_id: z.string().min(1).optional(),
    /** The request's (or response's) id: a record whose id another file already gave is reported, or skipped. */
    request_id: z.string().min(1).optional(),
  }).strict().refine((c) => c.model || c.deployment, 'telemetry.csv needs a model or a deployment column').optional(),
}).strict();
export type TelemetryConfig = z.infer<typeof TelemetryConfigSchema>;

const ConfigSchema = z.object({
  store: z.string().min(1).optional(),
  memory_limit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'expected a size such as 1500MB or 4GB').optional(),
  rules: z.string().min(1).optional(),
  ingest: z.object({
    focus: z.object({ scope: z.string().min(1).optional() }).strict().optional(),
    /** skip_duplicate_ids: leave out telemetry records whose request id another file already gave (else they are reported). */
    telemetry: z.object({ skip_duplicate_ids: z.boolean().optional() }).strict().optional(),
    /** How slash dates whose day and month could be swapped (10/05/2026) are read; without it they are refused. */
    date_order: z.enum(['mdy', 'dmy']).optional(),
  }).strict().optional(),
  reports: z.object({
    cost: z.enum(['effective', 'billed']).optional(),
  }).strict().optional(),
  telemetry: TelemetryConfigSchema.optional(),
  checks: z.object({
    stale_after_days: z.number().int().min(0).optional(),
    close_after_days: z.number().int().min(0).optional(),
    accept: z.array(z.object({
      check: z.enum(ACCEPTABLE_CHECKS),
      month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a billing month YYYY-MM').optional(),
      account: z.string().min(1).optional(),
      reason: z.string().trim().min(1, 'say why the gap is accepted (it is printed with every report)'),
    }).strict()).optional(),
  }).strict().optional(),
  access: AccessConfigSchema.optional(),
  budgets: BudgetsSchema.optional(),
  alerts: AlertsSchema.optional(),
  plan: PlanSchema.optional(),
  /** report anomalies: the smallest impact an anomaly must have, in money (the series' currency) and percent. */
  anomalies: z.object({
    min_impact: z.number().min(0).optional(),
    min_percent: z.number().min(0).max(1000).optional(),
  }).strict().optional(),
  ...EconomicsConfigShape,
  ...SavingsConfigShape,
  /** ingest capacity: which feature / team a GPU job (namespace, pod) belongs to (config/capacity.ts). */
  capacity: CapacityConfigSchema.optional(),
}).strict();

export type Config = z.infer<typeof ConfigSchema> & { path: string | null };

/** ` (name: x)` when the path runs through a list item with a name (budgets.1 is easier found by its name). */
function namedIn(doc: unknown, path: PropertyKey[]): string {
  let at: unknown = doc;
  let name: string | null = null;
  for (const k of path) {
    if (at === null || typeof at !== 'object') break;
    at = (at as Record<PropertyKey, unknown>)[k];
    const n = typeof k === 'number' && at && typeof at === 'object' ? (at as { name?: unknown }).name : undefined;
    if (typeof n === 'string') name = n;
  }
  return name === null ? '' : ` (name: ${name})`;
}

/** Edit distance of two short keys (a typo of a top-level key is one or two edits away). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** `; did you mean budgets?` for unknown keys one or two edits from a known one. */
function didYouMean(keys: string[], known: string[]): string {
  const hints = keys.flatMap((k) => {
    const best = known.map((c) => [c, distance(k, c)] as const).sort((x, y) => x[1] - y[1])[0];
    return best && best[1] <= 2 ? [`${k}: did you mean ${best[0]}?`] : [];
  });
  return hints.length ? ` (${hints.join('; ')})` : '';
}

/** Load the config: an explicit --config must exist; ./tokenledger.yaml is used when present. */
export function loadConfig(explicit?: string, cwd = process.cwd()): Config {
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (explicit) throw new TokenledgerError(`--config ${explicit}: no such file`, { hint: 'Run `tokenledger init` to write one.' });
    return { path: null };
  }
  let doc: unknown;
  try {
    doc = yaml().parse(readFileSync(path, 'utf8')) ?? {};
  } catch (e) {
    throw new TokenledgerError(`${path}: not valid YAML: ${(e as Error).message}`);
  }
  const parsed = ConfigSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}${namedIn(doc, i.path)}: ${i.message}` +
      `${i.code === 'unrecognized_keys' && i.path.length === 0 ? didYouMean(i.keys, Object.keys(ConfigSchema.shape)) : ''}`).join('\n');
    throw new TokenledgerError(`${path}: invalid configuration:\n${issues}`,
      { hint: 'Every key is described in the commented file `tokenledger init` writes'
        + ' (run it in an empty folder to compare; it never overwrites yours).' });
  }
  const base = dirname(path);
  const c = parsed.data;
  return {
    ...c,
    ...(c.store ? { store: resolve(base, c.store) } : {}),
    ...(c.rules ? { rules: resolve(base, c.rules) } : {}),
    ...(c.prices?.sheet ? { prices: { ...c.prices, sheet: resolve(base, c.prices.sheet) } } : {}),
    ...(c.plan?.file ? { plan: { ...c.plan, file: resolve(base, c.plan.file) } } : {}),
    path,
  };
}

export const CONFIG_TEMPLATE = `# tokenledger configuration. Every key is optional; delete what you do not need.
# Paths are relative to this file.

# The DuckDB file holding the ledger. --store on the command line wins over this.
store: ${DEFAULT_STORE}

# How much memory DuckDB may use before it spills to disk (default 1500MB).
# memory_limit: 4GB

# Extra AI meter rules, tried before the built-in ones (same format as rules/ai-meters.yaml in
# tokenledger). Use it when \`tokenledger report unclassified\` lists meters you want classified.
# rules: ./my-ai-meters.yaml

# What a newer export replaces. Exports with a manifest.json use the export's scope; single files
# default to "billing account + file name". Set a fixed scope to make every file of one feed
# replace the previous one for the same billing period.
# ingest:
#   focus:
#     scope: my-enrollment-daily
#   telemetry:
#     # A telemetry record whose request id another file already gave is reported; true leaves it out.
#     skip_duplicate_ids: true
#   # Slash dates such as 10/05/2026 (a spreadsheet's MM/DD/YYYY or DD/MM/YYYY) are refused when the day and
#   # month could be swapped, unless you say which order your files use (ISO 8601 dates never need it):
#   date_order: mdy

reports:
  # Cost basis of reports: effective (amortized, for unit economics) or billed (the invoice).
  cost: effective

# Telemetry mapping. With none, the obvious names work: feature, team, environment (env), cost_center
# (CostCenter), resource_id (resource), model / deployment, at the top level of a record or in its
# metadata / attributes (span and resource attributes for OTLP).
# telemetry:
#   dimensions:                 # your attribute names, tried before the built-in ones
#     feature: [app_feature, product-area]
#     team: [owner_team]
#   resources:                  # what a deployment name (or model) stands for
#     - match: { deployment: chat-prod }
#       resource_id: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/aoai-prod
#       model: gpt-4o
#   defaults:                   # for what a source never says
#     environment: prod
#   csv:                        # your own CSV usage export: which column holds what
#     timestamp: time_utc
#     model: model_name
#     prompt_tokens: tokens_in  # including cached tokens
#     completion_tokens: tokens_out
#     cached_tokens: tokens_cached
#     feature: product

# Unit economics. Business events (tokenledger ingest events) say how many tickets, documents, leads...
# With no units: a unit type costs what the features its events name cost.
# units:
#   ticket:   { features: [support-copilot, agent-assist], success: [resolved] }
#   document: { features: [doc-intake], success: [processed] }
# events:
#   columns: { timestamp: event_time, unit: unit_type, feature: product }   # other column names
#   default_unit: ticket                                                      # files without a unit column
# Cost classes (token, gpu, platform, overhead, other): built-in rules read ServiceName, ServiceCategory,
# the meter and a cost-class tag; yours come first. Values are case-insensitive, * is a wildcard.
# cost_classes:
#   - class: platform
#     match: { service_name: Azure Cosmos DB }
# Sharing of platform and overhead cost that no feature claims (first matching rule wins); the rest stays
# __shared__. Bases: tokens, units, percent, fixed_plus_units.
# sharing:
#   - name: vector-store
#     match: { service_name: Azure AI Search }
#     basis: units
#     units: [ticket, document]
#   - name: ai-gateway
#     match: { service_name: API Management }
#     basis: fixed_plus_units
#     fixed: 300                  # per month, split equally; the rest by units
#   - name: security
#     classes: [overhead]
#     basis: percent
#     percent: { support-copilot: 60, doc-intake: 40 }

# Prices (\`tokenledger report prices\` shows which one each figure uses). The invoice wins: a model and
# deployment type you are billed for is priced at your own measured cost per token. Otherwise your sheet
# (CSV or YAML: model, deployment, token_type, price_per_1m[, currency, effective_from]; or an Azure Retail
# Prices API JSON export with Items[]), then the catalog shipped in rules/prices/.
# prices:
#   sheet: ./my-prices.csv
# What \`tokenledger report savings\` may assume.
# savings:
#   hit_rate: 0.5               # prompt-cache hits reachable on prompts of 1,024+ tokens
#   concision: 0.15             # share of output tokens shorter answers would cut
#   ptu_low_utilization: 0.8    # PTU deployments used less than this count their unused PTU-hours
#   batch:                      # batch candidates found in request-level telemetry (features not configured deferrable)
#     min_share: 0.8            # share of a feature's tokens outside business hours or in bursts
#     business_hours: [8, 20]   # Monday-Friday, in
#     timezone: America/New_York
#     burst_requests: 20        # requests a minute that make a burst, from a feature active at most
#     max_active_hours: 4       # this many hours a day
#     min_requests: 50          # fewer requests in the month: no conclusion
#   right_sizing:               # candidate model pairs (need a quality check)
#     - from: gpt-4o
#       to: gpt-4o-mini
#   features:
#     doc-intake: { deferrable: true, global_ok: true, hit_rate: 0.6 }

# GPU jobs (tokenledger ingest capacity): which feature and team the pods of GPU samples belong to, so GPU VM
# cost is allocated to them by measured GPU-seconds (first matching rule wins; * is a wildcard; what no rule
# sets comes from the VM's tags). Applied when samples are ingested: re-ingest them after changing it.
# capacity:
#   jobs:
#     - match: { namespace: ml-research, pod: "finetune-*" }
#       feature: fine-tuning
#       team: ml-research

# Data checks. Reports refuse data with gaps or a stale open period unless --allow-incomplete; a known gap
# can be accepted here once instead: reports then run, and every data status line names it and the reason.
# checks:
#   stale_after_days: 3         # an open period whose latest usage is older than this fails
#   close_after_days: 5         # a period without invoice id is closed this many days after its end
#   accept:                     # check: missing-days | stale | mixed-currencies | mandatory-columns | enumerations
#     - check: missing-days
#       month: 2024-09            # optional: one billing month; account: optional, one billing account
#       reason: the provider never delivered these days (ticket 4711)

# Anomalies (report anomalies, alerts): the smallest impact an anomaly must have to be reported, in money
# (the series' currency, over the anomaly's window) and in percent of what was expected.
# anomalies:
#   min_impact: 50
#   min_percent: 10
`;
