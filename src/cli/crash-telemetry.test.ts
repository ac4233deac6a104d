/**
 * Crash safety, end to end (telemetry ingest): the built CLI (`npm run build` first) is killed with SIGKILL
 * inside the ingest transaction, as its COMMIT starts (the kill lands in it or just before), after the COMMIT before
 * the row numbering, and during the allocation rebuild if any (test-support/crash.ts SUITE_POINTS, found from its
 * statement trace). After every kill a reader succeeds and the store is exactly the state before or after;
 * the ingest run again gives exactly the after state, with a current allocation. One case per file, so
 * the three run side by side; the 300,000-row export whose COMMIT DuckDB tears is `npm run crash`.
 */
import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { runCrashCase, SUITE_POINTS, suiteCases, type CliRunner } from '../test-support/crash.js';
import { run } from './main.js';

/** The reader and the re-run in this process (the killed ingest is the built bin). */
const cli: CliRunner = async (args, cwd) => {
  const fx = memoryEffects({ cwd, env: { TZ: 'UTC' } });
  const code = await run(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
};

const crash = suiteCases().telemetry;

describe('kill -9 at any point of an ingest: the store is before or after, a re-run is exact', () => {
  it(crash.name, async () => {
    const r = await runCrashCase(crash, () => SUITE_POINTS, { cli });
    expect(r.outcomes.length).toBeGreaterThanOrEqual(3);
    // the points reach both sides of the COMMIT
    expect(r.outcomes.filter((o) => o.state === 'before').length).toBeGreaterThan(0);
    expect(r.outcomes.filter((o) => o.state === 'after').length).toBeGreaterThan(0);
    expect(r.outcomes.filter((o) => !o.killed).map((o) => o.point)).toEqual([]);
  }, 180_000);
});
