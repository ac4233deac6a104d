/**
 * `report gpu --by job`: GPU VM cost per job by measured GPU-hours where the samples name the pod (DCGM's pod
 * and namespace labels), `__idle__` for GPU-hours nothing held (OpenCost's vocabulary), and the VM's feature
 * tag for billed hours without samples. Each VM-day's cost is split exactly (allocate/exact-split.ts), so
 * the jobs, `__idle__` and the tag rows add up to the GPU VM cost to the cent; `method` says which basis
 * each row stands on.
 */
import { exactSplitSql } from '../allocate/exact-split.js';
import { costColumn } from '../domain/cost-basis.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';
import { gpuMeterSizes } from '../allocate/vm-sizes.js';

const SQL = loadSql(import.meta.url, 'gpu-jobs.sql');
const SPLIT = exactSplitSql({ pools: 'SELECT * FROM pools', weights: 'SELECT * FROM weights', by: ['host', 'day'], targets: ['class'],
  amounts: ['cost'], scaled: ['gpu_hours'] });

export async function gpuJobs(ledger: Ledger, o: RequestOf<'gpu'>): Promise<Report> {
  const rows = await ledger.query(fill(SQL, { METER_SIZES: gpuMeterSizes(), COST: code(costColumn(o.costBasis)), SPLIT: code(SPLIT),
    INPERIOD: inPeriod(code('c.ChargePeriodStart'), o.period), SAMPLES: inPeriod(code('ts'), o.period) }));
  return {
    name: 'gpu',
    title: `GPU VM cost by job, ${o.period.label} (measured GPU-hours per pod; __idle__: nothing scheduled; tags: no samples)`,
    meta: { ...baseMeta(o), by: 'job' },
    columns: [
      { key: 'job', label: 'Job (namespace/pod)', kind: 'text' },
      { key: 'method', label: 'Method', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'gpu_hours', label: 'GPU-hours', kind: 'quantity' },
      { key: 'cost', label: 'Cost', kind: 'money' },
    ],
    rows,
    notes: ['A job that holds a GPU pays for it, busy or not (report gpu shows how much of it was held idle).'],
  };
}
