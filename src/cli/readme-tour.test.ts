/**
 * The README as a newcomer runs it: the demo command and every command of "A tour", taken from the README's
 * own text, run in-process in a new folder, in order. Each must exit as a user expects (0; `check` 1 for
 * the demo export's warning), and the figures the README prints must be the figures the commands print.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { REPO_ROOT } from '../test-support/paths.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { run } from './main.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The `npx tokenledger ...` lines of the first sh block after a heading, without comments, as argv. */
function commands(heading: string): string[][] {
  const section = README.slice(README.indexOf(heading));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split('\n').flatMap((line) => line.split('&&')).map((c) => c.replace(/#.*$/, '').trim())
    .filter((c) => c.startsWith('npx tokenledger '))
    .map((c) => c.slice('npx tokenledger '.length).split(/\s+/).filter(Boolean));
}

let dir: string;
const outputs = new Map<string, string>();

async function cli(argv: string[]) {
  const fx = memoryEffects({ cwd: dir, env: { TOKENLEDGER_TODAY: '2026-12-01' } });
  const code = await run(argv, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

beforeAll(async () => {
  dir = tempDir('tl-tour-');
  const [demo] = commands('## Two commands');
  expect(demo).toEqual(['demo', '--end', '2026-10']);
  const r = await cli(demo!);
  expect(r.code).toBe(0);
  outputs.set('demo', r.out);
}, 120_000);

describe('the README tour, as written', () => {
  it('every command runs in the demo folder with the exit code a user expects', async () => {
    const tour = commands('## A tour');
    expect(tour.length).toBeGreaterThan(20);
    // a user who ran the tour in the checkout has these files there already: what counts is that this run adds none
    const written = ['pack.xlsx', 'pack.html', join('bi', 'README.md'), join('bi', 'csv', 'fact_unit_costs.csv')];
    const before = new Map(written.map((f) => [f, existsSync(join(REPO_ROOT, f)) ? statSync(join(REPO_ROOT, f)).mtimeMs : null]));
    for (const argv of tour) {
      const r = await cli(argv);
      // check: the demo export's warning; alerts: the demo's October incidents breach two budgets (a new breach)
      const expected = argv[0] === 'check' ? 1 : argv[0] === 'alerts' ? 2 : 0;
      expect({ argv: argv.join(' '), code: r.code, err: r.err.slice(0, 300) }).toMatchObject({ code: expected });
      outputs.set(argv.join(' '), r.out);
    }
    // files the tour writes land in the user's folder, nowhere else
    for (const f of written) {
      expect(existsSync(join(dir, f)), f).toBe(true);
      const now = existsSync(join(REPO_ROOT, f)) ? statSync(join(REPO_ROOT, f)).mtimeMs : null;
      expect(now, `${f} written into the checkout`).toBe(before.get(f));
    }
  }, 180_000);

  it('prints the figures the README shows', () => {
    const shown = (line: RegExp) => {
      const m = line.exec(README);
      expect(m, `README has ${line}`).not.toBeNull();
      return m![0];
    };
    const demo = outputs.get('demo')!;
    for (const line of [/\n2026-10 {2}46,628\.70 .*777/, /\nsupport-copilot {2}20,952\.96 .*/, /\n2026-10 {2}ticket {5}97,445 .*/,
      /Allocation by feature \(effective cost, 2026-10\), amounts in USD/]) {
      expect(demo).toContain(shown(line));
    }
    const units = outputs.get('report unit-economics --month 2026-10')!;
    expect(units).toContain(shown(/\n2026-10 {2}ticket {5}97,445 .*/));
    expect(units).toMatch(/2026-10 USD: spend 46,647\.45 = in the unit types above 42,258\.87/);
    const reconcile = outputs.get('report reconcile --month 2026-10')!;
    for (const line of README.split('\n').filter((l) => / {2}= spend \(EffectiveCost of 2026-10's charges\)/.test(l))) {
      expect(reconcile).toContain(line);
    }
    expect(outputs.get('report variance --month 2026-10 --vs 2026-09')).toContain(shown(/\nTOTAL {10}.*/));
    const budgets = outputs.get('report budgets --month 2026-10')!;
    for (const figure of ['20,952.96', '147,563.60', '2026-12-16', '3,142,431,308', '10,129.32', '120,000.00']) {
      expect(README).toContain(figure);
      expect(budgets).toContain(figure);
    }
    const savings = outputs.get('report savings --month 2026-10')!;
    for (const line of [/\nright-sizing {10}support-copilot .*/, /\nbatch {17}doc-intake .*/, /All of them together: [\d,.]+ USD a month/]) {
      expect(savings).toContain(shown(line).trim());
    }
    expect(budgets).toMatch(/ai-platform-quarterly .* 2026-12-16 +forecast breach/);
    // the anomalies block of the README is the report's rows, each of them and no other
    const anomalies = outputs.get('report anomalies --month 2026-10')!;
    const idLines = (text: string) => text.split('\n').filter((l) => /^[0-9a-f]{12} {2}/.test(l)).map((l) => l.trimEnd());
    const block = README.slice(README.indexOf('Anomalies of daily effective cost by feature, 2026-10'));
    expect(idLines(anomalies)).toEqual(idLines(block.slice(0, block.indexOf('```'))));
    expect(idLines(anomalies)).toHaveLength(7);
  });

  it('every command the demo suggests next runs (serve aside: it keeps running)', async () => {
    const demo = outputs.get('demo')!;
    const next = demo.slice(demo.indexOf('Next, for example:')).split('\n').filter((l) => l.startsWith('  npx tokenledger '))
      .map((l) => l.trim().slice('npx tokenledger '.length).split(/\s+/));
    expect(next.map((a) => a[0])).toEqual(expect.arrayContaining(['check', 'report', 'explain', 'alerts', 'serve']));
    for (const argv of next.filter((a) => a[0] !== 'serve')) {
      if (outputs.has(argv.join(' '))) continue;
      const r = await cli(argv);
      const expected = argv[0] === 'check' ? 1 : argv[0] === 'alerts' ? 2 : 0;
      expect({ argv: argv.join(' '), code: r.code, err: r.err.slice(0, 300) }).toMatchObject({ code: expected });
    }
  }, 180_000);
});
