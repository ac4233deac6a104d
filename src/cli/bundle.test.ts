/**
 * The installed program is the bundle `npm run build` writes to dist/bin/ (scripts/bundle.mjs), not the
 * compiled modules under dist/cli/. It must answer exactly as they do: the same reports from the same store,
 * the same located errors and exit codes, and the files our modules find beside themselves (SQL, package.json,
 * reference YAML) found from inside its chunks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/focus-fixture.js';
import { BIN, ext, REPO_ROOT } from '../test-support/paths.js';

const UNBUNDLED = join(REPO_ROOT, 'dist', 'cli', 'main.js');

function cli(program: string, args: string[], cwd: string) {
  return spawnSync(process.execPath, [program, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
}

describe('the bundled program (dist/bin/tokenledger.js)', () => {
  it('holds our modules and the packages every command loads in its own chunks', () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(join(REPO_ROOT, pkg.bin.tokenledger ?? '')).toBe(BIN);
    const chunks = readdirSync(join(REPO_ROOT, 'dist', 'bin')).filter((f) => f.endsWith('.js'));
    const imports = chunks.flatMap((f) =>
      [
        ...readFileSync(join(REPO_ROOT, 'dist', 'bin', f), 'utf8').matchAll(/(?:^|\n)(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/g),
      ].map((m) => m[1]!),
    );
    expect(imports).toContain('node:fs');
    expect(imports).toContain('jsdom'); // the packages of a few commands stay in node_modules
    // an import of ../ would load the unbundled modules; commander, zod, yaml and node-api are inside
    expect(imports.filter((s) => s.startsWith('..'))).toEqual([]);
    expect(imports.filter((s) => /^(commander|zod|yaml|@duckdb\/node-api)(\/|$)/.test(s))).toEqual([]);
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('ingests and reports as the unbundled command line does, byte for byte', () => {
    const outputs = [BIN, UNBUNDLED].map((program) => {
      const dir = tempDir('tl-bundle-');
      const ingest = cli(program, ['ingest', 'focus', ext('focus-1.0-sample', 'focus_sample.csv'), '--quiet'], dir);
      expect(ingest.status, ingest.stderr).toBe(0);
      writeFileSync(join(dir, 'tokenledger.yaml'), 'checks:\n  accept:\n    - { check: missing-days, reason: a sample with gaps }\n');
      return ['summary', 'meter-matrix', 'gpu', 'ingestions'].map((report) => {
        const r = cli(program, ['report', report, '--format', 'json', '--today', '2026-12-01'], dir);
        expect(r.status, `${report}: ${r.stderr}`).toBe(0);
        // the ingestion's id and the file's path name the folder the store is in
        return r.stdout
          .replaceAll(dir, '<dir>')
          .replace(/"at":"[^"]+"/g, '"at":"<time>"')
          .replace(/"ingestion_id":"[^"]+"/g, '"ingestion_id":"<id>"');
      });
    });
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]!.every((o) => o.startsWith('{"report":'))).toBe(true);
  }, 240_000);

  it('gives a located error and exit 2 for a bad file, and the version from package.json', () => {
    const dir = tempDir('tl-bundle-bad-');
    writeFileSync(join(dir, 'bad.csv'), 'BilledCost,ChargePeriodStart\nnot-a-number,2026-10-01\n');
    const r = cli(BIN, ['ingest', 'focus', 'bad.csv'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv, line 1: missing required FOCUS column\(s\) EffectiveCost/);
    const version = cli(BIN, ['--version'], dir);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  }, 120_000);
});
