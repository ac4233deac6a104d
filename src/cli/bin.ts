#!/usr/bin/env node
/**
 * The installed program (package.json bin). `npm run build` bundles this file with the command line, its
 * SQL-running code and the packages every command loads into dist/bin/ (scripts/bundle.mjs), so that a
 * report's process compiles a few files instead of some two hundred modules: node's module loading was
 * about a third of a small report's whole process (docs/benchmarks.md). `node dist/cli/main.js` runs the
 * same command line unbundled.
 */
import { runProgram } from './main.js';

await runProgram();
