/**
 * The server process of the latency benchmark (bench/serve.ts): `node serve-child.js STORE CONFIG` starts
 * the same application `tokenledger serve` runs, on a free loopback port, prints `url <URL>` and serves
 * until SIGTERM. The access log goes beside the store, as it would.
 */
import { dirname, join } from 'node:path';
import { processEffects } from '../app/effects.js';
import { loadConfig } from '../config/config.js';
import { AccessLog } from '../server/access-log.js';
import { listen } from '../server/listen.js';
import { loadCharts } from '../server/pages.js';

const [store, configFile] = process.argv.slice(2) as [string, string];
const config = loadConfig(configFile);
const running = await listen({ g: { store, config: configFile }, config, fx: processEffects(),
  log: new AccessLog(join(dirname(store), 'bench-access-log.jsonl')) }, { host: '127.0.0.1', port: 0 });
process.stdout.write(`url ${running.url}\n`);
void loadCharts(); // as `tokenledger serve` does once its URL is out
process.once('SIGTERM', () => void running.close().then(() => process.exit(0)));
