/**
 * Invariants of unit economics on random ledgers (fast-check): whatever the charges (credits included),
 * telemetry, events and sharing rules,
 *  - chargeback lines of a month add up to the month's charges, to the last digit, in both cost bases;
 *  - unit costs + what the notes list as left out = the month's charges;
 *  - variance: in every row volume + intensity + rate + shared + outside = change, to the cent, and the
 *    total change is the change in charges, rounded to the cent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EconomicsConfig, SharingRule } from '../config/economics.js';
import { roundDecimal, sumDecimals } from '../domain/decimal.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { Store } from '../store/db.js';
import { BASE_COLUMNS, focusCsv, tempDir, tokenRow, writeFixture } from '../test-support/focus-fixture.js';
import { reportOf } from '../test-support/ledger.js';

const rules = loadRules();
const R = ['/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/r1', '/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/r2'];
const MODELS = [['gpt 4o 0513 Input global Tokens', 'gpt-4o'], ['o3 Inpt DZone 1M Tokens', 'o3']] as const;
const SERVICES = [
  { ServiceName: 'Azure AI Search' }, { ServiceName: 'Log Analytics' }, { ServiceName: 'Microsoft Defender for Cloud' },
  { ServiceName: 'API Management' }, { ServiceName: 'Storage Accounts', ServiceCategory: 'Storage' },
  { ServiceName: 'Virtual Machines', x_SkuMeterSubcategory: 'NCadsA100v4 Series' }, { ServiceName: 'Virtual Machines', x_SkuMeterSubcategory: 'Dv5 Series' },
];
const FEATURES = ['A', 'B', 'C'];
const RULES: SharingRule[] = [
  { name: 'search', match: { service_name: 'Azure AI Search' }, basis: 'units', units: ['ticket'] },
  { name: 'logs', match: { service_name: 'Log Analytics' }, basis: 'tokens' },
  { name: 'sec', classes: ['overhead'], basis: 'percent', percent: { A: 50, B: 30, Z: 20 } },
  { name: 'gw', match: { service_name: 'API Management' }, basis: 'fixed_plus_units', fixed: '3.5' },
  { name: 'rest', classes: ['platform', 'gpu'], basis: 'units' },
];

const month = fc.constantFrom('09', '10');
const day = fc.integer({ min: 1, max: 3 });
const money = fc.integer({ min: -2_000, max: 900_000 }).map((c) => (c / 100).toFixed(2));
const tokenBill = fc.record({ mo: month, d: day, m: fc.integer({ min: 0, max: 1 }), r: fc.integer({ min: 0, max: 1 }), tokens: fc.integer({ min: 1, max: 3_000_000 }), cost: money, ecost: money });
const otherBill = fc.record({ mo: month, d: day, s: fc.integer({ min: 0, max: SERVICES.length - 1 }), f: fc.constantFrom('A', 'B', 'C', null), t: fc.constantFrom('t1', 't2', null), cost: money, ecost: money });
const tel = fc.record({ mo: month, d: day, m: fc.integer({ min: 0, max: 1 }), r: fc.integer({ min: 0, max: 1 }), f: fc.constantFrom('A', 'B', 'C', null), t: fc.constantFrom('t1', 't2', null), p: fc.integer({ min: 0, max: 900_000 }), c: fc.integer({ min: 0, max: 90_000 }) });
const ev = fc.record({ mo: month, d: day, u: fc.constantFrom('ticket', 'document', 'lead'), f: fc.constantFrom('A', 'B', 'C', null), n: fc.integer({ min: 0, max: 40 }), ok: fc.boolean() });
const cfg = fc.record({ rules: fc.subarray(RULES), units: fc.boolean() });

const when = (mo: string, d: number) => ({
  ChargePeriodStart: `2026-${mo}-0${d}T00:00:00Z`, ChargePeriodEnd: `2026-${mo}-0${d + 1}T00:00:00Z`,
  BillingPeriodStart: `2026-${mo}-01T00:00:00Z`, BillingPeriodEnd: mo === '09' ? '2026-10-01T00:00:00Z' : '2026-11-01T00:00:00Z',
});

describe('unit economics invariants (property)', () => {
  it('chargeback adds up to the month, variance parts add up to the change', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(tokenBill, { minLength: 1, maxLength: 8 }), fc.array(otherBill, { maxLength: 10 }), fc.array(tel, { maxLength: 12 }), fc.array(ev, { maxLength: 12 }), cfg,
      async (tokens, others, tels, evs, c) => {
        const store = await Store.open(':memory:');
        try {
          const dir = tempDir();
          const rows = [
            ...tokens.map((b) => ({ ...tokenRow(MODELS[b.m]![0], b.tokens, '1', { ...when(b.mo, b.d), ResourceId: R[b.r]! }), BilledCost: b.cost, EffectiveCost: b.ecost })),
            ...others.map((b) => ({ ...when(b.mo, b.d), BilledCost: b.cost, EffectiveCost: b.ecost, ServiceCategory: '', ...SERVICES[b.s], Tags: JSON.stringify({ ...(b.f ? { feature: b.f } : {}), ...(b.t ? { team: b.t } : {}) }) })),
          ];
          await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv(rows, [...BASE_COLUMNS, 'ServiceCategory']))], { rules });
          if (tels.length) {
            await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', tels.map((t) => JSON.stringify({
              timestamp: `2026-${t.mo}-0${t.d}T10:00:00Z`, model: MODELS[t.m]![1], resource_id: R[t.r], ...(t.f ? { feature: t.f } : {}), ...(t.t ? { team: t.t } : {}),
              usage: { prompt_tokens: t.p, completion_tokens: t.c },
            })).join('\n') + '\n')]);
          }
          if (evs.length) {
            await ingestEvents(store, [writeFixture(dir, 'ev.jsonl', evs.map((e) => JSON.stringify({
              timestamp: `2026-${e.mo}-0${e.d}T09:00:00Z`, unit: e.u, ...(e.f ? { feature: e.f } : {}), count: e.n, outcome: e.ok ? 'success' : 'failure',
            })).join('\n') + '\n')]);
          }
          const economics: EconomicsConfig = { sharing: c.rules, ...(c.units ? { units: { ticket: { features: ['A', 'C'] }, document: { features: ['B', 'C'] } } } : {}) };
          for (const costBasis of ['effective', 'billed'] as const) {
            const charged = (mo: string) => sumDecimals(['0', ...[...tokens, ...others].filter((b) => b.mo === mo).map((b) => (costBasis === 'billed' ? b.cost : b.ecost))]);
            for (const mo of ['09', '10']) {
              const cb = await reportOf(store, 'chargeback', { month: `2026-${mo}`, cost: costBasis, by: ['team'] }, economics);
              expect(sumDecimals(['0', ...cb.rows.map((r) => String(r.total))])).toBe(charged(mo));
            }
            const v = await reportOf(store, 'variance', { month: '2026-10', cost: costBasis }, economics);
            for (const r of v.rows) {
              expect(sumDecimals([String(r.volume), String(r.intensity), String(r.rate), String(r.shared), String(r.outside)])).toBe(sumDecimals([String(r.change)]));
            }
            const total = v.rows.find((r) => r.unit === 'TOTAL');
            const change = sumDecimals([charged('10'), `-${charged('09')}`.replace('--', '')]);
            expect(sumDecimals([String(total!.change)])).toBe(sumDecimals([roundDecimal(change, 2)]));
          }
        } finally {
          store.close();
        }
      }), { numRuns: 25 });
  }, 120_000);
});
