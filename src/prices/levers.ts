/**
 * The pay-as-you-go savings levers as pure functions over one feature's tokens of one model in a month,
 * so that the savings report never counts the same dollar twice and scenario tests can check each by hand.
 *
 * A Mix is the tokens and their cost per token type (uncached input, cached input, output) on a model and
 * deployment type; the cost starts as what the invoice allocated to the feature. A lever maps a Mix to the
 * Mix after it (or null: it does not apply). The report applies them in a fixed order, caching ->
 * deployment type -> batch -> right-sizing -> concision, and states two figures per lever:
 * 1. alone: cost(mix) - cost(lever(mix)), the lever on today's traffic;
 * 2. combined: the same on the mix the levers above it left, so the combined figures add up to the saving
 *    of doing all of them (batch after caching, concision after right-sizing, ...).
 * Prices come from a lookup (the resolved price book: invoice, then price sheet, then catalog).
 */
import { divideDecimals, multiplyDecimals, negateDecimal, sumDecimals } from '../domain/decimal.js';

export const MIX_TYPES = ['input', 'cached_input', 'output'] as const;
export type MixType = (typeof MIX_TYPES)[number];

export interface Mix {
  model: string;
  deployment: string;
  tokens: Record<MixType, number>;
  cost: Record<MixType, string>;
  /** After a partial batch lever: this share of the input and output tokens runs on `deployment` (a Batch type). */
  batch?: { share: number; deployment: string };
}

/** Price per 1M tokens of (model, deployment, token type), or undefined when nothing is known. */
export type PriceLookup = (model: string, deployment: string, tokenType: MixType) => string | undefined;

export const mixCost = (m: Mix): string => sumDecimals(MIX_TYPES.map((t) => m.cost[t]));

/** Exact cost of a (rounded) number of tokens at a price per 1M. */
export function costOf(tokens: number, perMillion: string): string {
  return multiplyDecimals(multiplyDecimals(String(Math.round(tokens)), perMillion), '0.000001');
}

/** The cost of `part` of a token type's tokens, at that type's current average price. */
function share(m: Mix, t: MixType, part: number): string {
  if (m.tokens[t] <= 0 || part <= 0) return '0';
  return divideDecimals(multiplyDecimals(m.cost[t], String(Math.round(part))), String(Math.round(m.tokens[t])), 12) ?? '0';
}

/**
 * Reprice every token type at another model / deployment; types without a price keep their cost. A mix part
 * of which runs on Batch (`m.batch`) keeps that part on the Batch type of the new model (its standard price
 * when that has none).
 */
function reprice(m: Mix, model: string, deployment: string, price: PriceLookup, types: readonly MixType[] = MIX_TYPES): Mix | null {
  const cost = { ...m.cost };
  let changed = false;
  for (const t of types) {
    if (m.tokens[t] <= 0) continue;
    const p = price(model, deployment, t);
    if (p === undefined) {
      if (t !== 'cached_input') return null;
      continue;
    }
    const batched = m.batch && t !== 'cached_input' ? Math.round(m.tokens[t] * m.batch.share) : 0;
    cost[t] = batched
      ? sumDecimals([costOf(m.tokens[t] - batched, p), costOf(batched, price(model, m.batch!.deployment, t) ?? p)])
      : costOf(m.tokens[t], p);
    changed = true;
  }
  return changed ? { model, deployment, tokens: { ...m.tokens }, cost, ...(m.batch ? { batch: m.batch } : {}) } : null;
}

/**
 * Prompt caching: `extra` more prompt tokens served from cache (the caller works out how many: eligible
 * prompt tokens x hit rate - already cached); they leave uncached input at its price and join cached input
 * at the cached price of the model and deployment.
 */
export function cachingLever(m: Mix, extraShare: number, price: PriceLookup): Mix | null {
  const extra = Math.min(m.tokens.input, Math.round(extraShare * (m.tokens.input + m.tokens.cached_input)));
  const cached = price(m.model, m.deployment, 'cached_input');
  if (extra <= 0 || cached === undefined) return null;
  const moved = share(m, 'input', extra);
  return {
    ...m,
    tokens: { ...m.tokens, input: m.tokens.input - extra, cached_input: m.tokens.cached_input + extra },
    cost: {
      ...m.cost,
      input: sumDecimals([m.cost.input, negateDecimal(moved)]),
      cached_input: sumDecimals([m.cost.cached_input, costOf(extra, cached)]),
    },
  };
}

/** Deployment type: Data Zone / Regional Standard traffic on Global Standard (where residency allows). */
export function deploymentLever(m: Mix, price: PriceLookup): Mix | null {
  if (!/^(datazone|regional)-standard$/.test(m.deployment)) return null;
  return reprice(m, m.model, 'global-standard', price);
}

/**
 * Batch: deferrable Standard traffic on Global Batch, or on Data Zone Batch when Data Zone traffic must stay
 * in its Data Zone (`global` false). `part` < 1 moves that share of the input and output tokens only (the
 * offline-looking share the time profile found): those tokens leave at their current average price and come
 * back at the Batch price; the mix stays on its deployment type with `batch` saying which share runs on Batch.
 */
export function batchLever(m: Mix, price: PriceLookup, global = true, part = 1): Mix | null {
  if (!m.deployment.endsWith('-standard') || (m.deployment.startsWith('regional') && !global)) return null; // no Regional Batch
  const target = m.deployment.startsWith('datazone') && !global ? 'datazone-batch' : 'global-batch';
  // cached input has no batch price in the catalog: it keeps its cost
  if (part >= 1) return reprice(m, m.model, target, price, ['input', 'output']);
  const cost = { ...m.cost };
  let changed = false;
  for (const t of ['input', 'output'] as const) {
    const moved = Math.round(m.tokens[t] * part);
    if (moved <= 0) continue;
    const p = price(m.model, target, t);
    if (p === undefined) return null;
    cost[t] = sumDecimals([m.cost[t], negateDecimal(share(m, t, moved)), costOf(moved, p)]);
    changed = true;
  }
  return changed ? { ...m, cost, batch: { share: part, deployment: target } } : null;
}

/** Right-sizing: the same tokens on a smaller model, same deployment type. */
export function rightSizingLever(m: Mix, to: string, price: PriceLookup): Mix | null {
  if (m.model === to) return null;
  return reprice(m, to, m.deployment, price);
}

/** Concision: `cut` (e.g. 0.15) fewer output tokens, at their current price. */
export function concisionLever(m: Mix, cut: number): Mix | null {
  const fewer = Math.round(m.tokens.output * cut);
  if (fewer <= 0) return null;
  return {
    ...m,
    tokens: { ...m.tokens, output: m.tokens.output - fewer },
    cost: { ...m.cost, output: sumDecimals([m.cost.output, negateDecimal(share(m, 'output', fewer))]) },
  };
}

/** cost(before) - cost(after). */
export const saving = (before: Mix, after: Mix): string => sumDecimals([mixCost(before), negateDecimal(mixCost(after))]);
