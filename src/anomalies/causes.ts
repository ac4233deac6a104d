/**
 * Why a cost anomaly happened, the two ways AWS Cost Anomaly Detection and the variance report explain
 * a change:
 *
 * - Root causes: inside the anomalous series, every value of each other dimension (feature, team, model,
 *   resource, token type, meter) with its dollar contribution to the impact: its actual cost on the
 *   window minus its share of the expected cost (its share of the series on the reference days: the same
 *   weekdays of the four weeks before). Per dimension the contributions add up to the impact, to the cent
 *   (the largest takes the rounding). Ranked by contribution in the anomaly's direction; past the first
 *   TOP_CAUSES values of a dimension (a year of resources has hundreds) the rest is one OTHERS row (of two
 *   values or more).
 * - Drivers of the token cost (units or requests x tokens per unit x cost per token): the change of the
 *   window's token cost against the reference days' per-day rate, split by the Shapley decomposition of
 *   the three factors (as report variance does per month): volume, intensity, rate. Parts are cents and
 *   rate takes the rounding, so volume + intensity + rate = change exactly.
 */
import { allocatedCostColumn, type CostBasis } from '../domain/cost-basis.js';
import { divideDecimals, multiplyDecimals, negateDecimal, roundDecimal, sumDecimals } from '../domain/decimal.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, sql, type Sql } from '../store/sql.js';
import type { Anomaly } from './analyse.js';
import { addDays, ANOMALY_DIMENSIONS, COST_KEYS, daysBetween, TELEMETRY_KEYS, telemetryRollupOf } from './series.js';

const ROOT_SQL = loadSql(import.meta.url, 'root-causes.sql');
const DRIVERS_SQL = loadSql(import.meta.url, 'drivers.sql');
const VOLUMES_SQL = loadSql(import.meta.url, 'volumes.sql');

export interface RootCause {
  dimension: string; value: string; contribution: string; actual: string; expected: string;
  /** On a dimension's last row when it has more than TOP_CAUSES + 1 values: how many values it sums (value OTHERS). */
  others?: number;
}

/** Causes kept by name per dimension; the rest of a dimension is one row, so its contributions still add up to the impact. */
export const TOP_CAUSES = 10;
/** The value of a dimension's row that sums its values past the first TOP_CAUSES. */
export const OTHERS = '__others__';
export interface Drivers {
  /** What volume counts: business units of the feature, or telemetry requests. */
  volumeBasis: 'units' | 'requests';
  change: string;
  volume: string;
  intensity: string;
  rate: string;
  driver: 'volume' | 'intensity' | 'rate';
  before: { volume_per_day: number; tokens_per_volume: number | null; cost_per_1m_tokens: number | null };
  after: { volume_per_day: number; tokens_per_volume: number | null; cost_per_1m_tokens: number | null };
}

/** The same weekdays of the four weeks before the window, for each of its days (distinct, sorted). */
export function referenceDays(days: string[]): string[] {
  const start = days[0]!;
  const out = new Set<string>();
  for (const d of days) {
    const k0 = Math.floor(daysBetween(start, d) / 7) + 1;
    for (let k = k0; k < k0 + 4; k++) out.add(addDays(d, -7 * k));
  }
  return [...out].sort();
}

const cents = (x: number) => roundDecimal(x.toFixed(4), 2);

/**
 * The window and reference days of each anomaly as rows (idx, currency, value, day, side: 1 window, 0
 * reference), joined to the allocation so that one scan serves every anomaly of a dimension. A day that is
 * both (a long window's reference weeks reach into it) is a row of each side, as two separate sums would count it.
 */
function daysOf(list: Anomaly[]): { Q: Sql; FIRST: Sql; LAST: Sql } {
  const rows: { idx: number; currency: string | null; value: string; day: string; side: number }[] = [];
  const all: string[] = [];
  list.forEach((a, idx) => {
    const ref = referenceDays(a.days);
    all.push(...a.days, ...ref);
    for (const [days, side] of [[a.days, 1], [ref, 0]] as const) {
      for (const day of days) rows.push({ idx, currency: a.currency, value: a.value, day, side });
    }
  });
  all.sort();
  // one JSON parameter, not five per row: binding the thousands of a year's anomalies took 0.2-0.3 s
  const q = sql`SELECT r.idx, r.currency, r.value, r.day, r.side FROM (SELECT unnest(from_json(${JSON.stringify(rows)}, ${Q_SHAPE})) AS r)`;
  return { Q: q, FIRST: sql`CAST(${all[0]!} AS DATE)`, LAST: sql`CAST(${all[all.length - 1]!} AS DATE)` };
}

/** The shape of daysOf's rows for from_json. */
const Q_SHAPE = JSON.stringify([{ idx: 'INTEGER', currency: 'VARCHAR', value: 'VARCHAR', day: 'DATE', side: 'INTEGER' }]);

/** The anomalies of `list` by dimension, with their positions in `list` (one statement per dimension). */
function byDimension(list: Anomaly[]): [string, number[]][] {
  const m = new Map<string, number[]>();
  list.forEach((a, i) => m.set(a.dimension, [...(m.get(a.dimension) ?? []), i]));
  return [...m];
}

/** The column each other dimension groups by (root-causes.sql): of alloc_charges, or of the daily rollup. */
const CHARGE_COLUMNS: Record<string, string> = { resource: 'ResourceName', meter: 'x_SkuMeterName' };
const DAILY_COLUMNS: Record<string, string> = { feature: 'feature', team: 'team', model: 'model', 'token-type': 'token_type' };

/** A part of root-causes.sql: its grouping sets, and the dimension and value each set names. */
function causeSets(dims: string[], columns: Record<string, string>): { SETS: Sql; DIMENSION: Sql; VALUE: Sql } {
  const key = (d: string) => COST_KEYS[d as keyof typeof COST_KEYS].replace(/\b(?:a|c)\./g, '');
  return {
    SETS: code(dims.map((d) => `(idx, ${columns[d]})`).join(', ')),
    DIMENSION: code(`CASE ${dims.map((d) => `WHEN grouping(${columns[d]}) = 0 THEN '${d}'`).join(' ')} END`),
    VALUE: code(`CASE ${dims.map((d) => `WHEN grouping(${columns[d]}) = 0 THEN ${key(d)}`).join(' ')} END`),
  };
}

/** The relations a dimension's key is read from: the charge's columns need alloc_rows joined to alloc_charges. */
function relationsOf(dim: string): { ROWS: Sql; DAILY: Sql } {
  const joined = 'alloc_rows a JOIN alloc_charges c USING (charge_key)';
  return /\bc\./.test(COST_KEYS[dim as keyof typeof COST_KEYS]) ? { ROWS: code(joined), DAILY: code(joined) }
    : { ROWS: code('alloc_rows a'), DAILY: code('alloc_daily a') };
}

/**
 * Root causes of each anomaly of `list` (in its order), per other dimension, ranked in the anomaly's
 * direction: one statement per dimension.
 */
export async function rootCausesOf(ledger: Ledger, list: Anomaly[], basis: CostBasis): Promise<RootCause[][]> {
  const out: RootCause[][] = list.map(() => []);
  for (const [dim, at] of byDimension(list)) {
    const group = at.map((i) => list[i]!);
    const others = ANOMALY_DIMENSIONS.filter((d) => d !== 'total' && d !== dim);
    const charge = causeSets(others.filter((d) => d in CHARGE_COLUMNS), CHARGE_COLUMNS);
    const daily = causeSets(others.filter((d) => d in DAILY_COLUMNS), DAILY_COLUMNS);
    const rows = await ledger.query<{ idx: number; dimension: string; value: string; actual: string; reference: string }>(
      fill(ROOT_SQL, {
        CHARGE_SETS: charge.SETS, CHARGE_DIMENSION: charge.DIMENSION, CHARGE_VALUE: charge.VALUE,
        DAILY_SETS: daily.SETS, DAILY_DIMENSION: daily.DIMENSION, DAILY_VALUE: daily.VALUE, ...relationsOf(dim),
        COST: code(allocatedCostColumn(basis)), ...daysOf(group), KEY: code(COST_KEYS[dim as keyof typeof COST_KEYS]),
      }));
    const byIdx = new Map<number, typeof rows>();
    for (const r of rows) {
      const list = byIdx.get(Number(r.idx));
      if (list) list.push(r);
      else byIdx.set(Number(r.idx), [r]);
    }
    group.forEach((a, j) => {
      out[at[j]!] = rankCauses(a, others, byIdx.get(j) ?? []);
    });
  }
  return out;
}

/** Decimal text as whole cents (rounded half away from zero, as roundDecimal), and back as text with 2 places. */
const toCents = (d: string): bigint => {
  const r = roundDecimal(d, 2);
  const n = BigInt(r.replace('-', '').replace('.', ''));
  return r.startsWith('-') ? -n : n;
};
const fromCents = (n: bigint): string => {
  const digits = (n < 0n ? -n : n).toString().padStart(3, '0');
  return `${n < 0n ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

/**
 * 1. Per dimension, each value's expected share of the expected total; 2. the largest takes the rounding;
 * 3. rank each dimension in the anomaly's direction and keep its first TOP_CAUSES values, the rest summed
 * as one OTHERS row; 4. rank the named causes across dimensions, the OTHERS rows after them.
 * In whole cents (bigint): a year of resources gives hundreds of causes per anomaly.
 */
export function rankCauses(a: Pick<Anomaly, 'impact' | 'expectedDaily'>, others: readonly string[],
  rows: { dimension: string; value: string; actual: string; reference: string }[]): RootCause[] {
  const expectedTotal = a.expectedDaily.reduce((x, y) => x + y, 0);
  const impact = toCents(a.impact);
  const sign = a.impact.startsWith('-') ? -1n : 1n;
  type Item = { dimension: string; value: string; actualCents: bigint; expectedCents: bigint; cents: bigint; others?: number };
  // a total order: equal contributions come from the database in any order
  const order = (x: Item, y: Item) => { const c = sign * (y.cents - x.cents); return c > 0n ? 1 : c < 0n ? -1
    : x.dimension.localeCompare(y.dimension) || x.value.localeCompare(y.value); };
  const named: Item[] = [];
  const rest: Item[] = [];
  for (const d of others) {
    const mine = rows.filter((r) => r.dimension === d);
    if (!mine.length) continue;
    const refTotal = mine.reduce((x, r) => x + Number(r.reference), 0);
    const items: Item[] = mine.map((r) => {
      const expected = toCents((refTotal > 0 ? (expectedTotal * Number(r.reference)) / refTotal : 0).toFixed(4));
      const actual = toCents(r.actual);
      return { dimension: d, value: r.value, actualCents: actual, expectedCents: expected, cents: actual - expected };
    });
    // the contributions of a dimension add up to the impact: the largest takes the rounding
    const left = items.reduce((x, i) => x - i.cents, impact);
    const size = (n: bigint) => (n < 0n ? -n : n);
    const largest = items.reduce((m, i) => (size(i.cents) > size(m.cents) ? i : m));
    largest.cents += left;
    largest.expectedCents = largest.actualCents - largest.cents;
    items.sort(order);
    // an OTHERS row stands for two values or more: one more value is named instead
    const keep = items.length > TOP_CAUSES + 1 ? TOP_CAUSES : items.length;
    named.push(...items.slice(0, keep));
    if (items.length > keep) {
      // one sum for the rest (hundreds of resources on a year of data): added in place, not an object per value
      const others: Item = { dimension: d, value: OTHERS, actualCents: 0n, expectedCents: 0n, cents: 0n, others: items.length - keep };
      for (let j = keep; j < items.length; j++) {
        const i = items[j]!;
        others.actualCents += i.actualCents;
        others.expectedCents += i.expectedCents;
        others.cents += i.cents;
      }
      rest.push(others);
    }
  }
  return [...named.sort(order), ...rest.sort(order)].map((i) => ({ dimension: i.dimension, value: i.value,
    contribution: fromCents(i.cents), actual: fromCents(i.actualCents), expected: fromCents(i.expectedCents),
    ...(i.others === undefined ? {} : { others: i.others }) }));
}

/** Shapley split of T = U x I x R between two states (per day), scaled to `days` days. */
export function shapley(u0: number, i0: number, r0: number, u1: number, i1: number, r1: number): [number, number, number] {
  const volume = ((u1 - u0) * (2 * i0 * r0 + i1 * r0 + i0 * r1 + 2 * i1 * r1)) / 6;
  const intensity = ((i1 - i0) * (2 * u0 * r0 + u1 * r0 + u0 * r1 + 2 * u1 * r1)) / 6;
  const rate = ((r1 - r0) * (2 * u0 * i0 + u1 * i0 + u0 * i1 + 2 * u1 * i1)) / 6;
  return [volume, intensity, rate];
}

/** Units per day of the anomalies' features (event_rows), or no rows when the dimension is not feature. */
const unitsSql = (dimension: string, first: Sql, last: Sql): Sql => (dimension === 'feature'
  ? sql`SELECT CAST(ts AS DATE) AS day, feature AS value, sum(count) AS n FROM event_rows
      WHERE ts >= CAST(${first} AS TIMESTAMP) AND ts < CAST(${last} AS TIMESTAMP) + INTERVAL 1 DAY
        AND feature IN (SELECT DISTINCT value FROM q) GROUP BY ALL`
  : code('SELECT NULL::DATE AS day, NULL::VARCHAR AS value, NULL::HUGEINT AS n WHERE false'));

/** Telemetry requests per day and value of the dimension (daily rollups), or no rows where telemetry has no such key. */
const requestsSql = (dimension: string, first: Sql, last: Sql): Sql => {
  const key = TELEMETRY_KEYS[dimension as keyof typeof TELEMETRY_KEYS];
  if (!key || dimension === 'token-type') return code('SELECT NULL::DATE AS day, NULL::VARCHAR AS value, NULL::HUGEINT AS n WHERE false');
  return sql`SELECT day, ${code(key)} AS value, sum(requests) AS n FROM ${code(telemetryRollupOf(dimension as keyof typeof TELEMETRY_KEYS))}
    WHERE day BETWEEN ${first} AND ${last} GROUP BY ALL`;
};

type TokenSides = { c1: string; c0: string; k1: string; k0: string };

/**
 * The driver split of each anomaly of `list` (in its order; null when it has no token cost or no volume
 * measure): the token cost and tokens of every anomaly of a dimension in one scan of the allocation
 * (drivers.sql), then each one's volume (units or requests).
 */
export async function driversOf(ledger: Ledger, list: Anomaly[], basis: CostBasis): Promise<(Drivers | null)[]> {
  const out: (Drivers | null)[] = list.map(() => null);
  for (const [dim, at] of byDimension(list)) {
    const group = at.map((i) => list[i]!);
    const days = daysOf(group);
    const sides = await ledger.query<TokenSides & { idx: number }>(fill(DRIVERS_SQL, {
      COST: code(allocatedCostColumn(basis)), ...days, KEY: code(COST_KEYS[dim as keyof typeof COST_KEYS]),
      RELATION: relationsOf(dim).DAILY,
    }));
    // no token cost on either side: nothing to split, and no volume to read
    const split = group.map((_, j) => sides.find((x) => Number(x.idx) === j))
      .map((t) => (t && Number(t.k0) > 0 && Number(t.k1) > 0 ? t : null));
    if (!split.some((t) => t)) continue;
    const volumes = await ledger.query<Volumes & { idx: number }>(fill(VOLUMES_SQL, {
      Q: days.Q, UNITS: unitsSql(dim, days.FIRST, days.LAST), REQUESTS: requestsSql(dim, days.FIRST, days.LAST),
    }));
    for (const [j, a] of group.entries()) {
      const t = split[j];
      const v = volumes.find((x) => Number(x.idx) === j);
      if (t && v) out[at[j]!] = splitDrivers(a, t, v);
    }
  }
  return out;
}

type Volumes = { units1: string | null; units0: string | null; requests1: string | null; requests0: string | null };

function splitDrivers(a: Anomaly, row: TokenSides, m: Volumes): Drivers | null {
  const ref = referenceDays(a.days);
  const units = m.units1 !== null && m.units0 !== null && Number(m.units0) > 0;
  const [v1, v0] = units ? [m.units1, m.units0] : [m.requests1, m.requests0];
  if (v1 === null || v0 === null || !(Number(v0) > 0)) return null;
  // per day on each side; the change is the window's token cost minus the reference rate over as many days
  const n1 = a.days.length;
  const n0 = ref.length;
  const u = [Number(v0) / n0, Number(v1) / n1];
  const k = [Number(row.k0) / n0, Number(row.k1) / n1];
  const c = [Number(row.c0) / n0, Number(row.c1) / n1];
  const i = [k[0]! / u[0]!, u[1]! > 0 ? k[1]! / u[1]! : 0];
  const rr = [c[0]! / k[0]!, c[1]! / k[1]!];
  const [vol, int] = shapley(u[0]!, i[0]!, rr[0]!, u[1]!, i[1]!, rr[1]!);
  const baseline = divideDecimals(multiplyDecimals(row.c0, String(n1)), String(n0)) ?? '0';
  const change = roundDecimal(sumDecimals([row.c1, negateDecimal(baseline)]), 2);
  const volume = cents(vol * n1);
  const intensity = cents(int * n1);
  const rate = roundDecimal(sumDecimals([change, negateDecimal(volume), negateDecimal(intensity)]), 2);
  const parts = { volume, intensity, rate } as const;
  const size = (p: keyof typeof parts) => Math.abs(Number(parts[p]));
  const names = Object.keys(parts) as (keyof typeof parts)[];
  const driver = names.reduce((m, p) => (size(p) > size(m) ? p : m), names[0]!);
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  const side = (j: 0 | 1) => ({ volume_per_day: round(u[j]!, 1), tokens_per_volume: round(i[j]!, 1),
    cost_per_1m_tokens: round(rr[j]! * 1e6, 4) });
  return { volumeBasis: units ? 'units' : 'requests', change, volume, intensity, rate, driver, before: side(0), after: side(1) };
}
