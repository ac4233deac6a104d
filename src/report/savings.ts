/**
 * `report savings [--month]`: what a CFO could bank, one row per opportunity, in the month's dollars, with
 * the evidence it rests on, its assumptions in words and a confidence. Pay-as-you-go levers run per
 * feature, model and deployment type over the tokens and cost the allocation gives the feature
 * (prices/levers.ts: caching -> deployment type -> batch -> right-sizing -> concision; `alone` is a
 * lever on today's traffic, `combined` what it adds after the levers above it, so only `combined` adds up).
 * Idle provisioned capacity is its own row per PTU resource (other tokens, no overlap).
 *
 * 1. The month: --month, else the last month with charges. Prices: the price book of that month (prices.ts).
 * 2. Read the month (savings.sql): allocated token usage, telemetry per feature and model, PTU charges.
 * 3. Per feature x model x deployment type, apply the levers tokenledger.yaml `savings:` allows; Batch also where
 *    the time profile finds offline-looking work (savings-batch.ts).
 * 4. Per PTU resource: utilization of the telemetry that reaches it against the PTUs billed.
 */
import { allocationSql } from '../allocate/allocate.js';
import { costColumn } from '../domain/cost-basis.js';
import { divideDecimals, groupThousands, multiplyDecimals, roundDecimal, sumDecimals } from '../domain/decimal.js';
import { monthPeriod } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import {
  batchLever,
  cachingLever,
  concisionLever,
  deploymentLever,
  rightSizingLever,
  saving,
  type Mix,
  type MixType,
  type PriceLookup,
} from '../prices/levers.js';
import { normalizedTokens } from '../prices/ptu.js';
import { ptuModelOf } from '../prices/catalog.js';
import { loadSql, type Row } from '../store/db.js';
import { code, fill, inPeriod, sql } from '../store/sql.js';
import { priceBook, type PriceBook } from './prices.js';
import { batchAssumptions, batchCandidates, batchEvidence, batchRule } from './savings-batch.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'savings.sql');
const tok = (n: number) => groupThousands(String(Math.round(n)));
const cents = (s: string) => roundDecimal(s, 2);
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** One feature and model's telemetry in the month: request-level or not, and the token sums the levers read. */
interface Telemetry { requestLevel: boolean; requests: number; prompt: number; eligible: number; eligibleCached: number; output: number }

async function lastBilledMonth(ledger: Ledger): Promise<string | null> {
  const [r] = await ledger.query(sql`SELECT strftime(max(charge_day), '%Y-%m') AS m FROM charges_daily`);
  return r?.m ? String(r.m) : null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return 0;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function mixesOf(rows: Row[]): Map<string, Mix & { feature: string; currency: string }> {
  const out = new Map<string, Mix & { feature: string; currency: string }>();
  for (const r of rows.filter((x) => x.part === 'usage')) {
    const k = [r.feature, r.model, r.deployment, r.currency].map(String).join('|');
    const m = out.get(k) ?? {
      feature: String(r.feature),
      model: String(r.model),
      deployment: String(r.deployment),
      currency: String(r.currency),
      tokens: { input: 0, cached_input: 0, output: 0 },
      cost: { input: '0', cached_input: '0', output: '0' },
    };
    const t = String(r.token_type) as MixType;
    m.tokens[t] += Number(r.tokens);
    m.cost[t] = sumDecimals([m.cost[t], String(r.cost)]);
    out.set(k, m);
  }
  return out;
}

const priceSource = (book: PriceBook, model: string, deployment: string, t: MixType) => {
  const p = book.get(model, deployment, t);
  return p ? `${p.perMillion} (${p.origin === 'invoice' ? 'invoice' : p.entry})` : 'none';
};

export async function savings(ledger: Ledger, o: RequestOf<'savings'>): Promise<Report> {
  const month = o.month ?? (await lastBilledMonth(ledger));
  const period = month ? monthPeriod(month)! : o.period;
  const req = { ...o, period };
  const book = await priceBook(ledger, req);
  const cfg = ledger.config.savings ?? {};
  const raw = await ledger.query(
    fill(SQL, {
      ALLOC: allocationSql(req),
      TEL_WHERE: inPeriod(code('day'), period, 'DATE'),
      COST: code(costColumn(o.costBasis)),
      CHARGE_WHERE: inPeriod(code('ChargePeriodStart'), period),
      // the same days as allocationSql's `a.day` filter, on the charge's day (alloc_rows.day = CAST(ChargePeriodStart AS DATE))
      CHARGE_DAY_WHERE: inPeriod(code('CAST(c.ChargePeriodStart AS DATE)'), period),
    }),
  );
  const tel = new Map<string, Telemetry>(
    raw
      .filter((r) => r.part === 'telemetry')
      .map((r) => [
        `${String(r.feature)}|${String(r.model)}`,
        {
          requestLevel: r.request_level === true,
          requests: Number(r.requests),
          prompt: Number(r.prompt),
          eligible: Number(r.eligible),
          eligibleCached: Number(r.eligible_cached),
          output: Number(r.output),
        },
      ]),
  );
  const rule = batchRule(cfg.batch);
  const candidates = await batchCandidates(ledger, period, rule);
  const fleetMedian = median([...tel.values()].filter((t) => t.requests > 0).map((t) => t.output / t.requests));
  const hitDefault = cfg.hit_rate ?? 0.5;
  const cut = cfg.concision ?? 0.15;
  const rows: Row[] = [];
  const monthLabel = period.label;
  const explain = (feature: string) => `tokenledger explain allocation --feature ${feature} --month ${monthLabel}`;

  // 3. the levers, in order, per feature x model x deployment type
  for (const m of mixesOf(raw).values()) {
    const price: PriceLookup = (model, deployment, t) => {
      const p = book.get(model, deployment, t);
      return p && p.currency === m.currency ? p.perMillion : undefined;
    };
    const f = cfg.features?.[m.feature] ?? {};
    const t = tel.get(`${m.feature}|${m.model}`);
    const where = `${m.feature} on ${m.model} (${m.deployment})`;
    const steps: { kind: string; apply: (x: Mix) => Mix | null; evidence: string; assumptions: string; confidence: string }[] = [];
    const hit = f.hit_rate ?? hitDefault;
    if (t && t.eligible > 0 && m.deployment.endsWith('-standard') && t.eligibleCached / t.eligible < hit) {
      const extraShare = Math.max(0, (hit * t.eligible - t.eligibleCached) / t.prompt);
      steps.push({
        kind: 'caching',
        apply: (x) => cachingLever(x, extraShare, price),
        evidence:
          `${where}: ${tok(t.eligible)} prompt tokens in requests of 1,024+ tokens (${pct(t.eligible / t.prompt)} of prompts), ` +
          `${pct(t.eligibleCached / t.eligible)} cached; input ${priceSource(book, m.model, m.deployment, 'input')}, cached ` +
          `${priceSource(book, m.model, m.deployment, 'cached_input')} per 1M`,
        assumptions:
          `a ${pct(hit)} hit rate on eligible prompts is reachable (identical first 1,024 tokens; savings.hit_rate` +
          `${f.hit_rate !== undefined ? ` of ${m.feature}` : ''})`,
        confidence: t.requestLevel ? 'medium' : 'low',
      });
    }
    if (f.global_ok) {
      steps.push({
        kind: 'deployment type',
        apply: (x) => deploymentLever(x, price),
        evidence:
          `${where}: ${tok(m.tokens.input + m.tokens.cached_input + m.tokens.output)} tokens on ${m.deployment}; Global Standard input ` +
          priceSource(book, m.model, 'global-standard', 'input'),
        assumptions: `data residency allows Global processing for ${m.feature} (savings.features.${m.feature}.global_ok)`,
        confidence: 'high',
      });
    }
    const detected = f.deferrable === undefined ? candidates.get(`${m.feature}|${m.model}`) : undefined;
    if (f.deferrable || detected) {
      steps.push({
        kind: 'batch',
        apply: (x) => batchLever(x, price, f.global_ok === true || !m.deployment.startsWith('datazone'), detected?.share ?? 1),
        evidence:
          `${where}: ${detected ? `${batchEvidence(detected, rule)} ` : ''}${tok(m.tokens.input + m.tokens.output)} input and ` +
          'output tokens; Batch input ' +
          priceSource(book, m.model, m.deployment.startsWith('datazone') && !f.global_ok ? 'datazone-batch' : 'global-batch', 'input'),
        assumptions: detected
          ? batchAssumptions(m.feature, detected, rule)
          : `${m.feature} can wait up to 24 hours for results (Batch API target turnaround; savings.features.${m.feature}.deferrable)`,
        confidence: detected ? 'medium' : 'high',
      });
    }
    for (const pair of (cfg.right_sizing ?? []).filter((p) => p.from === m.model).slice(0, 1)) {
      steps.push({
        kind: 'right-sizing',
        apply: (x) => rightSizingLever(x, pair.to, price),
        evidence: `${where}: its measured token mix repriced on ${pair.to} (input ${priceSource(book, pair.to, m.deployment, 'input')})`,
        assumptions: `${pair.to} does the job as well: needs a quality check before it is money (savings.right_sizing)`,
        confidence: 'low',
      });
    }
    if (t && t.requests > 0 && t.output / t.requests > fleetMedian) {
      steps.push({
        kind: 'concision',
        apply: (x) => concisionLever(x, cut),
        evidence: `${where}: ${tok(t.output / t.requests)} output tokens per request, fleet median ${tok(fleetMedian)}`,
        assumptions: `prompts asking for shorter answers cut output tokens by ${pct(cut)} without losing what users need ` +
          '(savings.concision)',
        confidence: 'low',
      });
    }
    let state: Mix = m;
    for (const s of steps) {
      const alone = s.apply(m);
      const after = s.apply(state);
      if (!alone && !after) continue;
      const combined = after ? saving(state, after) : '0';
      if (after) state = after;
      rows.push({
        opportunity: s.kind,
        feature: m.feature,
        model: m.model,
        deployment: m.deployment,
        currency: m.currency,
        monthly_alone: alone ? saving(m, alone) : '0',
        monthly_combined: combined,
        confidence: s.confidence,
        evidence: s.evidence,
        assumptions: s.assumptions,
        explain: explain(m.feature),
      });
    }
  }

  // 4. provisioned capacity used below the threshold
  const low = cfg.ptu_low_utilization ?? 0.8;
  const days = period.from && period.to ? (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 : 30;
  const ptus = new Map<string, Row[]>();
  for (const r of raw.filter((x) => x.part === 'ptu'))
    ptus.set(`${String(r.resource)}|${String(r.currency)}`, [...(ptus.get(`${String(r.resource)}|${String(r.currency)}`) ?? []), r]);
  for (const group of ptus.values()) {
    const r0 = group[0]!;
    const hours = Number(r0.hours);
    const units = hours / (days * 24);
    let served = 0;
    let capacity = 0;
    const models: string[] = [];
    for (const r of group.filter((x) => x.model !== null)) {
      const facts = ptuModelOf(book.catalog, String(r.model));
      if (!facts) continue;
      models.push(String(r.model));
      served += normalizedTokens({ input: Number(r.prompt), cached: 0, output: Number(r.output) }, facts.outputRatio);
      capacity = Math.max(capacity, hours * 60 * facts.inputTpmPerPtu);
    }
    const utilization = capacity > 0 ? Math.min(1, served / capacity) : 0;
    if (utilization >= low) continue;
    const unusedShare = divideDecimals(String(Math.round((1 - utilization) * 1e6)), '1000000', 12) ?? '1';
    const dollars = multiplyDecimals(String(r0.cost), unusedShare);
    rows.push({
      opportunity: 'provisioned capacity',
      feature: null,
      model: models.join(', ') || null,
      deployment: `${String(r0.resource)} ` + `(${String(r0.deployment)})`,
      currency: String(r0.currency),
      monthly_alone: dollars,
      monthly_combined: dollars,
      confidence: capacity > 0 ? 'medium' : 'low',
      evidence:
        `${String(r0.resource)}: ${tok(hours)} PTU-hours billed (${Math.round(units * 10) / 10} PTU), ` +
        `${o.costBasis} cost ${groupThousands(cents(String(r0.cost)))}; ` +
        (capacity > 0 ? `${tok(served)} normalized tokens served of ${tok(capacity)} capacity` : 'no telemetry reaches this deployment'),
      assumptions:
        capacity > 0
          ? `utilization ${pct(utilization)} is below ${pct(low)} (savings.ptu_low_utilization): the unused share of the PTU cost, ` +
            'as fewer PTUs or pay-as-you-go'
          : 'unmeasured: if its traffic is logged under another resource, map it (telemetry.resources); otherwise the PTUs sit idle',
      explain: `tokenledger report ptu-plan --deployment ${String(r0.resource)} --month ${monthLabel}`,
    });
  }

  const byCurrency = new Map<string, string[]>();
  for (const r of rows) byCurrency.set(String(r.currency), [...(byCurrency.get(String(r.currency)) ?? []), String(r.monthly_combined)]);
  rows.sort(
    // a total order: equal savings (identical PTU deployments) come from the database in any order
    (a, b) => Number(b.monthly_combined) - Number(a.monthly_combined) || String(a.opportunity).localeCompare(String(b.opportunity))
      || String(a.feature ?? '').localeCompare(String(b.feature ?? '')) || String(a.model ?? '').localeCompare(String(b.model ?? ''))
      || String(a.deployment ?? '').localeCompare(String(b.deployment ?? '')),
  );
  return {
    name: 'savings',
    title: `Savings opportunities in ${monthLabel} (${o.costBasis} cost; prices as of ${book.asOf})`,
    meta: { ...baseMeta(req), month: monthLabel, as_of: book.asOf },
    columns: [
      { key: 'opportunity', label: 'Opportunity', kind: 'text' },
      { key: 'feature', label: 'Feature', kind: 'text' },
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'deployment', label: 'Deployment', kind: 'text', secondary: true },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'monthly_combined', label: 'Per month', kind: 'money' },
      { key: 'monthly_alone', label: 'Alone', kind: 'money', secondary: true },
      { key: 'confidence', label: 'Confidence', kind: 'text' },
      { key: 'evidence', label: 'Evidence', kind: 'text', secondary: true },
      { key: 'assumptions', label: 'Assumptions', kind: 'text', secondary: true },
      { key: 'explain', label: 'Explain', kind: 'text', secondary: true },
    ],
    rows,
    notes: [
      ...[...byCurrency].map(
        ([c, xs]) => `All of them together: ${groupThousands(cents(sumDecimals(xs)))} ${c} a month (the Per month column adds up).`,
      ),
      'No dollar is counted twice: on the same feature and model the levers apply in the order caching, deployment type, batch, ' +
        'right-sizing, concision, each on what the ones before it left (batch after caching: cached tokens keep their price). ' +
        '"Alone" is a lever on today\'s traffic; those do not add up.',
      `Concision applies to features above the fleet median of ${tok(fleetMedian)} output tokens per request. ` +
        'Right-sizing needs a quality check.',
      ...(rows.length
        ? []
        : [
            'No opportunity found; tokenledger.yaml `savings:` says which features are deferrable, may run Global, ' +
              'and which model pairs to try.',
          ]),
    ],
  };
}
