/**
 * `tokenledger serve`: the dashboard and JSON API over the store. Checks the store can be read (then
 * closes it: requests open it read-only one at a time), prints the URL, and runs until SIGINT or
 * SIGTERM (or `o.signal`, for tests), then stops listening and returns.
 */
import { dirname, resolve } from 'node:path';
import { resolveConfig, storePath, withLedger, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { UsageError } from '../../domain/errors.js';
import { AccessLog } from '../../server/access-log.js';
import { checkListen, isLoopback, listen } from '../../server/listen.js';
import { loadCharts } from '../../server/pages.js';

export interface ServeOptions extends GlobalOptions {
  host: string;
  port: string;
  tlsCert?: string;
  tlsKey?: string;
  behindProxy?: boolean;
  accessLog?: string;
}

export async function runServe(o: ServeOptions, fx: Effects, control: { signal?: AbortSignal; onListening?: (url: string) => void } = {})
  : Promise<void> {
  const config = resolveConfig(o, fx);
  const port = Number(o.port);
  if (!/^\d+$/.test(o.port)) throw new UsageError(`--port ${o.port}: expected a port 0-65535`);
  const listenOptions = { host: o.host, port, tlsCert: o.tlsCert, tlsKey: o.tlsKey, behindProxy: o.behindProxy };
  checkListen({ config }, listenOptions);
  const store = storePath(o, config, fx);
  // 1. the store must be there and readable now (a clear error at start, not on the first page)
  await withLedger(o, fx, async () => undefined, { config });
  const log = new AccessLog(o.accessLog ? resolve(fx.cwd, o.accessLog) : resolve(dirname(store), 'access-log.jsonl'));
  // 2. a signal that arrives from now on stops the server cleanly, even one sent as soon as the URL is printed
  const stopped = new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    control.signal?.addEventListener('abort', stop, { once: true });
  });
  const running = await listen({ g: { ...o, store }, config, fx, log }, listenOptions);
  fx.stdout(`tokenledger serve: ${running.url}\n`);
  fx.stdout(config.access
    ? `access: ${config.access.principals.length} principal(s) from ${config.path}; access log ${log.path}\n`
    : `no access: in tokenledger.yaml, so only this machine can connect (loopback${isLoopback(o.host) ? '' : '?'}); ` +
      'add principals with `tokenledger access add`\n');
  fx.stdout('Ctrl-C stops it.\n');
  control.onListening?.(running.url);
  loadCharts().catch(() => undefined); // the slowest import, loaded now that the URL is out (a page load retries it)
  // 3. until a signal (listened for since before the URL was printed)
  await stopped;
  await running.close();
  fx.stdout('tokenledger serve: stopped\n');
}
