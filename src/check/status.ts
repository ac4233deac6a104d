/**
 * The one-line data status every report prints, and the gate in front of it. From the cheap checks
 * (recency, period status, missing days, currencies, mandatory columns) over the report's period:
 * "Data: complete through 2026-10-31; open periods: none; checks: ok". A period still open is month to
 * date, not an error. Gaps (missing days before the latest one), a stale open period or mixed currencies
 * refuse the report unless --allow-incomplete, which the report then says. A gap accepted in tokenledger.yaml
 * (`checks.accept`, domain/acceptance.ts) does not refuse it, and the line names it with its reason.
 */
import { acceptanceFor, type Acceptance, type StatusProblem } from '../domain/acceptance.js';
import { UsageError } from '../domain/errors.js';
import { dayBefore } from '../domain/month.js';
import { mandatoryColumns, type FocusVersion } from '../domain/focus-columns.js';
import type { Period } from '../domain/period.js';
import { loadSql, type Store } from '../store/db.js';
import { oncePerReadOnlyStore } from '../store/read-once.js';
import { fill, sql } from '../store/sql.js';
import { invalidEnumerations, type EnumerationFindings } from './enumerations.js';

const RECENCY = loadSql(import.meta.url, 'recency.sql');
/** Days without usage rows inside each billing period (missing-days.sql): the status, check and the anomaly gaps read it. */
export const MISSING_DAYS = loadSql(import.meta.url, 'missing-days.sql');

export interface DataStatus {
  line: string;
  complete_through: string | null;
  open_periods: string[];
  problems: string[];
  /** Problems accepted in tokenledger.yaml, each with its reason: reported, not refused. */
  accepted: string[];
}

const inPeriod = (day: string, p: Period) => (!p.from || day >= p.from) && (!p.to || day < p.to);
const overlaps = (start: string, end: string, p: Period) => (!p.to || start < p.to) && (!p.from || end > p.from);

/** Recency and period status per billing account and period (recency.sql): what check, the status line and reconcile read. */
export type BillingPeriodStatus = { account: string; currency: string; period_start: string; period_end: string; data_end: string | null;
  closed: boolean; invoiced: boolean; stale: boolean };

export async function billingPeriods(store: Store, o: StatusOptions): Promise<BillingPeriodStatus[]> {
  return store.query<BillingPeriodStatus>(fill(RECENCY, {
    TODAY: sql`CAST(${o.today} AS DATE)`, STALE_DAYS: sql`CAST(${o.staleDays} AS INTEGER)`,
    CLOSE_DAYS: sql`CAST(${o.closeDays} AS INTEGER)`,
  }));
}

export interface StatusOptions { today: string; staleDays: number; closeDays: number; accepted?: readonly Acceptance[] }

/** tokenledger.yaml checks: (defaults 3 and 5 days, accepted gaps) with today's date. */
export function statusOptions(
  config: { checks?: { stale_after_days?: number | undefined; close_after_days?: number | undefined;
    accept?: Acceptance[] | undefined } | undefined },
  today: string): StatusOptions {
  return { today, staleDays: config.checks?.stale_after_days ?? 3, closeDays: config.checks?.close_after_days ?? 5,
    accepted: config.checks?.accept ?? [] };
}

const month = (day: string) => day.slice(0, 7);
const days = (list: string[]) => `${list.length} missing day(s) (${list.slice(0, 3).join(', ')}${list.length > 3 ? ', ...' : ''})`;

/** Missing days as one problem per billing account and month (what an acceptance names). */
function missingDayProblems(missing: { account: string; day: string }[]): StatusProblem[] {
  const groups = new Map<string, { account: string; month: string; days: string[] }>();
  for (const m of missing) {
    const key = `${m.account}\u0000${month(m.day)}`;
    const g = groups.get(key) ?? { account: m.account, month: month(m.day), days: [] };
    g.days.push(m.day);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ check: 'missing-days', month: g.month, account: g.account, text: days(g.days),
    brief: `${g.days.length} missing day(s) in ${g.month}` }));
}

/** What the status is judged from, for every period at once (the period is applied in dataStatus). */
interface StatusFacts {
  periods: BillingPeriodStatus[];
  missing: { account: string; day: string }[];
  currencies: { period: string }[];
  specs: { source: string; version: string; missing: string[] }[];
  enums: EnumerationFindings;
}

async function statusFacts(store: Store, o: StatusOptions): Promise<StatusFacts> {
  return {
    periods: await billingPeriods(store, o),
    missing: await store.query<{ account: string; day: string }>(MISSING_DAYS),
    currencies: await store.query<{ period: string }>(
      `SELECT strftime(CAST(BillingPeriodStart AS DATE), '%Y-%m-%d') AS period FROM charges_daily GROUP BY BillingAccountId, ` +
        `BillingPeriodStart HAVING count(DISTINCT BillingCurrency) > 1`),
    specs: await store.query<{ source: string; version: string; missing: string[] }>(
      `SELECT source, focus_version AS version, missing_spec_columns AS missing FROM ingestions WHERE kind = 'focus' ` +
        `AND status <> 'replaced' AND len(missing_spec_columns) > 0`),
    enums: await invalidEnumerations(store, 1),
  };
}

/** The facts, read once per read-only store and options (store/read-once.ts). */
const cachedFacts = oncePerReadOnlyStore(statusFacts, (o: StatusOptions) => JSON.stringify([o.today, o.staleDays, o.closeDays]));

export async function dataStatus(store: Store, period: Period, o: StatusOptions): Promise<DataStatus> {
  const facts = await cachedFacts(store, o);
  const periods = facts.periods.filter((x) => overlaps(x.period_start, x.period_end, period));
  if (!periods.length) {
    return { line: 'Data: no billing data for this period.', complete_through: null, open_periods: [], problems: [], accepted: [] };
  }
  const missing = facts.missing.filter((m) => inPeriod(m.day, period));
  const { currencies, specs, enums } = facts;
  const lacking = specs.filter((x) => x.missing.some((c) => mandatoryColumns(x.version as FocusVersion).includes(c)));
  const open = periods.filter((x) => !x.closed);
  // complete through: each account's latest usage day, and the earliest of those over accounts
  const latest = new Map<string, string>();
  for (const x of periods) if (x.data_end && (latest.get(x.account) ?? '') < x.data_end) latest.set(x.account, x.data_end);
  const ends = [...latest.values()].map(dayBefore);
  const through = ends.length ? ends.reduce((a, b) => (b < a ? b : a)) : null;
  const found: StatusProblem[] = [
    ...missingDayProblems(missing),
    ...periods.filter((x) => x.stale).map((x): StatusProblem => ({
      check: 'stale', month: month(x.period_start), account: x.account,
      text: `${x.account.slice(-24)} ${month(x.period_start)} stale (data through ${x.data_end ? dayBefore(x.data_end) : 'none'}, ` +
        `today ${o.today})` })),
    ...currencies.filter((c) => periods.some((x) => x.period_start === c.period)).map((c): StatusProblem => ({
      check: 'mixed-currencies', month: month(c.period), account: null, text: `mixed currencies in ${month(c.period)}` })),
    ...lacking.map((x): StatusProblem => ({ check: 'mandatory-columns', month: null, account: null,
      text: `export ${x.source} without mandatory FOCUS columns` })),
    ...(enums.count ? [{ check: 'enumerations' as const, month: null, account: null,
      text: `${enums.count} row(s) with a value outside FOCUS in an enumerated column (see tokenledger check)` }] : []),
  ];
  // accepted problems are named with their reason; the others refuse the report as before, worded as before
  const accepted = new Map<string, string[]>();
  const open_: StatusProblem[] = [];
  for (const p of found) {
    const a = acceptanceFor(p, o.accepted ?? []);
    if (!a) open_.push(p);
    else accepted.set(a.reason, [...(accepted.get(a.reason) ?? []), p.brief ?? p.text]);
  }
  const openMissing = missing.filter((m) => open_.some((p) => p.check === 'missing-days' && p.account === m.account
    && p.month === month(m.day)));
  const openLacking = open_.filter((p) => p.check === 'mandatory-columns').length;
  const problems = [
    ...(openMissing.length ? [days(openMissing.map((m) => m.day))] : []),
    ...open_.filter((p) => p.check === 'stale' || p.check === 'mixed-currencies').map((p) => p.text),
    ...(openLacking ? [`${openLacking} export(s) without mandatory FOCUS columns (see tokenledger check)`] : []),
    ...open_.filter((p) => p.check === 'enumerations').map((p) => p.text),
  ];
  const acceptedText = [...accepted].map(([reason, texts]) => `${texts.join(', ')}: ${reason}`);
  const openText = open.length ? [...new Set(open.map((x) => `${x.period_start.slice(0, 7)} (month to date)`))].join(', ') : 'none';
  const line = `Data: ${open.length ? 'month to date' : 'complete'} through ${through ?? 'no usage'}; open periods: ${openText}; ` +
    `checks: ${problems.length ? problems.join('; ') : 'ok'}${acceptedText.length ? `; accepted: ${acceptedText.join('; ')}` : ''}`;
  return { line, complete_through: through, open_periods: [...new Set(open.map((x) => x.period_start.slice(0, 7)))], problems,
    accepted: acceptedText };
}

/** Refuse a report on incomplete data, unless allowed (then it says so). */
export function gate(status: DataStatus, allowIncomplete: boolean): string[] {
  if (!status.problems.length) return [status.line];
  if (!allowIncomplete) {
    throw new UsageError(`the data for this report is incomplete: ${status.problems.join('; ')}`,
      'Run `tokenledger check` for details; fix the ingest, accept a known gap once in tokenledger.yaml (checks.accept: check, ' +
        'month, reason), or add --allow-incomplete to report anyway (marked as such).');
  }
  return [status.line, 'INCOMPLETE DATA: reported anyway because of --allow-incomplete; figures may change when the missing data arrives.'];
}
