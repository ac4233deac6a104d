/**
 * `tokenledger check`: what must hold before anyone reports from the ledger. Recency (is the data
 * current?), completeness (are days missing, which periods are still open, does telemetry cover the
 * billed days?) and conformance (the FOCUS identities and values a CFO relies on). Each check is pass,
 * warn or fail with a count and examples that name file and line.
 */
import { loadSql, type Store } from '../store/db.js';
import { describeOrphans, findOrphans, reportedOrphans } from '../store/integrity.js';
import { rollupDifferences } from '../store/rollup.js';
import { telemetryRollupDifferences } from '../store/telemetry-rollup.js';
import { mandatoryColumns, type FocusVersion } from '../domain/focus-columns.js';
import { dayBefore } from '../domain/month.js';
import { invalidEnumerations } from './enumerations.js';
import { billingPeriods, MISSING_DAYS, type StatusOptions } from './status.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';
export interface CheckResult {
  id: string;
  area: 'recency' | 'completeness' | 'conformance';
  status: CheckStatus;
  count: number;
  detail: string;
  examples: string[];
}

/**
 * today (YYYY-MM-DD); staleDays: an open period older than this is stale; closeDays: a period closes this long after its end
 * (or with an invoice id).
 */
export type CheckOptions = StatusOptions;

const CONFORMANCE = loadSql(import.meta.url, 'conformance.sql');
const INGESTION_ROWS = loadSql(import.meta.url, 'ingestion-rows.sql');
const DUPLICATE_IDS = loadSql(import.meta.url, 'duplicate-ids.sql');
const ALLOC_DAILY = loadSql(import.meta.url, 'alloc-daily.sql');

const ROW_CHECKS: { id: string; what: string }[] = [
  { id: 'conformance.list-cost', what: 'ListCost = ListUnitPrice x PricingQuantity' },
  { id: 'conformance.contracted-cost', what: 'ContractedCost = ContractedUnitPrice x PricingQuantity' },
  { id: 'conformance.effective-vs-billed',
    what: 'EffectiveCost = BilledCost on usage without a commitment discount or a prepaid drawdown' },
  { id: 'conformance.placeholders', what: 'no placeholder values (-2, Unassigned, unknown...) in key columns' },
  { id: 'conformance.normalizer-flags', what: 'token quantities consistent with prices' },
];

/** "2 billing periods (months) of 2 billing accounts": what a reader counts, not account-period pairs. */
function countOf(periods: { account: string; period_start: string }[]): string {
  const months = new Set(periods.map((p) => p.period_start.slice(0, 7))).size;
  const accounts = new Set(periods.map((p) => p.account)).size;
  return `${months} billing period(s) (months)${accounts > 1 ? ` of ${accounts} billing accounts` : ''}`;
}

export async function runChecks(store: Store, o: CheckOptions): Promise<CheckResult[]> {
  const orphans = await orphanRows(store);
  const out: CheckResult[] = [orphans, await ingestionRows(store), await rollupSums(store), await allocationDaily(store),
    await telemetryRollups(store)];
  const duplicates = await duplicateRequestIds(store);
  const [{ n }] = (await store.query<{ n: string }>('SELECT count(*) AS n FROM billing_rows')) as [{ n: string }];
  if (Number(n) === 0) {
    return [...[...out, duplicates].filter((r) => r.status !== 'pass'), { id: 'recency.data', area: 'recency', status: 'fail', count: 0,
      detail: 'no billing data in the store; run `tokenledger ingest focus` first', examples: [] }];
  }
  const periods = await billingPeriods(store, o);
  const stale = periods.filter((p) => p.stale);
  const latest = periods.reduce((a, p) => (p.data_end && p.data_end > a ? p.data_end : a), '');
  out.push({
    id: 'recency.latest-data', area: 'recency', status: stale.length ? 'fail' : 'pass', count: stale.length,
    detail: stale.length
      ? `${stale.length} open period(s) with no data for more than ${o.staleDays} days (today ${o.today})`
      : `latest usage through ${latest ? dayBefore(latest) : 'none'}; no open period older than ${o.staleDays} days (today ${o.today})`,
    examples: stale.slice(0, 5).map(
      (p) => `${p.account} ${p.period_start.slice(0, 7)}: data through ${p.data_end ? dayBefore(p.data_end) : 'none'}`),
  });
  out.push(await providerRecency(store, o));
  const open = periods.filter((p) => !p.closed);
  out.push({
    id: 'completeness.periods', area: 'completeness', status: 'pass', count: open.length,
    detail: open.length
      ? `open: ${open.map(
        (p) => `${p.period_start.slice(0, 7)} (month to date through ${p.data_end ? dayBefore(p.data_end) : 'no usage yet'})`).join(
          ', ')}; closed: ${periods.length - open.length}`
      : `all ${countOf(periods)} closed (${periods.filter((p) => p.invoiced).length} with invoice ids)`,
    examples: [],
  });
  const missing = await store.query<{ account: string; period: string; day: string }>(MISSING_DAYS);
  out.push({
    id: 'completeness.missing-days', area: 'completeness', status: missing.length ? 'fail' : 'pass', count: missing.length,
    detail: missing.length ? `${missing.length} day(s) without usage rows inside billing periods, before the latest data`
      : 'every day of every period has usage rows',
    examples: missing.slice(0, 5).map((m) => `${m.account} ${m.day}`),
  });
  out.push(await telemetryDays(store));
  out.push(duplicates);
  const currencies = await store.query<{ account: string; period: string; currencies: string }>(
    `SELECT BillingAccountId AS account, strftime(CAST(BillingPeriodStart AS DATE), '%Y-%m') AS period, ` +
    `string_agg(DISTINCT BillingCurrency, ', ' ORDER BY BillingCurrency) AS currencies
     FROM billing_rows GROUP BY ALL HAVING count(DISTINCT BillingCurrency) > 1 ORDER BY ALL`);
  out.push({
    id: 'conformance.currency', area: 'conformance', status: currencies.length ? 'fail' : 'pass', count: currencies.length,
    detail: currencies.length ? 'more than one BillingCurrency in a billing account and period'
      : 'one BillingCurrency per billing account and period',
    examples: currencies.slice(0, 5).map((c) => `${c.account} ${c.period}: ${c.currencies}`),
  });
  const spec = await store.query<{ source: string; version: string; missing: string[] }>(
    `SELECT source, focus_version AS version, missing_spec_columns AS missing FROM ingestions
     WHERE kind = 'focus' AND status <> 'replaced' AND len(missing_spec_columns) > 0 ORDER BY source`);
  const mandatory = spec.map((x) => ({ ...x, lacking: x.missing.filter((c) => mandatoryColumns(x.version as FocusVersion).includes(c)) }))
    .filter((x) => x.lacking.length);
  out.push({
    id: 'conformance.mandatory-columns', area: 'conformance', status: mandatory.length ? 'fail' : 'pass', count: mandatory.length,
    detail: mandatory.length ? 'exports without columns their FOCUS version makes mandatory'
      : 'every export has the mandatory columns of its FOCUS version',
    examples: mandatory.slice(0, 5).map((x) => `${x.source} (FOCUS ${x.version}): ${x.lacking.join(', ')}`),
  });
  const optional = spec.map((x) => ({ ...x, lacking: x.missing.filter((c) => !mandatoryColumns(x.version as FocusVersion).includes(c)) }))
    .filter((x) => x.lacking.length);
  out.push({
    id: 'conformance.spec-columns', area: 'conformance', status: optional.length ? 'warn' : 'pass', count: optional.length,
    detail: optional.length ? 'exports without some optional (conditional or recommended) columns of their FOCUS version'
      : 'every export has all columns of its FOCUS version',
    examples: optional.slice(0, 5).map((x) => `${x.source} (FOCUS ${x.version}): ${x.lacking.join(', ')}`),
  });
  const findings = await store.query<{ check_id: string; file: string; line: string; detail: string }>(
    `SELECT check_id, file, line, detail, count(*) OVER (PARTITION BY check_id) AS n,
       row_number() OVER (PARTITION BY check_id ORDER BY file, line) AS k FROM (${CONFORMANCE}) QUALIFY k <= 5`);
  const counts = await store.query<{ check_id: string; n: string }>(`SELECT check_id, count(*) AS n FROM (${CONFORMANCE}) GROUP BY ALL`);
  // prepaid drawdown rows (BilledCost 0, EffectiveCost from funds paid before) are not findings; said in the detail
  const drawdown = Number(counts.find((x) => x.check_id === 'info.prepaid-drawdown')?.n ?? 0);
  for (const c of ROW_CHECKS) {
    const count = Number(counts.find((x) => x.check_id === c.id)?.n ?? 0);
    const also = c.id === 'conformance.effective-vs-billed' && drawdown
      ? `; ${drawdown} prepaid drawdown row(s) (BilledCost 0, EffectiveCost drawn from a prepaid purchase or virtual currency) expected`
      : '';
    out.push({
      id: c.id, area: 'conformance', status: count ? 'warn' : 'pass', count,
      detail: (count ? `${count} row(s) where it does not hold: ${c.what}` : c.what) + also,
      examples: findings.filter((f) => f.check_id === c.id).map((f) => `${f.file}:${f.line}: ${f.detail}`),
    });
  }
  const enums = await invalidEnumerations(store);
  out.push({
    id: 'conformance.enumerations', area: 'conformance', status: enums.count ? 'fail' : 'pass', count: enums.count,
    detail: enums.count ? `${enums.count} row(s) whose ChargeCategory, ChargeClass, ChargeFrequency, PricingCategory or commitment `
      + 'discount category / status is not a FOCUS value (reports would leave them out of their filters)'
      : 'every enumerated FOCUS column holds a FOCUS value',
    examples: enums.examples,
  });
  const unclassified = await store.query<{ meter: string; cost: string }>(
    `SELECT coalesce(x_SkuMeterName, SkuMeter, '(no meter name)') AS meter, CAST(sum(c.EffectiveCost) AS VARCHAR) AS cost
     FROM charges c WHERE tl_unclassified GROUP BY ALL ORDER BY sum(c.EffectiveCost) DESC`);
  out.push({
    id: 'conformance.unclassified-ai-meters', area: 'conformance', status: unclassified.length ? 'warn' : 'pass',
    count: unclassified.length,
    detail: unclassified.length ? 'AI-looking meters no rule classifies (see `report unclassified`)' : 'every AI meter classified',
    examples: unclassified.slice(0, 5).map((u) => `${u.meter}: ${u.cost}`),
  });
  return out;
}

/** FOCUS 1.3 Recency metadata, when a provider publishes it: incomplete time sectors, and how old it is. */
async function providerRecency(store: Store, o: CheckOptions): Promise<CheckResult> {
  const rows = await store.query<{ id: string; source: string; last: string | null; complete: boolean | null; incomplete: string;
    first_open: string | null; last_open: string | null }>(`
    SELECT dataset_instance_id AS id, any_value(source) AS source, strftime(max(recency_last_updated), '%Y-%m-%d %H:%M') AS last,
      bool_and(dataset_complete) AS complete, count(*) FILTER (WHERE sector_complete = false) AS incomplete,
      strftime(min(sector_start) FILTER (WHERE sector_complete = false), '%Y-%m-%d') AS first_open,
      strftime(max(sector_end) FILTER (WHERE sector_complete = false), '%Y-%m-%d') AS last_open
    FROM focus_recency GROUP BY dataset_instance_id ORDER BY 1`);
  if (!rows.length) {
    return { id: 'recency.provider-metadata', area: 'recency', status: 'pass', count: 0,
      detail: 'no FOCUS 1.3 Recency metadata ingested (providers may publish it beside the export)', examples: [] };
  }
  const staleBefore = new Date(`${o.today}T00:00:00Z`);
  staleBefore.setUTCDate(staleBefore.getUTCDate() - o.staleDays);
  const stale = rows.filter(
    (r) => (Number(r.incomplete) > 0 || r.complete === false) && (!r.last || r.last < staleBefore.toISOString().slice(0, 10)));
  const open = rows.filter((r) => Number(r.incomplete) > 0 || r.complete === false);
  return {
    id: 'recency.provider-metadata', area: 'recency', status: stale.length ? 'fail' : open.length ? 'warn' : 'pass', count: open.length,
    detail: stale.length
      ? `${stale.length} dataset instance(s) incomplete and not updated for more than ${o.staleDays} days (provider Recency metadata)`
      : open.length ? `${open.length} dataset instance(s) the provider marks incomplete (month to date)`
        : `${rows.length} dataset instance(s), all time sectors complete (provider Recency metadata)`,
    examples: (stale.length ? stale : open.length ? open : rows).slice(0, 5).map(
      (r) => `${r.source}: ${r.id}, last updated ${r.last ?? 'unknown'}${Number(r.incomplete)
        ? `, ${r.incomplete} incomplete sector(s) ${r.first_open} to ${r.last_open}` : ''}`),
  };
}

/**
 * Rows of no committed ingestion (an ingest killed inside its COMMIT, store/integrity.ts). Opening the
 * store removes them when it can write; what is left here was hidden from this command, not removed.
 */
async function orphanRows(store: Store): Promise<CheckResult> {
  const found = await findOrphans(store, { full: true });
  const rows = reportedOrphans(found).reduce((a, o) => a + o.rows, 0);
  return {
    id: 'completeness.orphan-rows', area: 'completeness', status: found.length ? 'fail' : 'pass', count: rows,
    detail: found.length
      ? `${rows} row(s) of interrupted ingests without a committed ingestion record (hidden from reports; the next command that ` +
        'can open the store for writing removes them)'
      : 'every row belongs to a committed ingestion',
    examples: describeOrphans(found).slice(0, 5),
  };
}

/** The daily rollup the headline reports read (store/rollup.ts) against the rows it sums, per ingestion. */
async function rollupSums(store: Store): Promise<CheckResult> {
  const bad = await rollupDifferences(store);
  return {
    id: 'completeness.rollup', area: 'completeness', status: bad.length ? 'fail' : 'pass', count: bad.length,
    detail: bad.length
      ? 'ingestion(s) whose daily rollup (charges_daily, what summary, cost-per-token and the figures read) does not add up to their '
        + 'rows; `tokenledger reclassify --all` sums it again'
      : 'the daily rollup adds up to the billing rows of every ingestion (rows, billed and effective cost, tokens)',
    examples: bad.slice(0, 5).map((b) => `${b.ingestionId}: rows ${b.rows.ledger} vs ${b.rows.rollup}, effective cost `
      + `${b.effectiveCost.ledger} vs ${b.effectiveCost.rollup}, billed ${b.billedCost.ledger} vs ${b.billedCost.rollup}, tokens `
      + `${b.tokens.ledger} vs ${b.tokens.rollup}`),
  };
}

/** The allocation's daily rollup (what budgets, forecasts and anomalies read) against its rows (alloc-daily.sql). */
async function allocationDaily(store: Store): Promise<CheckResult> {
  type Bad = { day: string | null; currency: string | null; ln: string; rn: string; le: string; re: string };
  const bad = await store.query<Bad>(ALLOC_DAILY);
  return {
    id: 'completeness.allocation-daily', area: 'completeness', status: bad.length ? 'fail' : 'pass', count: bad.length,
    detail: bad.length
      ? 'day(s) whose allocation rollup (alloc_daily) does not add up to the allocation rows; `tokenledger allocate --force` rebuilds both'
      : 'the allocation rollup adds up to the allocation rows on every day (rows, billed and effective cost, tokens)',
    examples: bad.slice(0, 5).map((b) =>
      `${b.day ?? '(no day)'} ${b.currency ?? ''}: rows ${b.ln} vs ${b.rn}, effective cost ${b.le} vs ${b.re}`),
  };
}

/** The telemetry rollups (store/telemetry-rollup.ts: what the telemetry reports read) against the records, group by group. */
async function telemetryRollups(store: Store): Promise<CheckResult> {
  const bad = await telemetryRollupDifferences(store);
  return {
    id: 'completeness.telemetry-rollups', area: 'completeness', status: bad.length ? 'fail' : 'pass', count: bad.length,
    detail: bad.length
      ? 'ingestion(s) whose telemetry rollups (telemetry_daily, telemetry_resource_daily, telemetry_minute) do not add up to their '
        + 'records; ingest the file again into a new store, or restore a copy'
      : 'the telemetry rollups add up to the records of every ingestion, group by group (rows, requests, tokens)',
    examples: bad.slice(0, 5).map((b) => `${b.rollup} ${b.ingestionId}: ${Object.entries(b.measures)
      .map(([k, v]) => `${k} ${v.records} vs ${v.rollup}`).join(', ') || 'the same sums in other groups'}`),
  };
}

/** Ingestion records whose rows are not all there (ingestion-rows.sql). */
async function ingestionRows(store: Store): Promise<CheckResult> {
  const bad = await store.query<{ ingestion_id: string; source: string; recorded: string; held: string; in_files: string }>(INGESTION_ROWS);
  return {
    id: 'completeness.ingestion-rows', area: 'completeness', status: bad.length ? 'fail' : 'pass', count: bad.length,
    detail: bad.length
      ? 'ingestion(s) whose rows in the store are not what their record says (a torn COMMIT or rows removed by hand); ingest the file again'
        + ' into a new store, or restore a copy'
      : 'every ingestion holds the rows it recorded',
    examples: bad.slice(0, 5).map((b) => `${b.ingestion_id} (${b.source}): recorded ${b.recorded} rows, holds ${b.held}`
      + (b.in_files !== b.recorded ? `, its files say ${b.in_files}` : '')),
  };
}

/** Telemetry records delivered again in another file (the same request id): their tokens count twice. */
async function duplicateRequestIds(store: Store): Promise<CheckResult> {
  const pairs = await store.query<{ first_file: string; again_file: string; first_records: string; again_records: string }>(DUPLICATE_IDS);
  const count = pairs.reduce((a, p) => a + Number(p.again_records), 0);
  return {
    id: 'completeness.duplicate-request-ids', area: 'completeness', status: pairs.length ? 'warn' : 'pass', count,
    detail: pairs.length
      ? `${count} telemetry record(s) repeat the request id of a record of an earlier file (the same request counted twice); ingest `
        + 'such files with --skip-duplicate-ids'
      : 'no request id in two telemetry files',
    examples: pairs.slice(0, 5).map((p) => `${p.again_file}: ${p.again_records} record(s) with request ids of ${p.first_file} `
      + `(${p.first_records} record(s) there)`),
  };
}

async function telemetryDays(store: Store): Promise<CheckResult> {
  const [{ tel }] = (await store.query<{ tel: string }>('SELECT count(*) AS tel FROM telemetry_files')) as [{ tel: string }];
  const rows = await store.query<{ day: string; cost: string }>(
    `SELECT strftime(d, '%Y-%m-%d') AS day, CAST(cost AS VARCHAR) AS cost FROM (
       SELECT charge_day AS d, sum(EffectiveCost) AS cost FROM charges_daily WHERE tl_token_type IS NOT NULL GROUP BY 1
     ) b WHERE d NOT IN (SELECT DISTINCT CAST(ts AS DATE) FROM telemetry_rows) ORDER BY d`);
  if (Number(tel) === 0) {
    return { id: 'completeness.telemetry-days', area: 'completeness', status: rows.length ? 'warn' : 'pass', count: rows.length,
      detail: 'no telemetry ingested: token charges cannot be allocated to features', examples: [] };
  }
  return {
    id: 'completeness.telemetry-days', area: 'completeness', status: rows.length ? 'warn' : 'pass', count: rows.length,
    detail: rows.length ? `${rows.length} day(s) with token charges and no telemetry at all` : 'telemetry on every day with token charges',
    examples: rows.slice(0, 5).map((r) => `${r.day}: ${r.cost} of token charges`),
  };
}


/** 0 all pass, 1 warnings, 2 failures. */
export function checkExitCode(results: CheckResult[]): 0 | 1 | 2 {
  if (results.some((r) => r.status === 'fail')) return 2;
  if (results.some((r) => r.status === 'warn')) return 1;
  return 0;
}
