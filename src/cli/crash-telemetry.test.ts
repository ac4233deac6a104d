/**
 * Crash safety, end to end (telemetry ingest): the built CLI (`npm run build` first) is killed with SIGKILL
 * inside the ingest transaction, as its COMMIT starts (the kill lands in it or just before), after the COMMIT before
 * the row numbering, and during the allocation rebuild if any (test-support/crash.ts SUITE_POINTS, found from its
 * statement trace). After every kill a reader succeeds and the store is exactly the state before or after;
 * the ingest run again gives exactly the after state, with a current allocation. One case per file, so
 * the three run side by side; the 300,000-row export whose COMMIT DuckDB tears is `npm run crash`.
 */
import { memoryEffects } from '../app/effects.js';
import { describeCrashCase } from '../test-support/crash-suite.js';
import type { CliRunner } from '../test-support/crash.js';
import { run } from './main.js';

/** The reader and the re-run in this process (the killed ingest is the built bin). */
const cli: CliRunner = async (args, cwd) => {
  const fx = memoryEffects({ cwd, env: { TZ: 'UTC' } });
  const code = await run(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
};

describeCrashCase('telemetry', cli);
