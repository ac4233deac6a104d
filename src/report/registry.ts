/**
 * The reports `tokenledger report <name>` knows, in one table: adding a report means adding a line here.
 */
import type { Store } from '../store/db.js';
import { allocation } from './allocation.js';
import { tokenDrift } from './token-drift.js';
import { tokenKpis } from './token-kpis.js';
import { tagCoverage, telemetryCoverage } from './coverage.js';
import { costPerToken } from './cost-per-token.js';
import { ingestions } from './ingestions.js';
import { meterMatrix } from './meter-matrix.js';
import type { ReportOptions } from './options.js';
import type { Report } from './render.js';
import { summary } from './summary.js';
import { unclassified } from './unclassified.js';
import { unitEconomics } from './unit-economics.js';
import { chargeback } from './chargeback.js';
import { sensitivity } from './sensitivity.js';
import { variance } from './variance.js';
import { sharedCosts } from './shared-costs.js';
import { reconcile } from './reconcile.js';

export interface ReportSpec {
  describe: string;
  run: (store: Store, o: ReportOptions) => Promise<Report>;
  /** Accepts --by. */
  by?: string[];
}

export const REPORTS: Record<string, ReportSpec> = {
  'cost-per-token': {
    describe: 'tokens, cost and cost per 1M tokens by provider, model, token type, tier, scope, currency',
    run: costPerToken,
    by: ['resource', 'subscription', 'region', 'day'],
  },
  'meter-matrix': { describe: 'meter category > subcategory > meter: cost, consumed quantity, unit cost', run: meterMatrix },
  summary: { describe: 'billed and effective cost per billing period and currency, AI share of spend', run: summary },
  'token-kpis': {
    describe: 'requests, prompt tokens p50/p95/p99 per request, output per request, cached share, cost per 1K requests, p95 week over week',
    run: tokenKpis,
    by: ['feature', 'model'],
  },
  'token-drift': { describe: 'billed vs telemetry tokens per day, resource, model, token type; flags above --threshold %', run: tokenDrift },
  'tag-coverage': { describe: 'share of spend carrying each allocation tag, and the biggest untagged resources', run: tagCoverage },
  'telemetry-coverage': { describe: 'share of AI token spend explained by telemetry, per model, with the days missing', run: telemetryCoverage },
  unclassified: { describe: 'AI-looking meters the rules could not classify, with cost and an example row', run: unclassified },
  allocation: {
    describe: 'cost per feature, team, environment, cost center or tag, with __unallocated__ (needs --by)',
    run: allocation,
    by: ['feature', 'team', 'environment', 'cost-center', '<tag>'],
  },
  ingestions: { describe: 'what was ingested, replaced and skipped, and when', run: (s) => ingestions(s) },
  'unit-economics': { describe: 'per unit type and month: units, success rate, tokens and cost per unit by class, cost per successful unit', run: unitEconomics },
  sensitivity: { describe: 'cost per unit before and after --response-length, --retries, --model', run: sensitivity },
  chargeback: { describe: 'showback per team or cost center with shares of platform and overhead (--by)', run: chargeback, by: ['team', 'cost-center', 'feature', 'environment'] },
  reconcile: { describe: 'per invoice: total = allocated + shared + unallocated to the cent, corrections, bridge to effective (--month)', run: reconcile },
  'shared-costs': { describe: 'each shared platform / overhead pool, the rule that spread it, to which features, on what basis', run: sharedCosts },
  variance: { describe: 'change vs --vs month: volume, intensity, rate, shared, outside units (--month)', run: variance },
};
