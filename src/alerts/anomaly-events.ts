/**
 * Open anomalies as alert events: what `report anomalies` finds still open on the latest data (the
 * total, each feature and each model; cost and tokens), unless labelled `no` or `planned`. The event id
 * is the anomaly's own (its series and first day: the detector is causal, so it does not move), so an
 * anomaly alerts once however many runs see it open; a possible ingestion gap is said as such.
 */
import { openAnomalies } from '../anomalies/anomalies.js';
import { eventId, type AlertEvent } from './events.js';
import type { AlertContext } from './sources.js';

export async function anomalyEvents(ctx: AlertContext): Promise<AlertEvent[]> {
  const found = await openAnomalies(ctx.ledger, ctx.today);
  return found.map((a) => {
    const what = a.dimension === 'total' ? 'total' : `${a.dimension} ${a.value}`;
    const unit = a.measure === 'cost' ? ` ${a.currency ?? ''}`.trimEnd() : ` ${a.measure}`;
    const pct = a.impactPct === null ? '' : ` (${a.impactPct} %)`;
    const title = a.possibleIngestionGap
      ? `Possible ingestion gap: ${what} ${a.measure} dropped from ${a.start}: expected ${a.expected}${unit}, got ${a.actual}`
      : `Anomaly (${a.pattern}) on ${what} ${a.measure} since ${a.start}: expected ${a.expected}${unit}, actual ${a.actual}, impact ${
        a.impact}${pct}`;
    return {
      id: eventId(['anomaly', a.id]),
      kind: 'anomaly' as const,
      severity: 'warning' as const,
      subject: what,
      period: a.start,
      title,
      data: { anomaly_id: a.id, dimension: a.dimension, value: a.value, measure: a.measure, currency: a.currency, start: a.start,
        end: a.end, pattern: a.pattern, expected: a.expected, actual: a.actual, impact: a.impact, impact_pct: a.impactPct,
        possible_ingestion_gap: a.possibleIngestionGap,
        root_causes: a.rootCauses.slice(0, 3).map((r) => `${r.dimension} ${r.value}: ${r.contribution}`) },
    };
  });
}
