/**
 * The crash test every ingest kind runs (src/cli/crash-*.test.ts, one kind per file so they run side by side):
 * the built CLI is killed at the suite's trace points (crash.ts SUITE_POINTS); after every kill a reader
 * succeeds and the store is exactly before or after, and a re-run is exact. The reader and the re-run use
 * the CLI runner the test file passes in (test-support may not import the command line).
 */
import { describe, expect, it } from 'vitest';
import { runCrashCase, SUITE_POINTS, suiteCases, type CliRunner } from './crash.js';

export function describeCrashCase(kind: 'replacement' | 'telemetry' | 'events', cli: CliRunner): void {
  const crash = suiteCases()[kind];
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
}
