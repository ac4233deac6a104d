/**
 * The four charts of the CFO pack as data, once, for both the HTML (inline SVG, cfo-html.ts) and the
 * spreadsheet (native Excel charts, cfo-xlsx-charts.ts): the cost trend per billing period, cost per unit
 * per month and unit type, allocation by feature, and the variance waterfall from the month before to
 * this month. All in the pack's first invoice currency (amounts of different currencies are never drawn
 * on one axis). Numbers here are for drawing only; the tables carry the exact decimals.
 */
import type { CfoPack } from './cfo-pack.js';

export interface BarChart { title: string; unit: string; bars: { label: string; value: number }[] }
export interface LineChart { title: string; unit: string; xs: string[]; series: { name: string; values: (number | null)[] }[] }
export interface WaterfallStep { label: string; value: number; total: boolean; from: number; to: number }
export interface Waterfall { title: string; unit: string; steps: WaterfallStep[] }

export interface PackCharts {
  currency: string;
  trend: BarChart;
  unitCost: LineChart;
  allocation: BarChart;
  waterfall: Waterfall | null;
}

export function packCharts(pack: CfoPack): PackCharts {
  const currency = pack.invoices[0]?.currency ?? 'USD';
  const months = [...new Set(pack.unitTrend.rows.map((r) => String(r.month)))].sort();
  const units = [...new Set(pack.unitTrend.rows.map((r) => String(r.unit)))].sort();
  const alloc = pack.sections.find((s) => s.sheet === 'Allocation')!.report.rows.filter((r) => r.currency === currency);
  const total = pack.sections.find((s) => s.sheet === 'Variance')!.report.rows.find((r) => r.unit === 'TOTAL' && r.currency === currency);
  return {
    currency,
    trend: {
      title: `Cost trend: EffectiveCost per billing period (${currency})`, unit: currency,
      bars: pack.trend.rows.filter((r) => r.currency === currency)
        .map((r) => ({ label: String(r.billing_period).slice(0, 7), value: Number(r.effective_cost) })),
    },
    unitCost: {
      title: `Cost per unit trend (${currency})`, unit: `${currency} per unit`, xs: months,
      series: units.map((u) => ({ name: u, values: months.map((m) => {
        const r = pack.unitTrend.rows.find((x) => x.month === m && x.unit === u && x.currency === currency);
        return r && r.cost_per_unit !== null ? Number(r.cost_per_unit) : null;
      }) })),
    },
    allocation: {
      title: `Allocation by feature, ${pack.month} (${currency})`, unit: currency,
      bars: alloc.map((r) => ({ label: String(r.key), value: Number(r.cost) })),
    },
    waterfall: total ? waterfallOf(`Variance waterfall: spend (charges of the month), ${pack.month} vs the month before (${currency})`,
      currency, Number(total.before),
      ['volume', 'intensity', 'rate', 'shared', 'outside'].map((k) => ({ label: k, value: Number(total[k]) })),
      Number(total.after)) : null,
  };
}

/** 1. the month before, 2. each part of the change from where the last one ended, 3. this month; from zero. */
function waterfallOf(title: string, unit: string, before: number, parts: { label: string; value: number }[], after: number): Waterfall {
  const steps: WaterfallStep[] = [{ label: 'before', value: before, total: true, from: 0, to: before }];
  let run = before;
  for (const p of parts) {
    steps.push({ ...p, total: false, from: run, to: run + p.value });
    run += p.value;
  }
  steps.push({ label: 'after', value: after, total: true, from: 0, to: after });
  return { title, unit, steps };
}
