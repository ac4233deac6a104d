// Copies the non-TypeScript assets (SQL files) next to the compiled JS, so that the output folder runs on
// its own. SQL lives beside the TS that runs it (see docs/architecture.md).
// Usage: node scripts/copy-assets.mjs [outDir]   (default dist; the bench build passes dist-bench)
// dist/ is the shipped package: it gets no SQL of the folders tsconfig.json leaves out of it.
import { chmodSync, cpSync, existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

const OUT = process.argv[2] ?? 'dist';
/** Folders whose assets never go to OUT: tsconfig.json leaves src/test-support and src/bench out of dist. */
const SKIP = OUT === 'dist' ? ['src/test-support', 'src/bench'] : ['src/test-support'];
/** Test data, wherever it sits. */
const TEST_DATA = ['__fixtures__', '__golden__'];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!SKIP.includes(p) && !TEST_DATA.includes(name)) walk(p, out);
    } else if (p.endsWith('.sql')) out.push(p);
  }
  return out;
}
for (const src of walk('src')) {
  const dest = join(OUT, src.slice('src/'.length));
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(src, dest);
}

// The bin must be executable whatever order install and build ran in (npx runs it directly).
if (OUT === 'dist' && existsSync('dist/cli/main.js')) chmodSync('dist/cli/main.js', 0o755);
