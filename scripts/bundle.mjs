// Bundles the command line into dist/bin/ (the package's bin), after tsc and copy-assets (`npm run build`).
// Why: a report's whole process on the year bench spent about a third of its time in node's module loader
// (resolving, reading and compiling some 60 of our modules and 130 of the packages'); the bundle is a
// few dozen chunks, loaded as each command needs them (the commands stay dynamic imports).
// 1. Input: dist/cli/bin.js, the compiled program; our modules and the packages every command loads
//    (BUNDLED) go into the chunks; every other package stays an import from node_modules, as in dist/.
// 2. Each of our modules' `import.meta.url` becomes the URL of its own file in dist/, so that what it
//    finds beside itself (SQL files, package.json, reference YAML) is found as when it runs unbundled.
// 3. store/packages.js takes the CommonJS packages with `require` (store/packages.ts says why); in the
//    bundle, each `load('<package>')` of a BUNDLED package becomes the bundled package itself.
// Usage: node scripts/bundle.mjs   (reads dist/, writes dist/bin/)
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { relative, resolve, sep } from 'node:path';
import { rolldown } from 'rolldown';

const DIST = resolve('dist');
const OUT = resolve(DIST, 'bin');
const ENTRY = resolve(DIST, 'cli', 'bin.js');
/** Packages loaded by (nearly) every command: their files are compiled into the bundle. */
const BUNDLED = ['commander', 'zod', 'yaml', '@duckdb/node-api'];
const PACKAGES = resolve(DIST, 'store', 'packages.js');

if (!existsSync(ENTRY)) {
  console.error('bundle: dist/cli/bin.js is missing; run tsc first (npm run build)');
  process.exit(2);
}

const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
const builtins = new Set(builtinModules);
/** Node builtins and every package but BUNDLED stay imports (a bundled package's own imports included). */
function external(spec) {
  if (spec.startsWith('node:') || builtins.has(spec)) return true;
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('\0')) return false;
  return !BUNDLED.includes(packageOf(spec));
}

const plugin = {
  name: 'tokenledger-dist',
  transform(code, id) {
    if (!id.startsWith(DIST + sep)) return null;
    let out = code;
    // 3. the CommonJS packages, required at run time unbundled, imported here
    if (id === PACKAGES) {
      const names = [];
      out = out.replace(/\bload\('([^']+)'\)/g, (call, name) => {
        if (!BUNDLED.includes(name)) return call;
        names.push(name);
        return `__bundled${names.indexOf(name)}`;
      });
      if (names.length === 0) throw new Error("bundle: store/packages.js no longer loads a BUNDLED package with load('...')");
      out = names.map((n, i) => `import * as __bundled${i} from ${JSON.stringify(n)};`).join('\n') + '\n' + out;
    }
    // 2. the module's own URL in dist/, relative to the chunk (every chunk is in dist/bin/)
    const rel = relative(OUT, id).split(sep).join('/');
    out = out.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
    return out === code ? null : { code: out, map: null };
  },
};

rmSync(OUT, { recursive: true, force: true });
const bundle = await rolldown({ input: ENTRY, platform: 'node', external, plugins: [plugin], logLevel: 'warn' });
await bundle.write({ dir: OUT, format: 'esm', entryFileNames: 'tokenledger.js', chunkFileNames: '[name]-[hash].js', sourcemap: true });
await bundle.close();
// The bin must be executable whatever order install and build ran in (npx runs it directly).
chmodSync(resolve(OUT, 'tokenledger.js'), 0o755);
