/**
 * The price catalog as the reports use it: the shipped files of rules/prices/ loaded and validated, the
 * derived deployment types expanded into entries of their own (each naming its base entry), and the one
 * lookup every figure goes through: the entry in force on a date for a model, deployment type and token type.
 *
 * 1. Read every rules/prices/*.yaml (sorted), validate it (schema.ts); an error names the file and path.
 * 2. Expand: one entry per listed price and token type, then one per derived rule and base entry.
 * 3. Look up: among the entries of (model, deployment, token type) the latest effective on or before the date.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yaml } from '../store/packages.js';
import { multiplyDecimals } from '../domain/decimal.js';
import { TokenledgerError } from '../domain/errors.js';
import { CatalogFileSchema, type CatalogFile, type DeploymentType, type PricedTokenType } from './schema.js';

/** The folder of the shipped catalog (works from src/ under vitest and from dist/ after build). */
export const CATALOG_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules', 'prices');

/** One price: USD (or the file's currency) per 1M tokens, in force from `effectiveFrom`. */
export interface PriceEntry {
  id: string;
  provider: string;
  model: string;
  deployment: DeploymentType;
  tokenType: PricedTokenType;
  perMillion: string;
  currency: string;
  effectiveFrom: string;
  /** Where it came from, in words: the source's note and address, or the derivation. */
  source: string;
}

export interface PtuModel {
  model: string;
  inputTpmPerPtu: number;
  outputRatio: number;
  /** [minimum, increment] for Global and Data Zone deployments, and for Regional ones. */
  global: [number, number];
  regional: [number, number];
  source: string;
}

export interface PtuPrice {
  id: string;
  deployment: DeploymentType;
  effectiveFrom: string;
  currency: string;
  hourly: string;
  monthReservation: string;
  yearReservation: string;
  source: string;
}

/** `sources`: each source key with its note and address, so a report can cite the ones it used once. */
export interface Catalog {
  entries: PriceEntry[];
  ptuModels: PtuModel[];
  ptuPrices: PtuPrice[];
  sources: Record<string, string>;
}

export function readCatalogFile(path: string): CatalogFile {
  let doc: unknown;
  try {
    doc = yaml().parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TokenledgerError(`${path}: cannot read the price catalog: ${(e as Error).message}`);
  }
  const parsed = CatalogFileSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new TokenledgerError(`${path}: invalid price catalog:\n${issues}`, {
      hint: 'See rules/prices/azure-openai.yaml for the format.',
    });
  }
  return parsed.data;
}

/** Step 2: the entries of one file, derived deployment types included. */
export function expandCatalog(f: CatalogFile): Catalog {
  const cite = (s: string) => `${s}: ${f.sources[s]!.url}`;
  const entries: PriceEntry[] = [];
  for (const p of f.prices) {
    const prices: [PricedTokenType, string | undefined][] = [
      ['input', p.input],
      ['cached_input', p.cached_input],
      ['output', p.output],
    ];
    for (const [tokenType, perMillion] of prices) {
      if (perMillion === undefined) continue;
      entries.push({
        id: p.id,
        provider: f.provider,
        model: p.model,
        deployment: p.deployment,
        tokenType,
        perMillion,
        currency: f.currency,
        effectiveFrom: p.effective_from,
        source: cite(p.source) + (p.note ? `; ${p.note}` : ''),
      });
    }
  }
  const base = entries.filter((e) => e.deployment === 'global-standard');
  for (const d of f.derived) {
    for (const e of base.filter((b) => d.token_types.includes(b.tokenType))) {
      entries.push({
        ...e,
        id: `${e.id}/${d.deployment}`,
        deployment: d.deployment,
        perMillion: multiplyDecimals(e.perMillion, d.factor),
        source: `${d.factor} x ${e.id} (${cite(d.source)})`,
      });
    }
  }
  return {
    entries,
    sources: Object.fromEntries(Object.entries(f.sources).map(([k, v]) => [k, `${v.note} (${v.url})`])),
    ptuModels: f.ptu_models.map((m) => ({
      model: m.model,
      inputTpmPerPtu: m.input_tpm_per_ptu,
      outputRatio: m.output_ratio,
      global: m.global,
      regional: m.regional,
      source: cite(m.source),
    })),
    ptuPrices: f.ptu_prices.map((p) => ({
      id: p.id,
      deployment: p.deployment,
      effectiveFrom: p.effective_from,
      currency: f.currency,
      hourly: p.hourly,
      monthReservation: p.month_reservation,
      yearReservation: p.year_reservation,
      source: cite(p.source),
    })),
  };
}

let shipped: Catalog | undefined;

/** Step 1: the shipped catalog (read once per process). */
export function loadCatalog(dir = CATALOG_DIR): Catalog {
  if (dir === CATALOG_DIR && shipped) return shipped;
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort();
  const parts = files.map((n) => expandCatalog(readCatalogFile(join(dir, n))));
  const c = {
    entries: parts.flatMap((p) => p.entries),
    sources: Object.assign({}, ...parts.map((p) => p.sources)) as Record<string, string>,
    ptuModels: parts.flatMap((p) => p.ptuModels),
    ptuPrices: parts.flatMap((p) => p.ptuPrices),
  };
  if (dir === CATALOG_DIR) shipped = c;
  return c;
}

/** Step 3: the entry in force on `date` (YYYY-MM-DD), or undefined. */
export function entryAt<E extends { effectiveFrom: string }>(entries: E[], date: string, match: (e: E) => boolean): E | undefined {
  let best: E | undefined;
  for (const e of entries) {
    if (!match(e) || e.effectiveFrom > date) continue;
    if (!best || e.effectiveFrom > best.effectiveFrom) best = e;
  }
  return best;
}

export function priceAt(entries: PriceEntry[], model: string, deployment: string, tokenType: string, date: string): PriceEntry | undefined {
  return entryAt(entries, date, (e) => e.model === model && e.deployment === deployment && e.tokenType === tokenType);
}

/** The PTU facts of a model (its base name: gpt-4o-2024-11-20 sizes as gpt-4o). */
export function ptuModelOf(c: Catalog, model: string): PtuModel | undefined {
  return (
    c.ptuModels.find((m) => m.model === model) ??
    c.ptuModels.find((m) => model.startsWith(`${m.model}-`) && /^\d/.test(model.slice(m.model.length + 1)))
  );
}

/** [minimum, increment] of a PTU deployment type for a model. */
export function ptuSteps(m: PtuModel, deployment: string): [number, number] {
  return deployment.startsWith('regional') ? m.regional : m.global;
}
