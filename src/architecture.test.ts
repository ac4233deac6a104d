/**
 * The import boundaries between folders, checked on every src/**\/*.ts file by resolving its imports
 * (type-only and dynamic ones included). eslint.config.js enforces the same boundaries with
 * no-restricted-imports; this test proves them whatever the linter config says.
 *
 * "Shipped" code is what `npm run build` puts in dist/: not tests, not src/test-support, not src/bench.
 * Tests may use any folder to check what they test (a domain test may read the demo's columns), but not
 * src/cli (nothing outside src/cli does).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './test-support/paths.js';

interface Import {
  /** the importing file, e.g. src/allocate/allocate.ts */
  from: string;
  /** the imported file, e.g. src/report/options.ts */
  to: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every import of a project file by a project file; `./x.js` names the file x.ts. */
function projectImports(): Import[] {
  const imports: Import[] = [];
  for (const file of sourceFiles(join(REPO_ROOT, 'src'))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue; // a package or a Node builtin
      const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
      imports.push({ from: relative(REPO_ROOT, file), to: relative(REPO_ROOT, target) });
    }
  }
  return imports;
}

const IMPORTS = projectImports();
const isTest = (f: string) => f.endsWith('.test.ts') || f.endsWith('.case.ts') || f.includes('/__fixtures__/');
const inside = (f: string, ...folders: string[]) => folders.some((folder) => f.startsWith(`src/${folder}/`));
const shipped = (f: string) => !isTest(f) && !inside(f, 'test-support', 'bench');

/** The imports breaking a boundary, as "from -> to", sorted. */
function violations(applies: (from: string) => boolean, forbidden: (to: string) => boolean): string[] {
  return IMPORTS.filter((i) => applies(i.from) && forbidden(i.to))
    .map((i) => `${i.from} -> ${i.to}`)
    .sort();
}

describe('import boundaries', () => {
  it('reads the imports, dynamic ones too', () => {
    // guards the parser: a checker that saw no imports would pass every boundary
    expect(IMPORTS.length).toBeGreaterThan(200);
    expect(IMPORTS.some((i) => i.from === 'src/cli/main.ts' && i.to.startsWith('src/cli/commands/'))).toBe(true);
  });

  it('src/domain imports nothing from the project outside domain', () => {
    expect(
      violations(
        (f) => shipped(f) && inside(f, 'domain'),
        (t) => !inside(t, 'domain'),
      ),
    ).toEqual([]);
  });

  it('src/allocate and src/check import nothing from src/report', () => {
    expect(
      violations(
        (f) => shipped(f) && inside(f, 'allocate', 'check'),
        (t) => inside(t, 'report'),
      ),
    ).toEqual([]);
  });

  const SOURCES = ['events', 'telemetry', 'focus', 'capacity'];
  for (const source of SOURCES) {
    const otherFolders = SOURCES.filter((s) => s !== source).map((o) => `ingest/${o}`);
    const others = otherFolders.map((o) => `src/${o}`).join(' or ');
    it(`src/ingest/${source} imports nothing from ${others} (src/ingest/common is shared)`, () => {
      expect(
        violations(
          (f) => shipped(f) && inside(f, `ingest/${source}`),
          (t) => inside(t, ...otherFolders),
        ),
      ).toEqual([]);
    });
  }

  it('nothing outside src/cli imports from src/cli', () => {
    expect(
      violations(
        (f) => !inside(f, 'cli'),
        (t) => inside(t, 'cli'),
      ),
    ).toEqual([]);
  });

  it('src/server (the web server, over src/app) is imported by src/cli only, among shipped code', () => {
    expect(
      violations(
        (f) => shipped(f) && !inside(f, 'cli', 'server'),
        (t) => inside(t, 'server'),
      ),
    ).toEqual([]);
    expect(IMPORTS.some((i) => i.from === 'src/server/api.ts' && i.to === 'src/app/report.ts')).toBe(true);
  });

  it('shipped code imports nothing from src/test-support or src/bench', () => {
    expect(violations(shipped, (t) => inside(t, 'test-support', 'bench'))).toEqual([]);
  });

  it('shipped code takes @duckdb/node-api and yaml from store/packages.ts only (require: no ESM parse of every file)', () => {
    const runtime = /^import\s+(?!type\b)[^;]*?from\s+'(@duckdb\/node-api|yaml)'/m;
    const files = sourceFiles(join(REPO_ROOT, 'src')).map((f) => relative(REPO_ROOT, f)).filter(shipped);
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => runtime.test(readFileSync(join(REPO_ROOT, f), 'utf8')))).toEqual([]);
    expect(readFileSync(join(REPO_ROOT, 'src/store/packages.ts'), 'utf8')).toMatch(/load\('@duckdb\/node-api'\)/);
  });
});
