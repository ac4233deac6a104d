/** Paths to the real external data in ../shared/data/external, used as-is by tests and benchmarks. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTERNAL = process.env.TOKENLEDGER_EXTERNAL_DATA ?? resolve(REPO_ROOT, '..', 'shared', 'data', 'external');
export const ext = (...p: string[]) => join(EXTERNAL, ...p);
/** The installed program, bundled by `npm run build` (scripts/bundle.mjs); what package.json's bin runs. */
export const BIN = join(REPO_ROOT, 'dist', 'bin', 'tokenledger.js');
