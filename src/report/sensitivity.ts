/**
 * `report sensitivity --unit ticket --response-length +20% --retries +5% [--model gpt-4o-mini]`: what a
 * unit would cost if responses grew, retries rose, or the traffic moved to another model, computed from
 * the measured token mix and the rates actually paid (output tokens priced as output). One month: --month,
 * else the latest month with charges.
 */
import { economicsSql } from '../allocate/economics.js';
import { ensureAllocation } from '../allocate/materialize.js';
import { UsageError } from '../domain/errors.js';
import { literal, loadSql, type Store } from '../store/db.js';
import { addMonths } from '../domain/month.js';
import { baseMeta, fillSql, type ReportOptions } from './options.js';
import { parsePeriod } from '../domain/period.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'sensitivity.sql');

const pct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 10000) / 100}%`;

export async function sensitivity(store: Store, o: ReportOptions): Promise<Report> {
  await ensureAllocation(store);
  let period = o.period;
  if (!/^\d{4}-\d{2}$/.test(period.label)) {
    const [latest] = await store.query<{ m: string | null }>("SELECT strftime(max(month), '%Y-%m') AS m FROM alloc_month");
    if (!latest?.m) throw new UsageError('no charges in the store yet; ingest a FOCUS export first');
    if (period.from || period.to) throw new UsageError('report sensitivity takes one --month');
    period = parsePeriod({ month: latest.m });
  }
  const s = o.scenario ?? { responseLength: 0, retries: 0 };
  const model = s.model ? literal(s.model.toLowerCase()) : 'CAST(NULL AS VARCHAR)';
  if (s.model) {
    const [hit] = await store.query<{ n: string }>(`SELECT count(*) AS n FROM alloc_month WHERE kind = 'token' AND model = ${model} AND month = DATE '${period.from}'`);
    if (!Number(hit?.n)) {
      const models = await store.query<{ model: string }>(`SELECT DISTINCT model FROM alloc_month WHERE kind = 'token' AND model IS NOT NULL AND month = DATE '${period.from}' ORDER BY 1`);
      throw new UsageError(`--model ${s.model}: no token charges for this model in ${period.label}, so no measured rates; models billed then: ${models.map((m) => m.model).join(', ') || 'none'}`);
    }
  }
  const unit = o.unit ? `unit = ${literal(o.unit.toLowerCase())}` : 'true';
  const rows = await store.query(economicsSql({ ...o, period }) + fillSql(SQL, {
    UNIT: unit, MODEL: model, RETRIES: String(s.retries), LENGTH: String(s.responseLength),
  }));
  const scenario = [`response length ${pct(s.responseLength)}`, `retries ${pct(s.retries)}`, ...(s.model ? [`all tokens at ${s.model} rates`] : [])].join(', ');
  return {
    name: 'sensitivity',
    title: `Sensitivity (${o.costBasis} cost, ${period.label}${o.unit ? `, unit ${o.unit}` : ''}): ${scenario}`,
    meta: { ...baseMeta({ ...o, period }), unit: o.unit ?? null, response_length: s.responseLength, retries: s.retries, model: s.model ?? null, next_month: addMonths(period.label, 1) },
    columns: [
      { key: 'unit', label: 'Unit', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'units', label: 'Units', kind: 'int' },
      { key: 'token_per_unit_before', label: 'Token/unit now', kind: 'rate' },
      { key: 'token_per_unit_after', label: 'Token/unit then', kind: 'rate' },
      { key: 'other_per_unit', label: 'Other/unit', kind: 'rate' },
      { key: 'cost_per_unit_before', label: 'Cost/unit now', kind: 'rate' },
      { key: 'cost_per_unit_after', label: 'Cost/unit then', kind: 'rate' },
      { key: 'change_pct', label: 'Change', kind: 'percent' },
      { key: 'cost_per_success_before', label: 'Cost/success now', kind: 'rate' },
      { key: 'cost_per_success_after', label: 'Cost/success then', kind: 'rate' },
    ],
    rows,
    notes: [
      'From the measured token mix per unit (by model and token type) and the rates paid; output tokens scale with response length, every call with retries.',
      'Costs not metered in tokens (PTU, GPU, platform, overhead) stay per unit as measured; shares split by token volume would move between units, their total would not.',
      ...(rows.some((r) => Number(r.unpriced) > 0) ? [`Some token types have no rate for ${s.model}: they are left out of "then".`] : []),
    ],
  };
}
