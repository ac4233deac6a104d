/**
 * Scoring anomaly detectors on the labelled corpus, event-wise (PRIMER section 6): an event is found when
 * a reported window flags at least one of its days; a reported window is a true positive when it overlaps
 * an event (or the tail in which a step or drift persists). Precision, recall and the detection delay
 * (first flagged day minus the event's first day), overall and per kind. Two detectors run on the same
 * series: tokenledger's (detect.ts + events.ts + the impact gates) and the KQL default the FinOps toolkit
 * uses, `series_decompose_anomalies(series, 1.5, -1, 'avg', 0, 'ctukey')`: average trend, median per
 * weekday phase, Tukey fences on the 10th-90th percentiles of the residual with k = 1.5, over the whole
 * series at once (it sees the future, which only helps its delay).
 */
import { calendarOf, detect, type DayJudgement } from '../anomalies/detect.js';
import { windowsOf, type Window } from '../anomalies/events.js';
import type { EventKind, LabelledSeries } from './eval-corpus.js';

export interface Gates { minImpact: number; minPercent: number }
export interface Reported { start: number; end: number; days: number[] }

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
};

/** KQL's default decomposition + ctukey fences: one judgement per day. */
export function kqlDefault(values: readonly number[], firstDayOfWeek: number, k = 1.5): DayJudgement[] {
  const avg = values.reduce((a, b) => a + b, 0) / values.length;
  const phase: number[][] = [[], [], [], [], [], [], []];
  values.forEach((v, i) => phase[(firstDayOfWeek + i) % 7]!.push(v - avg));
  const season = phase.map((p) => quantile(p, 0.5));
  const baseline = values.map((_, i) => avg + season[(firstDayOfWeek + i) % 7]!);
  const resid = values.map((v, i) => v - baseline[i]!);
  const [q10, q90] = [quantile(resid, 0.1), quantile(resid, 0.9)];
  const lo = q10 - k * (q90 - q10);
  const hi = q90 + k * (q90 - q10);
  return resid.map((r, i) => ({
    expected: baseline[i]!, score: r / Math.max(q90 - q10, 1e-9), flag: r > hi ? 1 : r < lo ? -1 : 0,
    channel: r > hi || r < lo ? 'day' : null, step: false,
  }));
}

/** Windows whose impact passes the gates (money and percent); with no gates, every window. */
export function gated(w: Window[], values: readonly number[], gates: Gates | null): Reported[] {
  return w.filter((x) => {
    if (!gates) return true;
    const actual = values.slice(x.start, x.end + 1).reduce((a, b) => a + b, 0);
    const expected = x.expected.reduce((a, b) => a + b, 0);
    const impact = actual - expected;
    return Math.abs(impact) >= gates.minImpact && Math.abs(impact) >= (gates.minPercent / 100) * Math.max(expected, 1e-9);
  }).map((x) => ({ start: x.start, end: x.end, days: Array.from({ length: x.end - x.start + 1 }, (_, i) => x.start + i) }));
}

export type Detector = (s: LabelledSeries) => Reported[];

export const tokenledgerDetector = (gates: Gates): Detector => (s) => {
  const judged = detect(s.values, calendarOf(s.first, s.values.length), { missing: s.missing });
  return gated(windowsOf(judged, s.missing), s.values, gates);
};

export const kqlDetector = (gates: Gates | null): Detector => (s) => {
  const judged = kqlDefault(s.values, calendarOf(s.first, s.values.length).firstDayOfWeek);
  return gated(windowsOf(judged), s.values, gates);
};

export interface KindScore { kind: EventKind | 'all'; events: number; found: number; recall: number; medianDelay: number | null }
export interface Score { reported: number; truePositive: number; precision: number; recall: number; kinds: KindScore[] }

const median = (xs: number[]) => (xs.length ? quantile(xs, 0.5) : null);

/** Event-wise precision, recall and delay of a detector on a corpus (windows before day `from` are not judged). */
export function score(corpus: LabelledSeries[], detector: Detector, from = 21): Score {
  let reported = 0;
  let tp = 0;
  const found = new Map<EventKind | 'all', { events: number; found: number; delays: number[] }>();
  const bump = (k: EventKind | 'all', hit: boolean, delay: number | null) => {
    const x = found.get(k) ?? { events: 0, found: 0, delays: [] };
    x.events++;
    if (hit) x.found++;
    if (delay !== null) x.delays.push(delay);
    found.set(k, x);
  };
  for (const s of corpus) {
    const windows = detector(s).filter((w) => w.end >= from);
    reported += windows.length;
    tp += windows.filter((w) => s.events.some((e) => w.start <= e.end + e.tail && w.end >= e.start)).length;
    for (const e of s.events) {
      const first = windows.flatMap((w) => w.days).filter((d) => d >= e.start && d <= e.end).sort((a, b) => a - b)[0];
      const delay = first === undefined ? null : first - e.start;
      bump(e.kind, first !== undefined, delay);
      bump('all', first !== undefined, delay);
    }
  }
  const kinds = [...found.entries()].map(([kind, x]) => ({ kind, events: x.events, found: x.found, recall: x.found / x.events,
    medianDelay: median(x.delays) }));
  const all = found.get('all') ?? { events: 0, found: 0, delays: [] };
  return { reported, truePositive: tp, precision: reported ? tp / reported : 1, recall: all.events ? all.found / all.events : 1,
    kinds: kinds.sort((a, b) => (a.kind === 'all' ? 1 : b.kind === 'all' ? -1 : a.kind.localeCompare(b.kind))) };
}
