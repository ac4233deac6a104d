/**
 * The labelled corpus the anomaly detector is evaluated on: many daily cost series the way cloud and AI
 * spend looks (a level, weekly seasonality, multiplicative noise, a trend, monthly fees on the 1st), with
 * known events injected on top: spikes, drops, level steps, slow drifts, ingestion gaps (days whose data
 * is missing, known as such) and one-off purchases. Month-start fees are not events: a detector must learn
 * them. Seeded, so every run scores the same corpus.
 */
import { Rng } from '../demo/rng.js';

export type EventKind = 'spike' | 'drop' | 'step' | 'drift' | 'gap' | 'purchase';

export interface LabelledEvent {
  kind: EventKind;
  /** First and last day of the window in which a flag counts as finding it. */
  start: number;
  end: number;
  /** Days after `end` in which flags still belong to it (a step or drift persists). */
  tail: number;
}

export interface LabelledSeries {
  id: string;
  first: string;
  values: number[];
  missing: boolean[];
  events: LabelledEvent[];
  monthFee: boolean;
}

export const CORPUS_FIRST_DAY = '2026-03-02';
const KINDS: EventKind[] = ['spike', 'spike', 'drop', 'step', 'drift', 'gap', 'purchase'];

function gauss(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/**
 * One series of `days` days.
 * 1. Base: level x weekly factor x (1 + trend)^t x lognormal noise; a monthly fee on the 1st for some.
 * 2. Events from day 60 on, at least 25 days apart, each changing the values in its own way.
 */
export function makeSeries(rng: Rng, id: string, days: number): LabelledSeries {
  const level = Math.exp(between(rng, Math.log(500), Math.log(20_000)));
  const weekend = between(rng, 0.4, 1);
  const week = [weekend, 1, between(rng, 0.95, 1.05), 1, between(rng, 0.95, 1.05), between(rng, 0.85, 1), weekend];
  const trend = between(rng, -0.002, 0.006);
  const noise = between(rng, 0.02, 0.1);
  const monthFee = rng.next() < 0.3;
  const fee = level * between(rng, 0.5, 3);
  const t0 = Date.parse(`${CORPUS_FIRST_DAY}T00:00:00Z`);
  const date = (i: number) => new Date(t0 + i * 86_400_000);
  const values = Array.from({ length: days }, (_, i) => {
    const base = level * week[date(i).getUTCDay()]! * (1 + trend) ** i;
    return Math.max(0, base * Math.exp(noise * gauss(rng) - (noise * noise) / 2)) + (monthFee && date(i).getUTCDate() === 1 ? fee : 0);
  });
  const missing = new Array<boolean>(days).fill(false);
  const events: LabelledEvent[] = [];
  const count = rng.next() < 0.2 ? 0 : rng.int(1, 3);
  let at = 60 + rng.int(0, 15);
  for (let e = 0; e < count && at < days - 10; e++) {
    const kind = KINDS[rng.int(0, KINDS.length - 1)]!;
    let end = at;
    let tail = 0;
    switch (kind) {
      case 'spike': {
        end = at + rng.int(0, 2);
        const f = between(rng, 0.5, 3);
        for (let i = at; i <= end; i++) values[i]! *= 1 + f;
        break;
      }
      case 'drop': {
        end = at + rng.int(0, 1);
        const f = between(rng, 0.4, 0.7);
        for (let i = at; i <= end; i++) values[i]! *= 1 - f;
        break;
      }
      case 'step': {
        const f = (rng.next() < 0.7 ? 1 : -0.6) * between(rng, 0.3, 0.8);
        for (let i = at; i < days; i++) values[i]! *= 1 + f;
        end = at + 6;
        tail = 21;
        break;
      }
      case 'drift': {
        const len = rng.int(14, 28);
        const f = between(rng, 0.4, 1);
        for (let i = at; i < days; i++) values[i]! *= 1 + f * Math.min(1, (i - at + 1) / len);
        end = at + len - 1 + 7;
        tail = 14;
        break;
      }
      case 'gap': {
        end = at + rng.int(0, 2);
        for (let i = at; i <= end; i++) {
          values[i]! *= between(rng, 0, 0.1);
          missing[i] = true;
        }
        break;
      }
      case 'purchase':
        values[at]! += level * between(rng, 1, 5);
        break;
    }
    end = Math.min(end, days - 1);
    events.push({ kind, start: at, end, tail });
    at = end + tail + 25 + rng.int(0, 20);
  }
  return { id, first: CORPUS_FIRST_DAY, values, missing, events, monthFee };
}

/** The corpus: `n` series of `days` days from `seed`. */
export function makeCorpus(n = 300, days = 182, seed = 14): LabelledSeries[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => makeSeries(rng, `s${String(i).padStart(3, '0')}`, days));
}
