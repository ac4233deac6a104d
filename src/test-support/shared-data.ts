/**
 * vitest global setup: the tests read real public data from ../shared/data/external (beside the checkout,
 * as CI provides it). Without it, dozens of tests would fail with bare ENOENT errors; this says once what is
 * missing and how to provide it (TOKENLEDGER_EXTERNAL_DATA points elsewhere).
 */
import { existsSync } from 'node:fs';
import { EXTERNAL } from './paths.js';

export default function setup(): void {
  if (!existsSync(EXTERNAL)) {
    throw new Error(`the tests read real public data from ${EXTERNAL}, which is missing: put the shared data folder beside the ` +
      'checkout (../shared/data/external, as CI does), or set TOKENLEDGER_EXTERNAL_DATA to where it is');
  }
}
