/**
 * Builds small FOCUS CSV files for tests: rows as objects, sensible values for the required columns,
 * written to a fresh temp folder. Also a store fingerprint to prove a failed ingest changed nothing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../store/db.js';

export const BASE_COLUMNS = [
  'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'BillingAccountId', 'BillingCurrency',
  'BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd', 'ChargeCategory', 'ChargeClass',
  'ProviderName', 'ServiceName', 'ResourceId', 'SubAccountId', 'RegionId', 'ConsumedQuantity', 'ConsumedUnit',
  'PricingQuantity', 'PricingUnit', 'ListUnitPrice', 'ContractedUnitPrice', 'x_SkuMeterCategory',
  'x_SkuMeterSubcategory', 'x_SkuMeterName', 'x_PricingBlockSize', 'x_PricingUnitDescription', 'Tags',
] as const;

export type FixtureRow = Partial<Record<(typeof BASE_COLUMNS)[number] | string, string>>;

export const DEFAULTS: FixtureRow = {
  BilledCost: '1', EffectiveCost: '1', BillingAccountId: 'acct-1', BillingCurrency: 'USD',
  BillingPeriodStart: '2026-10-01T00:00:00Z', BillingPeriodEnd: '2026-11-01T00:00:00Z',
  ChargePeriodStart: '2026-10-05T00:00:00Z', ChargePeriodEnd: '2026-10-06T00:00:00Z', ChargeCategory: 'Usage',
  ProviderName: 'Microsoft', ServiceName: 'Storage Accounts', x_SkuMeterCategory: 'Storage', x_SkuMeterName: 'Hot LRS Data Stored',
};

/** A token charge row on an Azure OpenAI 1M meter, FOCUS convention (ConsumedQuantity = tokens). */
export function tokenRow(meter: string, tokens: number, pricePer1M: string, extra: FixtureRow = {}): FixtureRow {
  const blocks = tokens / 1_000_000;
  const cost = (Number(pricePer1M) * blocks).toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
  return {
    ServiceName: 'Azure AI Services', x_SkuMeterCategory: 'Foundry Models', x_SkuMeterSubcategory: 'Azure OpenAI',
    x_SkuMeterName: meter, x_PricingBlockSize: '1000000', x_PricingUnitDescription: '1M', ConsumedUnit: 'Units', PricingUnit: 'Units',
    ConsumedQuantity: String(tokens), PricingQuantity: String(blocks), ListUnitPrice: pricePer1M, ContractedUnitPrice: pricePer1M,
    BilledCost: cost, EffectiveCost: cost, ListCost: cost, ContractedCost: cost, ...extra,
  };
}

function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function focusCsv(rows: FixtureRow[], columns: readonly string[] = BASE_COLUMNS, eol = '\n'): string {
  const lines = [columns.join(',')];
  for (const r of rows) {
    const full = { ...DEFAULTS, ...r };
    lines.push(columns.map((c) => field(full[c] ?? '')).join(','));
  }
  return lines.join(eol) + eol;
}

export function tempDir(prefix = 'tl-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFixture(dir: string, name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Everything a failed ingest must leave untouched. */
export async function fingerprint(store: Store): Promise<unknown> {
  return store.query(`SELECT
    (SELECT count(*) FROM billing_rows) AS rows,
    (SELECT coalesce(sum(BilledCost), 0) FROM billing_rows) AS billed,
    (SELECT count(*) FROM ingestions) AS ingestions,
    (SELECT string_agg(ingestion_id || status, ',' ORDER BY ingestion_id) FROM ingestions) AS statuses,
    (SELECT count(*) FROM ingestion_events) AS events,
    (SELECT count(*) FROM ingestion_files) AS files,
    (SELECT count(*) FROM charges_daily) AS rollup_rows,
    (SELECT coalesce(sum(BilledCost), 0) FROM charges_daily) AS rollup_billed`);
}
