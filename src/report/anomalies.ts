/**
 * `report anomalies [--from --to | --month] [--dimension total|feature|team|model|resource|token-type|meter]`:
 * the anomalies of each value's daily cost (billing) and tokens / requests (telemetry) whose window touches
 * the period, each with its window, pattern, expected vs actual, impact in money and percent, score, root
 * causes ranked by dollar contribution, the driver of its token cost, and its label. The detection is in
 * src/anomalies/; this file only lays it out (rows for the table and CSV, details in the JSON's meta).
 */
import { findAnomalies, gatesOf, HISTORY_DAYS, type ExplainedAnomaly } from '../anomalies/anomalies.js';
import { SCORE_CAP } from '../anomalies/analyse.js';
import { groupThousands } from '../domain/decimal.js';
import type { JsonValue } from '../store/db.js';
import type { Ledger } from '../ledger/ledger.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const money = (d: string) => `${d.startsWith('-') ? '-' : '+'}${groupThousands(d.replace(/^-/, ''))}`;

function causesText(a: ExplainedAnomaly): string {
  return a.rootCauses.slice(0, 3).map((c) => `${c.dimension} ${c.value} ${money(c.contribution)}`).join('; ');
}

function driverText(a: ExplainedAnomaly): string {
  const d = a.drivers;
  if (!d) return '';
  return `${d.driver} (volume ${money(d.volume)}, intensity ${money(d.intensity)}, rate ${money(d.rate)})`;
}

function detail(a: ExplainedAnomaly): JsonValue {
  return {
    id: a.id, days: a.days,
    root_causes: a.rootCauses.map((c) => ({ dimension: c.dimension, value: c.value, contribution: c.contribution, actual: c.actual,
      expected: c.expected, ...(c.others === undefined ? {} : { others: c.others }) })),
    drivers: a.drivers ? { volume_basis: a.drivers.volumeBasis, change: a.drivers.change, volume: a.drivers.volume,
      intensity: a.drivers.intensity, rate: a.drivers.rate, driver: a.drivers.driver, before: a.drivers.before, after: a.drivers.after }
      : null,
  };
}

export async function anomalies(ledger: Ledger, o: RequestOf<'anomalies'>): Promise<Report> {
  const found = await findAnomalies(ledger, { dimension: o.dimension, period: o.period, costBasis: o.costBasis, measures: [o.measure] });
  const cost = o.measure === 'cost';
  const gates = gatesOf(ledger.config);
  const rows = found.map((a) => ({
    id: a.id, value: a.value, currency: a.currency, start: a.start, end: a.end, open: a.open,
    window: `${a.start === a.end ? a.start : `${a.start}..${a.end.slice(5)}`}${a.open ? ' open' : ''}`,
    pattern: a.possibleIngestionGap ? `${a.pattern} (possible ingestion gap)` : a.pattern,
    expected: a.expected, actual: a.actual, impact: a.impact, impact_pct: a.impactPct, score: a.score,
    root_causes: causesText(a), driver: driverText(a), label: a.label ?? '',
  }));
  const gaps = found.filter((a) => a.possibleIngestionGap).length;
  return {
    name: 'anomalies',
    title: `Anomalies of daily ${cost ? `${o.costBasis} cost` : o.measure} by ${o.dimension}, ${o.period.label}`,
    meta: { ...baseMeta(o), dimension: o.dimension, measure: o.measure,
      gates: { min_impact: gates.minImpact, min_percent: gates.minPercent },
      anomalies: found.map(detail) },
    columns: [
      { key: 'id', label: 'ID', kind: 'text' },
      { key: 'value', label: o.dimension, kind: 'text' },
      { key: 'window', label: 'Window', kind: 'text' },
      { key: 'start', label: 'Start', kind: 'text', secondary: true, group: 'window' },
      { key: 'end', label: 'End', kind: 'text', secondary: true, group: 'window' },
      { key: 'open', label: 'Open', kind: 'text', secondary: true, group: 'window' },
      { key: 'pattern', label: 'Pattern', kind: 'text' },
      ...(cost ? [{ key: 'currency', label: 'Cur', kind: 'text' } as const] : []),
      { key: 'expected', label: 'Expected', kind: cost ? 'money' : 'int' },
      { key: 'actual', label: 'Actual', kind: cost ? 'money' : 'int' },
      { key: 'impact', label: 'Impact', kind: cost ? 'money' : 'int' },
      { key: 'impact_pct', label: 'Impact %', kind: 'percent' },
      { key: 'score', label: 'Score', kind: 'quantity', secondary: true },
      ...(cost ? [
        { key: 'root_causes', label: 'Root causes (top 3 by $ contribution)', kind: 'text' },
        { key: 'driver', label: 'Token cost driver', kind: 'text', secondary: true },
      ] as const : []),
      { key: 'label', label: 'Label', kind: 'text', secondary: true },
    ],
    rows,
    notes: [
      `Each series is judged day by day on the ${HISTORY_DAYS} days before (weekly season and trend fitted robustly, flagged days not ` +
        'learned from); expected and impact are over the window, at cents for cost.',
      `Gates: |impact| at least ${gates.minImpact} (cost, in its currency) and ${gates.minPercent}% of expected ` +
        `(tokenledger.yaml anomalies:). Score: robust standard deviations, at most ${SCORE_CAP} (a window expected at zero scores ` +
        `${SCORE_CAP}).`,
      ...(cost ? [] : ['Tokens: input + output (cached inside input), from telemetry.']),
      'Root causes: contribution of each value of the other dimensions to the impact; driver: the token cost change against the same ' +
        'weekdays of the 4 weeks before, split into volume (units or requests), intensity (tokens per unit) and rate (cost per token).',
      ...(gaps ? [`${gaps} drop(s) coincide with missing data (billing days or telemetry): possible ingestion gaps, not savings.`] : []),
      'Label one: `tokenledger anomalies label ID yes|no|planned` (no and planned stop alerts on it).',
    ],
  };
}
