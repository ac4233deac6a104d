/**
 * `report ptu-plan [--model] [--deployment]`: would provisioned throughput pay, from measured traffic?
 * Per deployment and model of request-level telemetry:
 *
 * 1. The per-minute profile (ptu-plan.sql) in normalized tokens (prices/ptu.ts) with the model's output
 *    ratio from the catalog; its p50 / p95 / p99 / max over every minute of the window.
 * 2. At each: PTUs (minimum and increment of the deployment type), the capacity per minute, the minutes
 *    and tokens that would spill over to pay-as-you-go, utilization of what is bought.
 * 3. Money, exact decimals, per 730-hour month: pay-as-you-go cost of the same traffic at the resolved
 *    price (the invoice's own where billed: prices.ts), PTU cost hourly / 1-month / 1-year reservation
 *    (catalog or nothing), spillover cost (its share of normalized tokens x pay-as-you-go cost), and the
 *    break-even utilization: PTU cost / pay-as-you-go value of a fully used PTU capacity.
 * 4. One sentence per deployment: savings, or "PTU buys latency and availability, not savings".
 */
import { divideDecimals, multiplyDecimals, negateDecimal, roundDecimal, sumDecimals } from '../domain/decimal.js';
import type { Ledger } from '../ledger/ledger.js';
import { entryAt, ptuModelOf, ptuSteps, type PtuPrice } from '../prices/catalog.js';
import { MINUTES_PER_MONTH } from '../prices/ptu.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, join, list, sql, type Sql } from '../store/sql.js';
import { deploymentTypesSql, priceBook, type PriceBook } from './prices.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';
import type { Row } from '../store/db.js';

const SQL = loadSql(import.meta.url, 'ptu-plan.sql');

const perMonth = (amount: string, windowMinutes: number) =>
  divideDecimals(multiplyDecimals(amount, String(MINUTES_PER_MONTH)), String(windowMinutes), 12) ?? '0';
const pct = (a: number, b: number) => (b > 0 ? Math.round((10000 * a) / b) / 100 : null);

interface Level {
  level: string;
  tpm: number;
  ptus: number;
  capacity: number;
  spillMinutes: number;
  spillTokens: number;
}
interface Group {
  deployment: string;
  model: string;
  deploymentType: string;
  assumed: boolean;
  window: number;
  /** Minutes of the window with traffic. */
  busy: number;
  uncached: string;
  cached: string;
  output: string;
  total: number;
  levels: Level[];
}

/** The statement's rows (one per group and level) as groups. */
function groupsOf(rows: Row[]): Group[] {
  const out = new Map<string, Group>();
  for (const r of rows) {
    const k = `${String(r.deployment)}|${String(r.model)}|${String(r.deployment_type)}`;
    const g = out.get(k) ?? {
      deployment: String(r.deployment),
      model: String(r.model),
      deploymentType: String(r.deployment_type),
      assumed: r.assumed === true,
      window: Number(r.window_minutes),
      busy: Number(r.busy),
      uncached: String(r.uncached),
      cached: String(r.cached),
      output: String(r.output),
      total: Number(r.total),
      levels: [],
    };
    g.levels.push({
      level: String(r.level),
      tpm: Number(r.tpm),
      ptus: Number(r.ptus),
      capacity: Number(r.capacity),
      spillMinutes: Number(r.spill_minutes),
      spillTokens: Number(r.spill_tokens),
    });
    out.set(k, g);
  }
  return [...out.values()];
}

/** Step 3: pay-as-you-go cost of the group's tokens in the window, or why there is none. */
function paygCost(book: PriceBook, g: Group): { cost: string; currency: string; origins: string[] } | string {
  const parts: string[] = [];
  const origins: string[] = [];
  let currency = '';
  for (const [type, n] of [
    ['input', g.uncached],
    ['cached_input', g.cached],
    ['output', g.output],
  ] as const) {
    if (n === '0') continue;
    const p =
      book.get(g.model, g.deploymentType, type) ?? (type === 'cached_input' ? book.get(g.model, g.deploymentType, 'input') : undefined);
    if (!p) return `no ${type} price for ${g.model} ${g.deploymentType}`;
    parts.push(multiplyDecimals(multiplyDecimals(n, p.perMillion), '0.000001'));
    origins.push(`${type} ${p.origin === 'invoice' ? 'invoice' : p.entry}`);
    currency = p.currency;
  }
  return { cost: sumDecimals(parts), currency, origins };
}

export async function ptuPlan(ledger: Ledger, o: RequestOf<'ptu-plan'>): Promise<Report> {
  const book = await priceBook(ledger, o);
  const filters: Sql[] = [code('true')];
  if (o.model) filters.push(sql`t.model = ${o.model}`);
  if (o.deployment) filters.push(sql`t.deployment = ${o.deployment}`);
  const factRows = book.catalog.ptuModels.map(
    (m) => sql`(${m.model}, CAST(${String(m.outputRatio)} AS DOUBLE), CAST(${m.inputTpmPerPtu} AS DOUBLE),
    ${m.global[0]}, ${m.global[1]}, ${m.regional[0]}, ${m.regional[1]})`,
  );
  const periodMinutes =
    o.period.from && o.period.to ? (Date.parse(`${o.period.to}T00:00:00Z`) - Date.parse(`${o.period.from}T00:00:00Z`)) / 60_000 : null;
  // 1-2. the profile of each deployment and model, its levels, PTUs and spillover: one statement
  const groups = factRows.length
    ? groupsOf(
        await ledger.query(
          fill(SQL, {
            DEPLOYMENT_TYPES: await deploymentTypesSql(ledger),
            WHERE: inPeriod(code('minute'), o.period),
            FILTER: join(filters, ' AND '),
            WINDOW: sql`${periodMinutes}`,
            FACTS: sql`(VALUES ${join(factRows, ', ')}) AS f(model, ratio, per_ptu, gmin, ginc, rmin, rinc)`,
          }),
        ),
      )
    : [];
  const window = groups[0]?.window ?? periodMinutes ?? 0;
  const unsized = await ledger.query(sql`SELECT DISTINCT model FROM telemetry_daily WHERE grain = 'request' AND model IS NOT NULL
    AND ${inPeriod(code('day'), o.period, 'DATE')} AND model NOT IN (${list(book.catalog.ptuModels.map((m) => m.model))}) ORDER BY model`);
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const g of groups) {
    const facts = ptuModelOf(book.catalog, g.model)!;
    const name = `${g.deployment} (${g.model}, ${g.deploymentType}${g.assumed ? ', assumed: not billed' : ''})`;
    const ptuType = `${g.deploymentType.split('-')[0]!}-provisioned`;
    const steps = ptuSteps(facts, ptuType);
    const total = g.total;
    const payg = paygCost(book, g);
    const price: PtuPrice | undefined = entryAt(book.catalog.ptuPrices, book.asOf, (p) => p.deployment === ptuType);
    const paygMonth = typeof payg === 'string' ? null : perMonth(payg.cost, window);
    let best: { cost: string; label: string } | null = null;
    for (const { level, tpm, ptus, capacity, spillMinutes, spillTokens } of g.levels) {
      const spill = { minutes: spillMinutes, tokens: spillTokens };
      const spillShare = total > 0 ? (divideDecimals(String(Math.round(spill.tokens)), String(Math.round(total)), 12) ?? '0') : '0';
      const spillMonth = paygMonth === null ? null : multiplyDecimals(paygMonth, spillShare);
      const hourly = price ? multiplyDecimals(String(ptus), multiplyDecimals(price.hourly, '730')) : null;
      const month1 = price ? multiplyDecimals(String(ptus), price.monthReservation) : null;
      const year1 = price ? divideDecimals(multiplyDecimals(String(ptus), price.yearReservation), '12', 12) : null;
      // break-even: PTU cost / pay-as-you-go value of the full capacity (capacity x month x cost per normalized token)
      const fullValue =
        paygMonth !== null && total > 0
          ? divideDecimals(multiplyDecimals(multiplyDecimals(String(capacity), String(window)), paygMonth), String(Math.round(total)), 12)
          : null;
      const breakEven = (cost: string | null) =>
        cost && fullValue && fullValue !== '0' ? Number(divideDecimals(cost, fullValue, 6)) * 100 : null;
      if (year1 && spillMonth !== null) {
        const c = sumDecimals([year1, spillMonth]);
        if (!best || Number(c) < Number(best.cost)) best = { cost: c, label: `${ptus} PTU at ${level}, 1-year reservation` };
      }
      rows.push({
        deployment: g.deployment,
        model: g.model,
        deployment_type: g.deploymentType,
        level,
        normalized_tpm: Math.round(tpm),
        ptus,
        utilization_pct: pct(total - spill.tokens, capacity * window),
        spill_minutes_pct: pct(spill.minutes, window),
        spill_tokens_pct: pct(spill.tokens, total),
        currency: typeof payg === 'string' ? (price?.currency ?? null) : payg.currency,
        payg_month: paygMonth,
        ptu_hourly_month: hourly,
        ptu_1m_month: month1,
        ptu_1y_month: year1,
        spill_month: spillMonth,
        breakeven_1y_pct: breakEven(year1) === null ? null : Math.round(breakEven(year1)! * 100) / 100,
        breakeven_hourly_pct: breakEven(hourly) === null ? null : Math.round(breakEven(hourly)! * 100) / 100,
      });
    }
    const used = [
      `${facts.inputTpmPerPtu} input TPM per PTU, output ratio ${facts.outputRatio}, minimum ${steps[0]} / increment ${steps[1]}`,
    ];
    if (price) used.push(`PTU price ${price.id} (effective ${price.effectiveFrom})`);
    else used.push(`no ${ptuType} PTU price in the catalog (add one to rules/prices or your sheet)`);
    if (typeof payg === 'string') used.push(payg);
    else used.push(`pay-as-you-go at ${payg.origins.join(', ')}`);
    notes.push(`${name}: ${used.join('; ')}.`);
    // records that each carry many minutes of traffic (daily or hourly rollups) make a profile of a few huge minutes
    if (g.window > 0 && g.busy / g.window < 0.05) {
      notes.push(`  Only ${g.busy} of ${g.window} minutes have records: this telemetry looks aggregated (hourly or daily records), ` +
        'not per request, so its per-minute peaks and the PTUs sized on them overstate bursts; size on request-level telemetry.');
    }
    if (best && paygMonth !== null) {
      const cents = (x: string) => roundDecimal(x, 2);
      notes.push(
        Number(best.cost) >= Number(paygMonth)
          ? `  PTU buys latency and availability here, not savings: pay-as-you-go costs ${cents(paygMonth)} a month; the cheapest plan ` +
              `(${best.label}, spillover included) costs ${cents(best.cost)}.`
          : `  PTU saves ${cents(sumDecimals([paygMonth, negateDecimal(best.cost)]))} a month ` +
            `(${best.label}, spillover included) against ` +
              `${cents(paygMonth)} pay-as-you-go; check the utilization stays above its break-even.`,
      );
    }
  }
  return {
    name: 'ptu-plan',
    title: `PTU plan from measured per-minute traffic (${o.period.label}, ${window} minutes; money per 730-hour month)`,
    meta: { ...baseMeta(o), window_minutes: window, as_of: book.asOf },
    columns: [
      { key: 'deployment', label: 'Deployment', kind: 'text' },
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'deployment_type', label: 'Type', kind: 'text', secondary: true },
      { key: 'level', label: 'At', kind: 'text' },
      { key: 'normalized_tpm', label: 'Norm TPM', kind: 'int' },
      { key: 'ptus', label: 'PTU', kind: 'int' },
      { key: 'utilization_pct', label: 'Util', kind: 'percent' },
      { key: 'spill_minutes_pct', label: 'Spill min', kind: 'percent', secondary: true },
      { key: 'spill_tokens_pct', label: 'Spill tok', kind: 'percent' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'payg_month', label: 'PAYG/mo', kind: 'money' },
      { key: 'ptu_hourly_month', label: 'Hourly/mo', kind: 'money', secondary: true },
      { key: 'ptu_1m_month', label: '1-month/mo', kind: 'money', secondary: true },
      { key: 'ptu_1y_month', label: '1-year/mo', kind: 'money' },
      { key: 'spill_month', label: 'Spill/mo', kind: 'money' },
      { key: 'breakeven_1y_pct', label: 'Break-even 1y', kind: 'percent' },
      { key: 'breakeven_hourly_pct', label: 'Break-even hourly', kind: 'percent', secondary: true },
    ],
    rows,
    notes: [
      'Normalized TPM = uncached input + ratio x output per minute; percentiles are nearest-rank over every minute (idle ones count as 0).',
      'Break-even: the utilization at which the PTU cost equals pay-as-you-go for the same tokens; spillover is billed at pay-as-you-go.',
      ...notes,
      ...(unsized.length ? [`No PTU facts in the catalog for ${unsized.map((r) => String(r.model)).join(', ')}: not planned.`] : []),
    ],
  };
}
