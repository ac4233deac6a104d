/**
 * Generates the demo's billing rows: one month at a time, one row per resource, meter and day, in
 * Microsoft's FOCUS 1.2-preview column set, with the charges real invoices have besides usage: a monthly
 * PTU reservation purchase amortized over its days, a credit, and a correction of an earlier month.
 * Money is computed exactly (decimal strings), never with floats.
 */
import { createHash } from 'node:crypto';
import { divideByPowerOfTen, multiplyDecimals } from '../domain/decimal.js';
import { AZURE_FOCUS_1_2_PREVIEW_COLUMNS as COLUMNS, type AzureFocusColumn } from './azure-columns.js';
import { BILLING_ACCOUNT, PTU_RESERVATION, RESOURCES, SUBSCRIPTIONS, type Meter, type Resource } from './catalog.js';
import { Rng } from './rng.js';
import { withIncidents } from './incidents.js';

export type DemoRow = Partial<Record<AzureFocusColumn, string>>;

const INDEX = new Map(COLUMNS.map((c, i) => [c, i]));

export function toArray(r: DemoRow): string[] {
  const out = new Array<string>(COLUMNS.length).fill('');
  for (const [k, v] of Object.entries(r)) out[INDEX.get(k as AzureFocusColumn)!] = v ?? '';
  return out;
}

export function monthStart(month: string): Date {
  return new Date(`${month}-01T00:00:00Z`);
}
import { addMonths } from '../domain/month.js';

export { addMonths };
export function daysIn(month: string): number {
  return (monthStart(addMonths(month, 1)).getTime() - monthStart(month).getTime()) / 86_400_000;
}
const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const day = (month: string, d: number) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, d));

function stableGuid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function invoiceId(month: string): string {
  return `G0${month.replace('-', '')}${String(Number(month.slice(5)) * 7 + 11).padStart(3, '0')}`;
}

/** The ARM ID of a demo resource (clone 0). */
export function resourceIdOf(r: Resource): string {
  return resourceId(r, 0).id;
}

function resourceId(r: Resource, clone: number): { id: string; name: string } {
  const name = clone === 0 ? r.name : `${r.name}-${clone + 1}`;
  const sub = SUBSCRIPTIONS[r.subscription];
  return { id: `/subscriptions/${sub.id}/resourceGroups/${r.resourceGroup}/providers/${r.provider}/${name}`, name };
}

function billingColumns(month: string): DemoRow {
  return {
    BillingAccountId: BILLING_ACCOUNT.profileId, BillingAccountName: BILLING_ACCOUNT.profileName, BillingAccountType: 'Billing Profile',
    BillingCurrency: 'USD', PricingCurrency: 'USD', BillingPeriodStart: iso(monthStart(month)),
    BillingPeriodEnd: iso(monthStart(addMonths(month, 1))),
    InvoiceId: invoiceId(month), InvoiceIssuerName: 'Microsoft', ProviderName: 'Microsoft', PublisherName: 'Microsoft',
    x_BillingAccountId: BILLING_ACCOUNT.id, x_BillingAccountName: BILLING_ACCOUNT.name, x_BillingProfileId: BILLING_ACCOUNT.profileId,
    x_BillingProfileName: BILLING_ACCOUNT.profileName, x_InvoiceSectionName: BILLING_ACCOUNT.invoiceSection,
    x_InvoiceSectionId: '/providers/Microsoft.Billing/billingAccounts/7c9e1c3a/billingProfiles/FBRK-4D2P-BG7-PGB/invoiceSections/PE01',
    x_BillingExchangeRate: '1', x_PublisherCategory: 'Cloud Provider',
  };
}

function resourceColumns(r: Resource, clone: number): DemoRow {
  const sub = SUBSCRIPTIONS[r.subscription];
  const { id, name } = resourceId(r, clone);
  const tags = Object.keys(r.tags).length ? JSON.stringify(r.tags) : '{}';
  return {
    ResourceId: id, ResourceName: name, ResourceType: r.serviceName, x_ResourceType: r.armType, x_ResourceGroupName: r.resourceGroup,
    SubAccountId: `/subscriptions/${sub.id}`, SubAccountName: sub.name, SubAccountType: 'Subscription',
    RegionId: r.region, RegionName: r.regionName, x_SkuRegion: r.regionName,
    ServiceName: r.serviceName, ServiceCategory: r.serviceCategory, ServiceSubcategory: r.serviceSubcategory, Tags: tags,
  };
}

function meterColumns(m: Meter): DemoRow {
  return {
    x_SkuMeterCategory: m.category, x_SkuMeterSubcategory: m.subcategory, x_SkuMeterName: m.name, SkuMeter: m.name,
    x_SkuMeterId: stableGuid(m.name), SkuId: stableGuid(`sku:${m.name}`).toUpperCase().slice(0, 14),
    SkuPriceId: stableGuid(`price:${m.name}`),
    x_PricingBlockSize: String(m.block), x_PricingUnitDescription: m.unitDescription, ConsumedUnit: m.consumedUnit,
    PricingUnit: m.pricingUnit,
    ListUnitPrice: m.listPrice, x_SkuDescription: m.name, ChargeFrequency: 'Usage-Based', x_ServiceModel: m.block > 1 ? 'PaaS' : 'IaaS',
  };
}

function moneyColumns(list: string, contracted: string, billed: string, effective: string): DemoRow {
  return {
    ListCost: list, ContractedCost: contracted, BilledCost: billed, EffectiveCost: effective,
    x_ListCostInUsd: list, x_ContractedCostInUsd: contracted, x_BilledCostInUsd: billed, x_EffectiveCostInUsd: effective,
  };
}

/** Usage quantity of one meter on one day: range, weekend dip, growth per month of the demo. */
function dailyQuantity(m: Meter, date: Date, monthIndex: number, rng: Rng): bigint {
  const base = rng.int(m.daily[0], m.daily[1]);
  if (m.daily[0] === m.daily[1]) return BigInt(base);
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6 ? 0.6 : 1;
  return BigInt(Math.round(base * weekend * (1 + 0.08 * monthIndex)));
}

/**
 * The usage row of one meter, resource and day.
 * 1. Consumed quantity in distinct units (tokens, hours, GB); pricing quantity in blocks, exactly.
 * 2. List cost = list price x pricing quantity; contracted applies the EA discount if any.
 * 3. Reserved meters: billed 0, effective = reserved rate x quantity (amortized purchase).
 * 4. Legacy 1K meters write ConsumedQuantity in blocks (the convention the tool must detect).
 */
export function usageRow(month: string, monthIndex: number, d: number, r: Resource, clone: number, m: Meter, rng: Rng): DemoRow {
  const date = day(month, d);
  const raw = dailyQuantity(m, date, monthIndex, rng);
  const consumed = divideByPowerOfTen(raw, m.quantityScale ?? 0);
  const blockDigits = Math.log10(m.block);
  const pricing = m.block === 1 ? consumed : divideByPowerOfTen(raw, blockDigits);
  const list = multiplyDecimals(m.listPrice, pricing);
  const unitPrice = m.discount ? multiplyDecimals(m.listPrice, m.discount) : m.listPrice;
  const contracted = m.reserved ? multiplyDecimals(m.reserved.rate, pricing) : multiplyDecimals(unitPrice, pricing);
  const billed = m.reserved ? '0' : contracted;
  const row: DemoRow = {
    ...billingColumns(month), ...resourceColumns(r, clone), ...meterColumns(m),
    ...moneyColumns(list, contracted, billed, contracted),
    ChargeCategory: 'Usage', ChargeDescription: `${m.name} - ${r.serviceName}`,
    ChargePeriodStart: iso(date), ChargePeriodEnd: iso(day(month, d + 1)), x_ServicePeriodStart: iso(date),
    x_ServicePeriodEnd: iso(day(month, d + 1)),
    ConsumedQuantity: m.consumedInBlocks ? pricing : consumed, PricingQuantity: pricing,
    ContractedUnitPrice: m.reserved ? m.reserved.rate : unitPrice, x_BilledUnitPrice: m.reserved ? '0' : unitPrice,
    x_EffectiveUnitPrice: m.reserved ? m.reserved.rate : unitPrice, PricingCategory: m.reserved ? 'Committed' : 'Standard',
    x_SkuIsCreditEligible: 'true',
  };
  if (m.reserved) {
    Object.assign(row, {
      CommitmentDiscountId: PTU_RESERVATION.id, CommitmentDiscountName: PTU_RESERVATION.name, CommitmentDiscountType: 'Reservation',
      CommitmentDiscountCategory: 'Usage', CommitmentDiscountStatus: 'Used', CommitmentDiscountQuantity: pricing,
      CommitmentDiscountUnit: 'Hours',
      x_AmortizationClass: 'Amortized Charge',
    } satisfies DemoRow);
  }
  return row;
}

/** The monthly PTU reservation purchase: billed on the 1st, effective 0 (its cost lands on the usage rows). */
function reservationPurchase(month: string, clones: number): DemoRow {
  const ptu = RESOURCES.find((r) => r.meters.some((m) => m.reserved))!;
  const meter = ptu.meters.find((m) => m.reserved)!;
  const hours = String(PTU_RESERVATION.units * 24 * daysIn(month) * clones);
  const amount = multiplyDecimals(meter.reserved!.rate, hours);
  return {
    ...billingColumns(month), ...meterColumns(meter), ...moneyColumns(amount, amount, amount, '0'),
    ResourceId: PTU_RESERVATION.id, ResourceName: PTU_RESERVATION.name, ResourceType: 'Reservation',
    SubAccountId: `/subscriptions/${SUBSCRIPTIONS.aiProd.id}`, SubAccountName: SUBSCRIPTIONS.aiProd.name, SubAccountType: 'Subscription',
    ServiceName: ptu.serviceName, ServiceCategory: ptu.serviceCategory, ServiceSubcategory: ptu.serviceSubcategory, RegionId: ptu.region,
    RegionName: ptu.regionName,
    ChargeCategory: 'Purchase', ChargeFrequency: 'Recurring', ChargeDescription: `${PTU_RESERVATION.name} - monthly payment`,
    ChargePeriodStart: iso(monthStart(month)), ChargePeriodEnd: iso(monthStart(addMonths(month, 1))),
    CommitmentDiscountId: PTU_RESERVATION.id, CommitmentDiscountName: PTU_RESERVATION.name, CommitmentDiscountType: 'Reservation',
    CommitmentDiscountCategory: 'Usage',
    PricingQuantity: hours, PricingUnit: 'Hours', ListUnitPrice: meter.reserved!.rate, ContractedUnitPrice: meter.reserved!.rate,
    x_BilledUnitPrice: meter.reserved!.rate, x_EffectiveUnitPrice: '0', PricingCategory: 'Committed', x_AmortizationClass: 'Principal',
    x_SkuTerm: '1',
    Tags: '{}',
  };
}

function credit(month: string): DemoRow {
  return {
    ...billingColumns(month), ...moneyColumns('0', '0', '-250', '-250'),
    ChargeCategory: 'Credit', ChargeFrequency: 'One-Time', ChargeDescription: 'Azure Credit - Microsoft for Startups',
    ChargePeriodStart: iso(day(month, 10)), ChargePeriodEnd: iso(day(month, 11)), ServiceName: 'Azure Credits', ServiceCategory: 'Other',
    Tags: '{}',
  };
}

/** A refund on this month's invoice for gpt-4o output over-billed on the 15th of the month before. */
function correction(month: string): DemoRow {
  const prev = addMonths(month, -1);
  const r = RESOURCES[0]!;
  const m = r.meters[1]!;
  const tokens = -1_875_000n;
  const pricing = divideByPowerOfTen(tokens, 6);
  const cost = multiplyDecimals(m.listPrice, pricing);
  return {
    ...billingColumns(month), ...resourceColumns(r, 0), ...meterColumns(m), ...moneyColumns(cost, cost, cost, cost),
    ChargeCategory: 'Usage', ChargeClass: 'Correction', ChargeDescription: `Correction: ${m.name} billed twice on ${prev}-15`,
    ChargePeriodStart: iso(day(prev, 15)), ChargePeriodEnd: iso(day(prev, 16)), ConsumedQuantity: tokens.toString(),
    PricingQuantity: pricing,
    ContractedUnitPrice: m.listPrice, x_BilledUnitPrice: m.listPrice, x_EffectiveUnitPrice: m.listPrice, PricingCategory: 'Standard',
  };
}

export interface DemoPlan {
  months: string[]; clones: number; seed: number;
  /** The incidents of incidents.ts in the last month (default true). */
  incidents?: boolean;
}

/** Rows of one month, in a deterministic order. */
export function* monthRows(plan: DemoPlan, monthIndex: number): Generator<DemoRow> {
  const month = plan.months[monthIndex]!;
  const rng = new Rng(plan.seed * 1009 + monthIndex);
  // resources added to the demo later draw from their own stream, so the others' numbers stay as they were
  const laterRng = new Rng(plan.seed * 2003 + monthIndex);
  const gpuFleetRng = new Rng(plan.seed * 4001 + monthIndex);
  yield reservationPurchase(month, plan.clones);
  if (monthIndex === 1 || plan.months.length === 1) yield credit(month);
  if (monthIndex > 0) yield correction(month);
  for (let d = 1; d <= daysIn(month); d++) {
    for (let clone = 0; clone < plan.clones; clone++) {
      for (const r of RESOURCES) {
        for (const m of r.meters) {
          // the incidents of the last month (incidents.ts) change rows after their quantities are drawn
          yield withIncidents(usageRow(month, monthIndex, d, r, clone, m,
            r.gpuFleetStream ? gpuFleetRng : r.ownRandomStream ? laterRng : rng),
            plan.incidents !== false && monthIndex === plan.months.length - 1, d, r, m);
        }
      }
    }
  }
}

/** About how many rows one clone of the company makes per month (to turn --rows into clones). */
export const ROWS_PER_CLONE_PER_MONTH = RESOURCES.reduce((a, r) => a + r.meters.length, 0) * 30.4;
