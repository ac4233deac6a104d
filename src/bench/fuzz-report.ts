/**
 * The "Fuzzing" section of docs/benchmarks.md, from fuzz-results.json (written by `npm run fuzz`): kept
 * when `npm run bench` rewrites the file, replaced when `npm run fuzz` runs again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FuzzSummary {
  date: string;
  cases: number;
  seed: number;
  timeoutMs: number;
  /** What the same cases gave before, said in words (set by hand when a run is compared with an older commit). */
  baseline?: string;
  seconds: number;
  verdicts: Record<string, number>;
  bySeed: Record<string, Record<string, number>>;
  failures: { id: number; seed: string; mutations: string[]; verdict: string; message: string }[];
}

export const FUZZ_RESULTS = 'fuzz-results.json';
const TITLE = '## Fuzzing (bad input)';

/** The section's markdown, or '' when there are no results yet. */
export function fuzzMarkdown(path = FUZZ_RESULTS): string {
  if (!existsSync(path)) return '';
  const s = JSON.parse(readFileSync(path, 'utf8')) as FuzzSummary;
  const n = (seed: Record<string, number>, v: string) => seed[v] ?? 0;
  const failed = s.cases - n(s.verdicts, 'refused') - n(s.verdicts, 'accepted');
  const count = (v: string) => n(s.verdicts, v).toLocaleString('en-US');
  const inputs = Object.keys(s.bySeed).length;
  return `${TITLE}

\`npm run fuzz\` (src/bench/fuzz.ts, cases from src/test-support/fuzz.ts; the suite runs 240 of them) on
${s.date.slice(0, 10)}: ${s.cases.toLocaleString('en-US')} mutated files (seed ${s.seed}) of ${inputs} small real inputs of every
format, 1 to 3 mutations each (bytes flipped, inserted, cut; invalid UTF-8, BOMs, UTF-16, CR line ends, blank lines, huge
fields, numbers and dates swapped, gzip of the result or of garbage, damaged Parquet), each ingested by the command line
with a ${s.timeoutMs / 1000} s timeout, in a worker process that is replaced when a case kills or hangs it. A refusal must exit 2
naming the file and leave every table of the store as it was; an accepted file must leave a store whose summary,
ingestions and check still run. ${s.seconds.toFixed(0)} s in all.

**${count('internal')} internal errors (exit 4), ${count('hang')} hangs, ${count('store-changed')} refusals that changed the store,
${count('unlocated')} refusals not naming the file, ${count('report-failed')} accepted stores that no longer report** (${failed}
failures); ${count('refused')} refused, ${count('accepted')} accepted.${s.baseline ? ` ${s.baseline}` : ''}

| input | cases | refused | accepted | failed |
|---|---:|---:|---:|---:|
${Object.entries(s.bySeed)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([seed, v]) => {
    const total = Object.values(v).reduce((a, b) => a + b, 0);
    return `| ${seed} | ${total} | ${n(v, 'refused')} | ${n(v, 'accepted')} | ${total - n(v, 'refused') - n(v, 'accepted')} |`;
  })
  .join('\n')}
${
  s.failures.length
    ? `\nFailures:\n\n${s.failures
        .slice(0, 20)
        .map(
          (f) =>
            `- #${f.id} ${f.seed} (${f.mutations.join(' + ')}): ${f.verdict}: ${f.message
              .split('\n')[0]!
              .slice(0, 160)
              .replace(/\|/g, '\\|')}`,
        )
        .join('\n')}\n`
    : ''
}`;
}

/** Put the section into docs/benchmarks.md (replacing an earlier one). */
export function writeFuzzSection(): void {
  const path = join('docs', 'benchmarks.md');
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const at = doc.indexOf(TITLE);
  if (at < 0) {
    writeFileSync(path, `${doc.trimEnd()}\n\n${fuzzMarkdown()}`);
    return;
  }
  const next = doc.indexOf('\n## ', at + TITLE.length);
  const rest = next >= 0 ? doc.slice(next + 1) : '';
  writeFileSync(path, doc.slice(0, at) + fuzzMarkdown() + (rest ? `\n${rest}` : ''));
}
