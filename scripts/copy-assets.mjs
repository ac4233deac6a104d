// Copies the non-TypeScript assets (SQL files) next to the compiled JS, so that
// `dist/` runs on its own. SQL lives beside the TS that runs it (see docs/architecture.md).
import { chmodSync, cpSync, existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.sql')) out.push(p);
  }
  return out;
}
for (const src of walk('src')) {
  const dest = join('dist', src.slice('src/'.length));
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(src, dest);
}

// The bin must be executable whatever order install and build ran in (npx runs it directly).
if (existsSync('dist/cli/main.js')) chmodSync('dist/cli/main.js', 0o755);
