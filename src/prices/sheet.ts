/**
 * A company's own price sheet (tokenledger.yaml `prices.sheet`), which overrides the shipped catalog:
 * what it negotiated or what its region lists. Three shapes, told apart by the file:
 *
 * 1. CSV (.csv): header model,deployment,token_type,price_per_1m[,currency][,effective_from]; one price a line.
 * 2. YAML (.yaml/.yml): `prices:` a list of the same keys.
 * 3. JSON (.json): an Azure Retail Prices API answer, `{ "Items": [...] }`: each consumption item's meter is
 *    classified with the AI meter rules (model, token type, tier, scope) and its price brought to per 1M
 *    tokens from its unit of measure ("1K", "1M"); items that are not token prices are skipped and counted.
 *
 * A bad line is an InputError naming the file, the physical line (CSV) or the path (YAML, JSON) and column.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { yaml } from '../store/packages.js';
import type { MeterFacts } from '../domain/ai-charge.js';
import { isDecimalString, multiplyDecimals } from '../domain/decimal.js';
import { InputError } from '../domain/errors.js';
import { isDate } from '../domain/period.js';
import { classifyMeter } from '../normalize/classify.js';
import type { CompiledRules } from '../normalize/rules-schema.js';
import type { PriceEntry } from './catalog.js';
import { DEPLOYMENT_TYPES, PRICED_TOKEN_TYPES, type DeploymentType, type PricedTokenType } from './schema.js';

export interface PriceSheet {
  entries: PriceEntry[];
  skipped: number;
}

const COLUMNS = ['model', 'deployment', 'token_type', 'price_per_1m'] as const;

/** One CSV line's fields (RFC 4180 quotes, no line breaks inside a field). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

/** The checks every shape shares: one entry from the fields of a record at `where`. */
function entryOf(
  file: string,
  where: { line?: number; row?: number },
  v: Record<string, unknown>,
  at: (c: string) => InputError,
): PriceEntry {
  const text = (k: string) => (v[k] === undefined || v[k] === null ? '' : String(v[k]).trim());
  const model = text('model').toLowerCase();
  if (!model) throw at('model');
  const deployment = text('deployment').toLowerCase() as DeploymentType;
  if (!DEPLOYMENT_TYPES.includes(deployment)) throw at('deployment');
  const tokenType = text('token_type').toLowerCase() as PricedTokenType;
  if (!PRICED_TOKEN_TYPES.includes(tokenType)) throw at('token_type');
  const price = text('price_per_1m');
  if (!isDecimalString(price) || price.startsWith('-')) throw at('price_per_1m');
  const currency = text('currency').toUpperCase() || 'USD';
  if (!/^[A-Z]{3}$/.test(currency)) throw at('currency');
  const effectiveFrom =
    v.effective_from instanceof Date ? v.effective_from.toISOString().slice(0, 10) : text('effective_from') || '2000-01-01';
  if (!isDate(effectiveFrom)) throw at('effective_from');
  const place = where.line !== undefined ? `line ${where.line}` : `entry ${where.row}`;
  return {
    id: `sheet:${basename(file)}:${place.replace(' ', '')}`,
    provider: 'price-sheet',
    model,
    deployment,
    tokenType,
    perMillion: price,
    currency,
    effectiveFrom,
    source: `your price sheet ${basename(file)}, ${place}`,
  };
}

const EXPECT: Record<string, string> = {
  model: 'a model id such as gpt-4o',
  deployment: `one of ${DEPLOYMENT_TYPES.join(', ')}`,
  token_type: `one of ${PRICED_TOKEN_TYPES.join(', ')}`,
  price_per_1m: 'a non-negative decimal price per 1M tokens such as 2.50',
  currency: 'a currency code such as USD',
  effective_from: 'a date YYYY-MM-DD',
};

function readCsvSheet(path: string, text: string): PriceSheet {
  const lines = text.split(/\r?\n/);
  const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase());
  for (const c of COLUMNS) {
    if (!header.includes(c)) throw new InputError({ file: path, line: 1, column: c }, `missing column ${c}; expected ${COLUMNS.join(',')}`);
  }
  const entries: PriceEntry[] = [];
  for (const [i, line] of lines.entries()) {
    if (i === 0 || !line.trim()) continue;
    const f = csvFields(line);
    const rec = Object.fromEntries(header.map((h, j) => [h, f[j] ?? '']));
    entries.push(
      entryOf(
        path,
        { line: i + 1 },
        rec,
        (c) => new InputError({ file: path, line: i + 1, column: c }, `expected ${EXPECT[c]}, found ${JSON.stringify(rec[c] ?? '')}`),
      ),
    );
  }
  return { entries, skipped: 0 };
}

function readYamlSheet(path: string, doc: unknown): PriceSheet {
  const list = (doc as { prices?: unknown } | null)?.prices;
  if (!Array.isArray(list)) throw new InputError({ file: path, column: 'prices' }, 'expected `prices:` with a list of prices');
  return {
    entries: list.map((rec: Record<string, unknown>, i) =>
      entryOf(
        path,
        { row: i + 1 },
        rec ?? {},
        (c) =>
          new InputError(
            { file: path, row: i + 1, column: c },
            `prices[${i}].${c}: expected ${EXPECT[c]}, found ${JSON.stringify(rec?.[c] ?? null)}`,
          ),
      ),
    ),
    skipped: 0,
  };
}

/** Items of an Azure Retail Prices API answer (https://prices.azure.com/api/retail/prices). */
interface RetailItem {
  currencyCode?: string;
  retailPrice?: number | string;
  unitOfMeasure?: string;
  meterName?: string;
  productName?: string;
  skuName?: string;
  serviceName?: string;
  effectiveStartDate?: string;
  type?: string;
}

function readRetailSheet(path: string, items: RetailItem[], rules: CompiledRules): PriceSheet {
  const entries: PriceEntry[] = [];
  let skipped = 0;
  for (const [i, it] of items.entries()) {
    const where = { file: path, row: i + 1 };
    if (it.type && it.type !== 'Consumption') {
      skipped++;
      continue;
    }
    const block = /^\s*1\s*([KM])\b/i.exec(it.unitOfMeasure ?? '');
    const facts: MeterFacts = {
      provider: 'Microsoft',
      serviceName: it.serviceName ?? null,
      serviceCategory: null,
      serviceSubcategory: null,
      meterCategory: it.serviceName ?? null,
      meterSubcategory: it.productName ?? null,
      meterName: it.meterName ?? null,
      skuMeter: it.skuName ?? null,
      skuPriceDetails: null,
      usageType: null,
      pricingUnit: null,
      pricingUnitDescription: block ? `1${block[1]!.toUpperCase()}` : null,
      pricingBlockSize: null,
      consumedUnit: null,
    };
    const c = classifyMeter(facts, rules);
    const tokenType = c.tokenType === 'cache_write' ? null : c.tokenType;
    if (!c.isAi || !c.model || !tokenType || !block || !c.tier || c.tier === 'priority' || c.tier === 'provisioned') {
      skipped++;
      continue;
    }
    const raw = typeof it.retailPrice === 'number' ? String(it.retailPrice) : String(it.retailPrice ?? '');
    if (!isDecimalString(raw))
      throw new InputError({ ...where, column: 'retailPrice' }, `Items[${i}].retailPrice: expected a number, found ${raw}`);
    const perMillion = multiplyDecimals(raw, block[1]!.toUpperCase() === 'K' ? '1000' : '1');
    const date = (it.effectiveStartDate ?? '2000-01-01').slice(0, 10);
    if (!isDate(date)) throw new InputError({ ...where, column: 'effectiveStartDate' }, `Items[${i}].effectiveStartDate: expected a date`);
    entries.push({
      id: `sheet:${basename(path)}:Items[${i}]`,
      provider: 'azure-retail-prices',
      model: c.model,
      deployment: `${c.scope ?? 'global'}-${c.tier}` as DeploymentType,
      tokenType,
      perMillion,
      currency: (it.currencyCode ?? 'USD').toUpperCase(),
      effectiveFrom: date,
      source: `your Azure Retail Prices export ${basename(path)}, Items[${i}] (${it.meterName ?? ''})`,
    });
  }
  return { entries, skipped };
}

/** Read a price sheet in any of the three shapes. */
export function readPriceSheet(path: string, rules: CompiledRules): PriceSheet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError({ file: path }, `cannot read the price sheet: ${(e as Error).message}`);
  }
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return readCsvSheet(path, text);
  if (lower.endsWith('.json')) {
    let doc: { Items?: unknown };
    try {
      doc = JSON.parse(text) as { Items?: unknown };
    } catch (e) {
      throw new InputError({ file: path }, `not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(doc.Items))
      throw new InputError({ file: path, column: 'Items' }, 'expected an Azure Retail Prices answer with Items[]');
    return readRetailSheet(path, doc.Items as RetailItem[], rules);
  }
  let doc: unknown;
  try {
    doc = yaml().parse(text);
  } catch (e) {
    throw new InputError({ file: path }, `not valid YAML: ${(e as Error).message}`);
  }
  return readYamlSheet(path, doc);
}
