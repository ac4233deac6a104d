/**
 * `report gpu`: what GPUs cost and how much of it bought nothing. GPU-hours paid come from the billing rows
 * of GPU VM sizes (rules/vm-sizes.yaml), utilization from DCGM / nvidia-smi samples, and idle cost is split
 * three ways: unallocated (VM billed, nothing scheduled), held but idle (a job holds the GPU below the engine
 * activity threshold: OpenCost would call it used) and reserved but unused (empty capacity reservation
 * slots of GPU sizes, report capacity-reservations). Each VM-day's cost is split exactly over its GPU-hour
 * classes, so busy + held idle + unallocated + unmeasured = the VM's cost to the cent. Where telemetry names a
 * GPU VM as the resource that served it, the VM's pool gets an `inference` row: its cost per 1M tokens served.
 */
import { exactSplitSql } from '../allocate/exact-split.js';
import { costColumn } from '../domain/cost-basis.js';
import { multiplyDecimals, sumDecimals } from '../domain/decimal.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Row } from '../store/db.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, value } from '../store/sql.js';
import { divideExact } from './capacity-math.js';
import { reservationIdle } from './capacity-reservations.js';
import { gpuJobs } from './gpu-jobs.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';
import { gpuMeterSizes, vmSizes } from '../allocate/vm-sizes.js';

const SQL = loadSql(import.meta.url, 'gpu.sql');
const INFERENCE = loadSql(import.meta.url, 'gpu-inference.sql');
const SPLIT = exactSplitSql({ pools: 'SELECT * FROM pools', weights: 'SELECT * FROM weights', by: ['host', 'day'], targets: ['class'],
  amounts: ['cost'] });

const text = (v: unknown) => (v === null || v === undefined ? '0' : String(v));

export async function gpu(ledger: Ledger, o: RequestOf<'gpu'>): Promise<Report> {
  if (o.by === 'job') return gpuJobs(ledger, o);
  const vms = await ledger.query(fill(SQL, { METER_SIZES: gpuMeterSizes(), COST: code(costColumn(o.costBasis)), SPLIT: code(SPLIT),
    INPERIOD: inPeriod(code('c.ChargePeriodStart'), o.period), SAMPLES: inPeriod(code('ts'), o.period),
      THRESHOLD: value(o.idleThreshold) }));
  // 5. Reserved but unused: idle slots of GPU sizes, priced from the export (capacity-reservations.ts)
  const gpuSkus = new Set(vmSizes().filter((s) => s.gpus > 0).map((s) => s.size.toLowerCase()));
  const reserved = (await reservationIdle(ledger, o)).filter((r) => gpuSkus.has(String(r.sku).toLowerCase()));
  const rows: Row[] = [
    ...vms.map((r) => ({ kind: 'vm', ...r, reserved_unused_cost: '0',
      idle_cost: sumDecimals([text(r.held_idle_cost), text(r.unallocated_cost)]) })),
    ...reserved.map((r): Row => ({ kind: 'reservation', resource: r.reservation ?? null, size: r.sku ?? null, gpus: null, gpu_model: null,
      currency: r.currency ?? null, gpu_hours_paid: null, measured_gpu_hours: null, utilization_pct: null, cost: null,
      busy_cost: '0', held_idle_cost: '0', unallocated_cost: '0', unmeasured_cost: '0', reserved_unused_cost: r.idle_cost ?? null,
      idle_cost: r.idle_cost ?? null })),
  ];
  // 6. One total per currency, summed exactly (the inference rows below are a view of VM rows, not added again)
  const currencies = [...new Set(rows.map((r) => r.currency).filter((c) => c !== null && c !== undefined))] as string[];
  const sums = ['cost', 'busy_cost', 'held_idle_cost', 'unallocated_cost', 'unmeasured_cost', 'reserved_unused_cost', 'idle_cost'];
  const totals = currencies.map((c) => {
    const of = rows.filter((r) => r.currency === c);
    return { kind: 'total', resource: 'total', currency: c, gpu_hours_paid: sumDecimals(of.map((r) => text(r.gpu_hours_paid))),
      ...Object.fromEntries(sums.map((k) => [k, sumDecimals(of.map((r) => text(r[k])))])) };
  });
  // 7. Self-hosted inference: per pool that served telemetry-tagged traffic, its GPU cost per 1M tokens served,
  //    divided exactly (decimal text, 6 places, half up)
  const pools = await ledger.query(fill(INFERENCE, { METER_SIZES: gpuMeterSizes(), COST: code(costColumn(o.costBasis)),
    INPERIOD: inPeriod(code('c.ChargePeriodStart'), o.period), TEL_PERIOD: inPeriod(code('day'), o.period, 'DATE') }));
  const inference = pools.map((p): Row => ({ kind: 'inference',
    resource: p.pool === p.vms ? p.pool ?? null : `${text(p.pool)}: ${text(p.vms)}`,
    currency: p.currency ?? null, cost: p.cost ?? null, models: p.models ?? null, tokens: p.tokens ?? null,
    cost_per_1m_tokens: Number(p.tokens) > 0 ? divideExact(multiplyDecimals(text(p.cost), '1000000'), BigInt(text(p.tokens)), 6) : null }));
  return {
    name: 'gpu',
    title: `GPU cost and idle GPU cost, ${o.period.label} (held but idle below ${o.idleThreshold * 100}% engine activity)`,
    meta: { ...baseMeta(o), idle_threshold: o.idleThreshold },
    columns: [
      { key: 'kind', label: 'Kind', kind: 'text', secondary: true },
      { key: 'resource', label: 'VM / reservation', kind: 'text' },
      { key: 'size', label: 'Size', kind: 'text' },
      { key: 'gpus', label: 'GPUs', kind: 'int', secondary: true },
      { key: 'gpu_model', label: 'GPU', kind: 'text', secondary: true },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'gpu_hours_paid', label: 'GPU-h paid', kind: 'quantity' },
      { key: 'measured_gpu_hours', label: 'GPU-h measured', kind: 'int', secondary: true },
      { key: 'utilization_pct', label: 'Util %', kind: 'percent' },
      { key: 'cost', label: 'Cost', kind: 'money' },
      { key: 'busy_cost', label: 'Busy', kind: 'money' },
      { key: 'held_idle_cost', label: 'Held idle', kind: 'money' },
      { key: 'unallocated_cost', label: 'Unallocated', kind: 'money' },
      { key: 'reserved_unused_cost', label: 'Reserved unused', kind: 'money' },
      { key: 'unmeasured_cost', label: 'Unmeasured', kind: 'money', secondary: true },
      { key: 'idle_cost', label: 'Idle total', kind: 'money' },
      { key: 'models', label: 'Models served', kind: 'text', secondary: true },
      { key: 'tokens', label: 'Tokens served', kind: 'int' },
      { key: 'cost_per_1m_tokens', label: 'Per 1M tokens', kind: 'money' },
    ],
    rows: [...rows, ...totals, ...inference],
    notes: ['Idle total = held idle + unallocated + reserved unused; unmeasured GPU-hours (no samples) are not counted as idle.',
      'Reserved unused: idle slot-hours x the SKU\'s hourly price in the export (report capacity-reservations); a reservation\'s own ' +
        'charges are left out of the VM rows, so they are not counted twice.',
      ...(inference.length ? ['Inference: self-hosted models, per pool (gpu-pool tag, else the VM) whose VMs telemetry names as its ' +
        'resource: the pool\'s GPU VM cost / tokens served (input + output) x 1,000,000; its VMs are the vm rows above, not added to ' +
        'the total.'] : [])],
  };
}
