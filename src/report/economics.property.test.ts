/**
 * Invariants of unit economics on random ledgers (fast-check): whatever the charges (credits included),
 * telemetry, events and sharing rules,
 *  - chargeback lines of a month add up to the month's charges, to the last digit, in both cost bases;
 *  - variance: the total change is the change in charges, rounded to the cent;
 *  - variance: on random two-month ledgers whose unit costs the test knows (one feature per unit type,
 *    one resource per feature), volume, intensity and rate equal the test's own Shapley decomposition of
 *    token cost = units x tokens per unit x cost per token (and other direct cost = units x cost per unit),
 *    computed in exact fractions, within the cents the report rounds to (the identity volume + intensity +
 *    rate + shared = change holds by construction, rate being the remainder, so it is not the check).
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
const R = ['/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/r1',
  '/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/r2'];
const MODELS = [['gpt 4o 0513 Input global Tokens', 'gpt-4o'], ['o3 Inpt DZone 1M Tokens', 'o3']] as const;
const SERVICES = [
  { ServiceName: 'Azure AI Search' }, { ServiceName: 'Log Analytics' }, { ServiceName: 'Microsoft Defender for Cloud' },
  { ServiceName: 'API Management' }, { ServiceName: 'Storage Accounts', ServiceCategory: 'Storage' },
  { ServiceName: 'Virtual Machines', x_SkuMeterSubcategory: 'NCadsA100v4 Series' },
  { ServiceName: 'Virtual Machines', x_SkuMeterSubcategory: 'Dv5 Series' },
];
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
const tokenBill = fc.record({ mo: month, d: day, m: fc.integer({ min: 0, max: 1 }), r: fc.integer({ min: 0, max: 1 }),
  tokens: fc.integer({ min: 1, max: 3_000_000 }), cost: money, ecost: money });
const otherBill = fc.record({ mo: month, d: day, s: fc.integer({ min: 0, max: SERVICES.length - 1 }),
  f: fc.constantFrom('A', 'B', 'C', null), t: fc.constantFrom('t1', 't2', null), cost: money, ecost: money });
const tel = fc.record({ mo: month, d: day, m: fc.integer({ min: 0, max: 1 }), r: fc.integer({ min: 0, max: 1 }),
  f: fc.constantFrom('A', 'B', 'C', null), t: fc.constantFrom('t1', 't2', null), p: fc.integer({ min: 0, max: 900_000 }),
  c: fc.integer({ min: 0, max: 90_000 }) });
const ev = fc.record({ mo: month, d: day, u: fc.constantFrom('ticket', 'document', 'lead'), f: fc.constantFrom('A', 'B', 'C', null),
  n: fc.integer({ min: 0, max: 40 }), ok: fc.boolean() });
const cfg = fc.record({ rules: fc.subarray(RULES), units: fc.boolean() });

const when = (mo: string, d: number) => ({
  ChargePeriodStart: `2026-${mo}-0${d}T00:00:00Z`, ChargePeriodEnd: `2026-${mo}-0${d + 1}T00:00:00Z`,
  BillingPeriodStart: `2026-${mo}-01T00:00:00Z`, BillingPeriodEnd: mo === '09' ? '2026-10-01T00:00:00Z' : '2026-11-01T00:00:00Z',
});

describe('unit economics invariants (property)', () => {
  it('chargeback adds up to the month, the variance total is the change in charges', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(tokenBill, { minLength: 1, maxLength: 8 }), fc.array(otherBill, { maxLength: 10 }), fc.array(tel, { maxLength: 12 }),
      fc.array(ev, { maxLength: 12 }), cfg,
      async (tokens, others, tels, evs, c) => {
        const store = await Store.open(':memory:');
        try {
          const dir = tempDir();
          const rows = [
            ...tokens.map(
              (b) => ({ ...tokenRow(MODELS[b.m]![0], b.tokens, '1', { ...when(b.mo, b.d), ResourceId: R[b.r]! }), BilledCost: b.cost,
                EffectiveCost: b.ecost })),
            ...others.map(
              (b) => ({ ...when(b.mo, b.d), BilledCost: b.cost, EffectiveCost: b.ecost, ServiceCategory: '', ...SERVICES[b.s],
                Tags: JSON.stringify({ ...(b.f ? { feature: b.f } : {}), ...(b.t ? { team: b.t } : {}) }) })),
          ];
          await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv(rows, [...BASE_COLUMNS, 'ServiceCategory']))], { rules });
          if (tels.length) {
            await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', tels.map((t) => JSON.stringify({
              timestamp: `2026-${t.mo}-0${t.d}T10:00:00Z`, model: MODELS[t.m]![1], resource_id: R[t.r], ...(t.f ? { feature: t.f } : {}),
              ...(t.t ? { team: t.t } : {}),
              usage: { prompt_tokens: t.p, completion_tokens: t.c },
            })).join('\n') + '\n')]);
          }
          if (evs.length) {
            await ingestEvents(store, [writeFixture(dir, 'ev.jsonl', evs.map((e) => JSON.stringify({
              timestamp: `2026-${e.mo}-0${e.d}T09:00:00Z`, unit: e.u, ...(e.f ? { feature: e.f } : {}), count: e.n,
              outcome: e.ok ? 'success' : 'failure',
            })).join('\n') + '\n')]);
          }
          const economics: EconomicsConfig = { sharing: c.rules,
            ...(c.units ? { units: { ticket: { features: ['A', 'C'] }, document: { features: ['B', 'C'] } } } : {}) };
          for (const costBasis of ['effective', 'billed'] as const) {
            const charged = (mo: string) => sumDecimals(['0',
              ...[...tokens, ...others].filter((b) => b.mo === mo).map((b) => (costBasis === 'billed' ? b.cost : b.ecost))]);
            for (const mo of ['09', '10']) {
              const cb = await reportOf(store, 'chargeback', { month: `2026-${mo}`, cost: costBasis, by: ['team'] }, economics);
              expect(sumDecimals(['0', ...cb.rows.map((r) => String(r.total))])).toBe(charged(mo));
            }
            const v = await reportOf(store, 'variance', { month: '2026-10', cost: costBasis }, economics);
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

/** Exact fractions of BigInts: the test's own arithmetic for the Shapley terms. */
class Q {
  constructor(readonly n: bigint, readonly d: bigint = 1n) {
    if (d === 0n) throw new Error('division by zero');
  }
  static of(decimal: string): Q {
    const [int, frac = ''] = decimal.replace('-', '').split('.');
    const q = new Q(BigInt(int! + frac), 10n ** BigInt(frac.length));
    return decimal.startsWith('-') ? q.neg() : q;
  }
  add(o: Q): Q { return new Q(this.n * o.d + o.n * this.d, this.d * o.d); }
  sub(o: Q): Q { return this.add(o.neg()); }
  mul(o: Q): Q { return new Q(this.n * o.n, this.d * o.d); }
  div(o: Q): Q { return o.n < 0n ? new Q(-this.n * o.d, -o.n * this.d) : new Q(this.n * o.d, o.n * this.d); }
  neg(): Q { return new Q(-this.n, this.d); }
  abs(): Q { return this.n < 0n ? this.neg() : this; }
  /** |this| <= cents / 100 (plus a billionth for the report's DOUBLE arithmetic). */
  within(cents: number): boolean { return this.abs().mul(new Q(10n ** 9n)).n <= (BigInt(cents * 1e7) + 1n) * this.abs().d; }
  toString(): string { return (Number(this.n * 10n ** 6n / this.d) / 1e6).toFixed(6); }
}
const q = (n: number | bigint) => new Q(BigInt(n));

/** One unit type in one month, as the test built it: units, tokens and token cost, other direct cost, shared cost. */
interface Cell { u: bigint; k: bigint; t: Q; d: Q; s: Q }

/** Shapley terms of T = U x I x R and D = U x e (variance.sql's definition, the test's own arithmetic). */
function shapley(a: Cell, b: Cell): { volume: Q; intensity: Q; rate: Q; shared: Q } {
  const [u0, u1, k0, k1] = [q(a.u), q(b.u), q(a.k), q(b.k)];
  let volume = b.t.sub(a.t);
  let intensity = q(0);
  let rate = q(0);
  if (a.u > 0n && b.u > 0n && a.k > 0n && b.k > 0n) {
    const [i0, i1, r0, r1] = [k0.div(u0), k1.div(u1), a.t.div(k0), b.t.div(k1)];
    const six = (x: Q, y: Q, z: Q, w: Q) => q(2).mul(x).add(y).add(z).add(q(2).mul(w)).div(q(6));
    volume = u1.sub(u0).mul(six(i0.mul(r0), i1.mul(r0), i0.mul(r1), i1.mul(r1)));
    intensity = i1.sub(i0).mul(six(u0.mul(r0), u1.mul(r0), u0.mul(r1), u1.mul(r1)));
    rate = r1.sub(r0).mul(six(u0.mul(i0), u1.mul(i0), u0.mul(i1), u1.mul(i1)));
  }
  if (a.u > 0n && b.u > 0n) {
    const [e0, e1] = [a.d.div(u0), b.d.div(u1)];
    volume = volume.add(u1.sub(u0).mul(e0.add(e1)).div(q(2)));
    rate = rate.add(e1.sub(e0).mul(u0.add(u1)).div(q(2)));
  } else {
    volume = volume.add(b.d.sub(a.d));
  }
  return { volume, intensity, rate, shared: b.s.sub(a.s) };
}

const UNIT_OF: Record<string, string> = { A: 'ticket', B: 'document' };
const feat = fc.constantFrom('A', 'B');
const tokenCharge = fc.record({ mo: month, d: day, f: feat, m: fc.integer({ min: 0, max: 1 }),
  tokens: fc.integer({ min: 1, max: 5_000_000 }), cents: fc.integer({ min: 0, max: 2_000_000 }) });
const directCharge = fc.record({ mo: month, d: day, f: feat, cents: fc.integer({ min: -5_000, max: 500_000 }) });
const pool = fc.record({ mo: month, cents: fc.integer({ min: 0, max: 300_000 }) });
const units = fc.record({ mo: month, f: feat, n: fc.integer({ min: 0, max: 600 }) });

describe('variance against an independent Shapley decomposition (property)', () => {
  it('volume, intensity and rate are the Shapley terms of units x tokens per unit x cost per token, to the cent', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(tokenCharge, { minLength: 1, maxLength: 8 }), fc.array(directCharge, { maxLength: 5 }), fc.array(pool, { maxLength: 2 }),
      fc.array(units, { minLength: 1, maxLength: 6 }),
      async (tokens, directs, pools, evs) => {
        const store = await Store.open(':memory:');
        try {
          const dir = tempDir();
          const dollars = (c: number) => (c / 100).toFixed(2);
          // resource r1 serves only feature A, r2 only B: every token charge lands whole on its feature
          const res = (f: string) => R[f === 'A' ? 0 : 1]!;
          const rows = [
            ...tokens.map(
              (b) => ({ ...tokenRow(MODELS[b.m]![0], b.tokens, '1', { ...when(b.mo, b.d), ResourceId: res(b.f) }),
                BilledCost: dollars(b.cents), EffectiveCost: dollars(b.cents) })),
            ...directs.map(
              (b) => ({ ...when(b.mo, b.d), BilledCost: dollars(b.cents), EffectiveCost: dollars(b.cents), ServiceCategory: '',
                ...SERVICES[5], Tags: JSON.stringify({ feature: b.f }) })),
            ...pools.map(
              (b) => ({ ...when(b.mo, 1), BilledCost: dollars(b.cents), EffectiveCost: dollars(b.cents), ServiceCategory: '',
                ...SERVICES[0] })),
          ];
          await ingestFocus(store, [writeFixture(dir, 'bill.csv', focusCsv(rows, [...BASE_COLUMNS, 'ServiceCategory']))], { rules });
          await ingestTelemetry(store, [writeFixture(dir, 'tel.jsonl', tokens.map((t) => JSON.stringify({
            timestamp: `2026-${t.mo}-0${t.d}T10:00:00Z`, model: MODELS[t.m]![1], resource_id: res(t.f), feature: t.f,
            usage: { prompt_tokens: 1000, completion_tokens: 0 },
          })).join('\n') + '\n')]);
          await ingestEvents(store, [writeFixture(dir, 'ev.jsonl', evs.map((e) => JSON.stringify({
            timestamp: `2026-${e.mo}-01T09:00:00Z`, unit: UNIT_OF[e.f], feature: e.f, count: e.n, outcome: 'success',
          })).join('\n') + '\n')]);
          const economics: EconomicsConfig = { units: { ticket: { features: ['A'] }, document: { features: ['B'] } },
            sharing: [RULES[0]!].map((r) => ({ ...r, units: ['ticket', 'document'] })) };
          const v = await reportOf(store, 'variance', { month: '2026-10' }, economics);

          // the test's own ledger: per month and feature, units, tokens, token cost, other direct cost, shared cost
          const cell = (mo: string, f: string): Cell => {
            const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
            const n = (g: string) => BigInt(sum(evs.filter((e) => e.mo === mo && e.f === g).map((e) => e.n)));
            const all = n('A') + n('B');
            const pooled = sum(pools.filter((p) => p.mo === mo).map((p) => p.cents));
            return {
              u: n(f), k: BigInt(sum(tokens.filter((t) => t.mo === mo && t.f === f).map((t) => t.tokens))),
              t: new Q(BigInt(sum(tokens.filter((t) => t.mo === mo && t.f === f).map((t) => t.cents))), 100n),
              d: new Q(BigInt(sum(directs.filter((t) => t.mo === mo && t.f === f).map((t) => t.cents))), 100n),
              s: all > 0n && n(f) > 0n ? new Q(BigInt(pooled) * n(f), 100n * all) : q(0),
            };
          };
          for (const f of ['A', 'B']) {
            const want = shapley(cell('09', f), cell('10', f));
            const got = v.rows.find((r) => r.unit === UNIT_OF[f]);
            if (!got) {
              for (const x of Object.values(want)) expect(x.within(0)).toBe(true);
              continue;
            }
            const off = (k: 'volume' | 'intensity' | 'rate' | 'shared') => Q.of(String(got[k])).sub(want[k]);
            const msg = (k: 'volume' | 'intensity' | 'rate' | 'shared') =>
              `${UNIT_OF[f]} ${k}: report ${String(got[k])}, Shapley ${want[k].toString()}`;
            // volume is two rounded parts (token, other direct), intensity one; rate takes the rounding of
            // change, volume (2), intensity and shared: at most 2.5 cents from the exact Shapley rate
            expect(off('volume').within(1), msg('volume')).toBe(true);
            expect(off('intensity').within(0.5), msg('intensity')).toBe(true);
            expect(off('shared').within(0.5), msg('shared')).toBe(true);
            expect(off('rate').within(2.5), msg('rate')).toBe(true);
          }
        } finally {
          store.close();
        }
      }), { numRuns: 30 });
  }, 120_000);
});
