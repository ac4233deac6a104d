/**
 * `report sensitivity --unit ticket --response-length +20% --retries +5% [--model gpt-4o-mini]`: what a
 * unit would cost if responses grew, retries rose, or the traffic moved to another model, computed from
 * the measured token mix and the rates actually paid (output tokens priced as output). One month: --month,
 * else the latest month with charges.
 */
import { UsageError } from '../domain/errors.js';
import { addMonths } from '../domain/month.js';
import { isWholeMonth, parsePeriod } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, join, sql } from '../store/sql.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'sensitivity.sql');

const pct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 10000) / 100}%`;

export async function sensitivity(ledger: Ledger, o: RequestOf<'sensitivity'>): Promise<Report> {
  if (o.unit) await ledger.requireKnown('unit', o.unit, '--unit');
  let period = o.period;
  if (!isWholeMonth(period)) {
    const [latest] = await ledger.query<{ m: string | null }>("SELECT strftime(max(month), '%Y-%m') AS m FROM alloc_month");
    if (!latest?.m) throw new UsageError('no charges in the store yet; ingest a FOCUS export first');
    if (period.from || period.to) throw new UsageError('report sensitivity takes one --month');
    period = parsePeriod({ month: latest.m });
  }
  const s = o.scenario;
  const model = s.model ? sql`CAST(${s.model.toLowerCase()} AS VARCHAR)` : code('CAST(NULL AS VARCHAR)');
  const month = sql`CAST(${period.from} AS DATE)`;
  if (s.model) {
    const [hit] = await ledger.query<{ n: string }>(
      sql`SELECT count(*) AS n FROM alloc_month WHERE kind = 'token' AND model = ${model} AND month = ${month}`);
    if (!Number(hit?.n)) {
      const models = await ledger.query<{ model: string }>(
        sql`SELECT DISTINCT model FROM alloc_month WHERE kind = 'token' AND model IS NOT NULL AND month = ${month} ORDER BY 1`);
      throw new UsageError(
        `--model ${s.model}: no token charges for this model in ${period.label}, so no measured rates; models billed ` +
          `then: ${models.map((m) => m.model).join(', ') || 'none'}`);
    }
  }
  const unit = o.unit ? sql`unit = ${o.unit.toLowerCase()}` : code('true');
  const rows = await ledger.query(join([ledger.economics(period, o.costBasis), fill(SQL, {
    UNIT: unit, MODEL: model, RETRIES: sql`CAST(${s.retries} AS DOUBLE)`, LENGTH: sql`CAST(${s.responseLength} AS DOUBLE)`,
  })], '\n'));
  const scenario = [`response length ${pct(s.responseLength)}`, `retries ${pct(s.retries)}`,
    ...(s.model ? [`all tokens at ${s.model} rates`] : [])].join(', ');
  return {
    name: 'sensitivity',
    title: `Sensitivity (${o.costBasis} cost, ${period.label}${o.unit ? `, unit ${o.unit}` : ''}): ${scenario}`,
    meta: { ...baseMeta({ ...o, period }), unit: o.unit, response_length: s.responseLength, retries: s.retries, model: s.model,
      next_month: addMonths(period.label, 1) },
    columns: [
      { key: 'unit', label: 'Unit', kind: 'text' },
      { key: 'currency', label: 'Cur', kind: 'text' },
      { key: 'units', label: 'Units', kind: 'int' },
      { key: 'token_per_unit_before', label: 'Token/unit now', kind: 'rate', secondary: true, group: 'tpu' },
      { key: 'token_per_unit_after', label: 'Token/unit then', kind: 'rate', secondary: true, group: 'tpu' },
      { key: 'other_per_unit', label: 'Other/unit', kind: 'rate', secondary: true },
      { key: 'cost_per_unit_before', label: 'Cost/unit now', kind: 'rate' },
      { key: 'cost_per_unit_after', label: 'Cost/unit then', kind: 'rate' },
      { key: 'change_pct', label: 'Change', kind: 'percent' },
      { key: 'cost_per_success_before', label: 'Cost/success now', kind: 'rate', secondary: true, group: 'cps' },
      { key: 'cost_per_success_after', label: 'Cost/success then', kind: 'rate', secondary: true, group: 'cps' },
    ],
    rows,
    notes: [
      'From the measured token mix per unit (by model and token type) and the rates paid; output tokens scale with response length, ' +
        'every call with retries.',
      'Costs not metered in tokens (PTU, GPU, platform, overhead) stay per unit as measured; shares split by token volume would move ' +
        'between units, their total would not.',
      ...(rows.some((r) => Number(r.unpriced) > 0) ? [`Some token types have no rate for ${s.model}: they are left out of "then".`] : []),
    ],
  };
}
