/**
 * `npm run eval`: the anomaly detector scored on the labelled corpus (eval-corpus.ts), event-wise, against
 * the KQL default the FinOps toolkit runs (eval-score.ts), in the same run, and written as the "Anomaly
 * detection" section of docs/benchmarks.md (replacing an earlier one; `npm run bench` keeps it).
 *
 * 1. 300 series of 182 days (seed 14); the first 56 days are the detectors' warm-up, events start on day 60.
 * 2. tokenledger: detect.ts + events.ts with the default gates ($50 and 10 % of expected); KQL default:
 *    series_decompose_anomalies(series, 1.5, -1, 'avg', 0, 'ctukey') on the whole series, as is and with the
 *    same gates.
 * 3. Targets: event recall >= 0.9 at precision >= 0.8; median detection delay <= 1 day for spikes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_GATES } from '../anomalies/analyse.js';
import { makeCorpus } from './eval-corpus.js';
import { kqlDetector, score, tokenledgerDetector, type Detector, type Score } from './eval-score.js';

export const EVAL_TITLE = '## Anomaly detection (labelled corpus)';
const SERIES = 300;
const DAYS = 182;
const SEED = 14;
const WARM_UP = 56;

interface Run { name: string; score: Score; seconds: number }

function run(name: string, d: Detector, corpus: ReturnType<typeof makeCorpus>): Run {
  const t0 = performance.now();
  const s = score(corpus, d, WARM_UP);
  return { name, score: s, seconds: (performance.now() - t0) / 1000 };
}

const f = (x: number) => x.toFixed(3);
const delay = (x: number | null) => (x === null ? 'n/a' : String(x));

export function evalMarkdown(runs: Run[], corpus: ReturnType<typeof makeCorpus>): string {
  const events = corpus.reduce((a, s) => a + s.events.length, 0);
  const quiet = corpus.filter((s) => !s.events.length).length;
  const fees = corpus.filter((s) => s.monthFee).length;
  const [tl] = runs;
  const spikes = tl!.score.kinds.find((k) => k.kind === 'spike');
  const met = tl!.score.recall >= 0.9 && tl!.score.precision >= 0.8 && (spikes?.medianDelay ?? 99) <= 1;
  const kinds = [...new Set(runs.flatMap((r) => r.score.kinds.map((k) => k.kind)))];
  const same = runs.filter((r) => !r.name.includes('held-out'));
  return `${EVAL_TITLE}

\`npm run eval\` (src/bench/eval.ts): ${SERIES} generated daily cost series of ${DAYS} days (seed ${SEED}): level $500 to $20,000
a day, weekly seasonality (weekends at 40-100 %), multiplicative noise 2-10 %, trend -0.2 % to +0.6 % a day, a monthly fee on
the 1st in ${fees} series (not an event: a detector must learn it), ${quiet} series without events. ${events} labelled events from
day 60 on: spikes (1-3 days, +50 % to +300 %), drops (1-2 days, -40 % to -70 %), level steps (+30 % to +80 % or -18 % to -48 %,
lasting), drifts (a ramp of 14-28 days to +40 % to +100 %), ingestion gaps (1-3 days at 0-10 %, the days known missing, as
\`check\` knows them) and one-off purchases (one day, 1-5x the level). Scored event-wise: an event is found when a reported
window flags one of its days (window: the event's days; a step's first 7 days, a drift's ramp and 7 days); a reported window
is a true positive when it overlaps an event or the 14-21 days a step or drift persists after it. Delay: first flagged day
minus the event's first day. The first ${WARM_UP} days are warm-up for both detectors. Impact gates: $${DEFAULT_GATES.minImpact} and
${DEFAULT_GATES.minPercent} % of expected over the window (the defaults of \`anomalies:\`).

| detector | windows reported | true positives | precision | event recall | seconds |
|---|---:|---:|---:|---:|---:|
${runs.map((r) => `| ${r.name} | ${r.score.reported} | ${r.score.truePositive} | ${f(r.score.precision)} | ${f(r.score.recall)} | ${
  r.seconds.toFixed(1)} |`).join('\n')}

Recall and median detection delay (days) per kind of event:

| kind | events | ${same.map((r) => `${r.name}: recall / delay`).join(' | ')} |
|---|---:|${same.map(() => '---:').join('|')}|
${kinds.map((k) => {
  const n = runs[0]!.score.kinds.find((x) => x.kind === k)?.events ?? 0;
  return `| ${k} | ${n} | ${same.map((r) => {
    const x = r.score.kinds.find((y) => y.kind === k);
    return x ? `${f(x.recall)} / ${delay(x.medianDelay)}` : 'n/a';
  }).join(' | ')} |`;
}).join('\n')}

Targets (recall >= 0.9 at precision >= 0.8, median spike delay <= 1 day): ${met ? 'met' : 'NOT met'} by tokenledger's detector
on seed ${SEED} in this run (its settings, k = 4 among 3.5 / 4 / 4.5, were chosen on that corpus; the held-out rows are a
corpus of another seed it was not tuned on; the per-kind table is seed ${SEED}). tokenledger's detector is causal (a day is
judged on the days before it, as it would run each morning); the KQL default decomposes the whole series at once, which helps
its delay. Its 'avg' trend is the series mean, so a trending series
pushes its residuals out at both ends (false positives early and late, level changes missed); drifts and steps are what it
misses most. Limits: the corpus is synthetic; the drift channel needs 35 days of history plus 14, so a drift in a young series
is found late or as a step.
`;
}

/** The section as docs/benchmarks.md has it now (for `npm run bench`, which rewrites the file), or ''. */
export function keptEvalSection(path = join('docs', 'benchmarks.md')): string {
  if (!existsSync(path)) return '';
  const doc = readFileSync(path, 'utf8');
  const at = doc.indexOf(EVAL_TITLE);
  if (at < 0) return '';
  const next = doc.indexOf('\n## ', at + EVAL_TITLE.length);
  return doc.slice(at, next >= 0 ? next + 1 : undefined).trimEnd() + '\n';
}

function writeSection(md: string): void {
  const path = join('docs', 'benchmarks.md');
  mkdirSync('docs', { recursive: true });
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const at = doc.indexOf(EVAL_TITLE);
  if (at < 0) {
    writeFileSync(path, `${doc.trimEnd()}\n\n${md}`);
    return;
  }
  const next = doc.indexOf('\n## ', at + EVAL_TITLE.length);
  writeFileSync(path, doc.slice(0, at) + md + (next >= 0 ? `\n${doc.slice(next + 1)}` : ''));
}

function main(): void {
  const corpus = makeCorpus(SERIES, DAYS, SEED);
  const gates = { minImpact: Number(DEFAULT_GATES.minImpact), minPercent: DEFAULT_GATES.minPercent };
  const runs = [
    run('tokenledger', tokenledgerDetector(gates), corpus),
    run('KQL default', kqlDetector(null), corpus),
    run('KQL default + gates', kqlDetector(gates), corpus),
  ];
  // the detector's settings were chosen on this corpus: a corpus of another seed it has never seen, for honesty
  const heldOut = makeCorpus(SERIES, DAYS, SEED + 1);
  runs.push(run(`tokenledger, held-out seed ${SEED + 1}`, tokenledgerDetector(gates), heldOut),
    run(`KQL default, held-out seed ${SEED + 1}`, kqlDetector(null), heldOut));
  const md = evalMarkdown(runs, corpus);
  writeSection(md);
  process.stdout.write(`${md}\nwrote its section of docs/benchmarks.md\n`);
}

if (process.argv[1]?.endsWith('eval.js')) main();
