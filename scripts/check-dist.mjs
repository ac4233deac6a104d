// Checks the built package (dist/, run `npm run build` first; `npm run lint` runs this):
// 1. dist/ holds no test-support/ or bench/ folder (tsconfig.json leaves them out; a stale build would not);
// 2. every import in dist/**/*.js resolves to a file in dist/, a Node builtin, or a package listed in
//    package.json `dependencies`: a devDependency is not installed for a user of the package.
// Usage: node scripts/check-dist.mjs [dist]
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const DIST = resolve(process.argv[2] ?? 'dist');
const NOT_SHIPPED = ['test-support', 'bench'];
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
const devDependencies = new Set(Object.keys(pkg.devDependencies ?? {}));
const builtins = new Set(builtinModules);

if (!existsSync(DIST)) {
  console.error(`check-dist: ${relative('.', DIST)}/ is missing; run \`npm run build\` first`);
  process.exit(2);
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.js')) out.push(p);
  }
  return out;
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

const problems = [];
for (const folder of NOT_SHIPPED) {
  if (existsSync(join(DIST, folder))) problems.push(`${relative('.', join(DIST, folder))}/ exists: src/${folder}/ must not ship`);
}
for (const file of walk(DIST)) {
  const where = relative('.', file);
  // preProcessFile lists static imports, re-exports, dynamic import('...') with a literal and require('...').
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName: spec } of importedFiles) {
    if (spec.startsWith('.') || spec.startsWith('/')) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(DIST + sep)) problems.push(`${where}: '${spec}' points outside ${relative('.', DIST)}/`);
      else if (!existsSync(target) || !statSync(target).isFile()) problems.push(`${where}: '${spec}' does not resolve to a file`);
      else if (NOT_SHIPPED.some((f) => target.startsWith(join(DIST, f) + sep))) problems.push(`${where}: '${spec}' is not shipped code`);
    } else if (spec.startsWith('node:') || builtins.has(spec)) {
      // a Node builtin
    } else {
      const name = packageName(spec);
      if (dependencies.has(name)) continue;
      const kind = devDependencies.has(name) ? 'a devDependency' : 'not in dependencies';
      problems.push(`${where}: '${spec}' is ${kind} (users of the package do not have it)`);
    }
  }
}

if (problems.length > 0) {
  console.error(`check-dist: ${problems.length} problem(s) in ${relative('.', DIST)}/:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-dist: ${walk(DIST).length} files in ${relative('.', DIST)}/ import only dist/, Node builtins and dependencies`);
