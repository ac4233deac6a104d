/**
 * The server process of the latency benchmark (bench/serve.ts): `node serve-child.js STORE CONFIG [warm]` starts
 * the same application `tokenledger serve` runs, on a free loopback port, prints `url <URL>` and serves
 * until SIGTERM. The access log goes beside the store, as it would. With `warm` it also computes the overview
 * in the background as `tokenledger serve` does (server/warm.ts) and prints `warmed <ms>` when a round ends.
 */
import { dirname, join } from 'node:path';
import { processEffects } from '../app/effects.js';
import { loadConfig } from '../config/config.js';
import { AccessLog } from '../server/access-log.js';
import { listen } from '../server/listen.js';
import { loadCharts } from '../server/pages.js';
import { Warmer } from '../server/warm.js';

const [store, configFile, warm] = process.argv.slice(2) as [string, string, string | undefined];
const config = loadConfig(configFile);
const backend = { g: { store, config: configFile }, config, fx: processEffects(),
  log: new AccessLog(join(dirname(store), 'bench-access-log.jsonl')) };
const running = await listen(backend, { host: '127.0.0.1', port: 0 });
process.stdout.write(`url ${running.url}\n`);
if (warm === 'warm') {
  new Warmer(backend, store, 2000, (r) => process.stdout.write(`warmed ${
    r.stopped ? 'stopped' : r.refused !== undefined ? `refused ${r.refused}` : r.ms.toFixed(0)}\n`)).start();
}
void loadCharts(); // as `tokenledger serve` does once its URL is out
process.once('SIGTERM', () => void running.close().then(() => process.exit(0)));
