/**
 * Reports in tests: a store built with the library's ingest functions is made ready the way a writing
 * command leaves it (rows numbered, allocation stored), then a report runs on a Ledger over it through the
 * same request building as the command line, without the data-status gate (fixtures are small, not
 * complete months).
 */
import { ensureAllocation } from '../allocate/materialize.js';
import { requestBase, type BaseParams } from '../app/report.js';
import type { Config } from '../config/config.js';
import { healPendingRows } from '../ingest/common/heal.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Ledger } from '../ledger/ledger.js';
import type { Scope } from '../ledger/scope.js';
import { explainRequest, runExplainRequest } from '../report/explain.js';
import { isReportName, reportRequest, runRequest, type ReportParams } from '../report/registry.js';
import type { Report } from '../report/render.js';
import type { Store } from '../store/db.js';
import { focusCsv, tempDir, writeFixture, type FixtureRow } from './focus-fixture.js';

export type TestConfig = Omit<Partial<Config>, 'path'>;

/** One billing CSV of `billing` and, when there are records, one usage log of `telemetry`, ingested as files. */
export async function ingestFixtures(store: Store, billing: FixtureRow[], telemetry: object[]): Promise<void> {
  const dir = tempDir();
  await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv(billing))], { rules: loadRules() });
  if (telemetry.length)
    await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', telemetry.map((t) => JSON.stringify(t)).join('\n') + '\n')]);
}

/** What a writing command does after it changed the ledger. */
export async function ready(store: Store): Promise<void> {
  await healPendingRows(store);
  await ensureAllocation(store);
}

export function ledgerOf(store: Store, config: TestConfig = {}, scope: Scope = {}): Ledger {
  return new Ledger(store, { path: null, ...config }, scope);
}

const FX = { env: {}, now: () => new Date('2030-01-01T00:00:00Z') };

/** Report `name` with command-line-like parameters ({ month, by, cost, unit, ... }). */
export async function reportOf(store: Store, name: string, p: BaseParams & ReportParams = {}, config: TestConfig = {},
  scope: Scope = {}): Promise<Report> {
  if (!isReportName(name)) throw new Error(`no report ${name}`);
  await ready(store);
  const ledger = ledgerOf(store, config, scope);
  return runRequest(ledger, reportRequest(name, requestBase(ledger.config, p, FX), p));
}

/** Explain `what` with command-line-like parameters. */
export async function explainOf(
  store: Store, what: string, p: BaseParams & { feature?: string; model?: string; tokenType?: string; unit?: string },
  config: TestConfig = {},
): Promise<Report> {
  await ready(store);
  const ledger = ledgerOf(store, config);
  return runExplainRequest(ledger, explainRequest(what, requestBase(ledger.config, p, FX), p));
}
