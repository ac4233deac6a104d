/**
 * `report capacity-reservations`: what on-demand capacity reservations held and what their empty slots cost.
 * A reservation is billed whether a VM uses it or not; unused = current capacity - VMs allocated, over the
 * time between snapshots. The dollars are idle slot-hours x the SKU's hourly price from the export's own rows
 * (so the tool invents no price), divided exactly (capacity-math.ts). No price in the export: said, not guessed.
 */
import { costColumn } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Row } from '../store/db.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, value } from '../store/sql.js';
import { divideExact } from './capacity-math.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'capacity-reservations.sql');

/** The unit price column that goes with a cost basis (falling back to contracted, then list). */
export function unitPrice(basis: RequestOf<'gpu'>['costBasis']): string {
  return costColumn(basis) === 'BilledCost' ? 'coalesce(x_BilledUnitPrice, ContractedUnitPrice, ListUnitPrice)'
    : 'coalesce(x_EffectiveUnitPrice, ContractedUnitPrice, ListUnitPrice)';
}

/** Per reservation: reserved, allocated, idle slot-hours and their cost (exact, 6 decimals). */
export async function reservationIdle(ledger: Ledger, o: Pick<RequestOf<'gpu'>, 'period' | 'costBasis'>): Promise<Row[]> {
  const rows = await ledger.query(fill(SQL, { PFROM: value(o.period.from), PTO: value(o.period.to), PRICE: code(unitPrice(o.costBasis)),
    INPERIOD: inPeriod(code('ChargePeriodStart'), o.period) }));
  return rows.map(({ slot_seconds, idle_slot_seconds, idle_price_seconds, ...r }) => ({
    ...r,
    slot_hours: divideExact(String(slot_seconds ?? 0), 3600n, 2),
    idle_slot_hours: divideExact(String(idle_slot_seconds ?? 0), 3600n, 2),
    idle_cost: idle_price_seconds === null || idle_price_seconds === undefined ? null : divideExact(String(idle_price_seconds), 3600n, 6),
  }));
}

export async function capacityReservations(ledger: Ledger, o: RequestOf<'capacity-reservations'>): Promise<Report> {
  const rows = await reservationIdle(ledger, o);
  const unpriced = rows.filter((r) => r.hourly_price === null).map((r) => `${r.reservation} (${r.sku}, ${r.region})`);
  return {
    name: 'capacity-reservations',
    title: `Capacity reservations, ${o.period.label}: idle slots and the dollars of unused reservation`,
    meta: { ...baseMeta(o) },
    columns: [
      { key: 'subscription', label: 'Subscription', kind: 'text', secondary: true },
      { key: 'region', label: 'Region', kind: 'text' },
      { key: 'group_name', label: 'Group', kind: 'text', secondary: true },
      { key: 'reservation', label: 'Reservation', kind: 'text' },
      { key: 'sku', label: 'SKU', kind: 'text' },
      { key: 'reserved', label: 'Reserved', kind: 'int' },
      { key: 'allocated_vms', label: 'VMs allocated', kind: 'int' },
      { key: 'idle_min', label: 'Idle min', kind: 'int', secondary: true },
      { key: 'idle_max', label: 'Idle max', kind: 'int', secondary: true },
      { key: 'snapshots', label: 'Snapshots', kind: 'int', secondary: true },
      { key: 'slot_hours', label: 'Slot-hours', kind: 'quantity' },
      { key: 'idle_slot_hours', label: 'Idle slot-hours', kind: 'quantity' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'hourly_price', label: 'Price / hour', kind: 'rate' },
      { key: 'idle_cost', label: 'Unused cost', kind: 'money' },
    ],
    rows,
    notes: unpriced.length ? [`No hourly price in the billing export for ${unpriced.join(', ')}: their unused cost is not shown.`] : [],
  };
}
