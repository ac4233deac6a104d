/**
 * `tokenledger serve`: the dashboard and JSON API over the store. Checks the store can be read (then
 * closes it: requests open it read-only one at a time), prints the URL, and runs until SIGINT or
 * SIGTERM (or `o.signal`, for tests), then stops listening and returns. With --watch DIR, exports that
 * land in the folder are ingested by a child `tokenledger ingest focus` (server/watch.ts). Unless --no-warm,
 * the overview is computed in the background for each principal's scope at start and after every change
 * of the store (server/warm.ts), so the first leader to open it is answered from what was kept.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig, storePath, withLedger, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { UsageError } from '../../domain/errors.js';
import { AccessLog } from '../../server/access-log.js';
import { checkListen, isLoopback, listen } from '../../server/listen.js';
import { loadCharts } from '../../server/pages.js';
import { Warmer } from '../../server/warm.js';
import { FolderWatch, type IngestRun } from '../../server/watch.js';

export interface ServeOptions extends GlobalOptions {
  host: string;
  port: string;
  tlsCert?: string;
  tlsKey?: string;
  behindProxy?: boolean;
  accessLog?: string;
  watch?: string;
  watchInterval?: string;
  /** `--no-warm` sets it false: the overview is not computed in the background after each change. */
  warm?: boolean;
}

/** How often the server looks whether the store changed, to compute the overview again (server/warm.ts). */
const WARM_POLL_MS = 2000;

/** `serve --watch`: the folder, checked now (a clear error at start), and the ingest a cron job would run, as a child process. */
function folderWatch(o: ServeOptions, store: string, configPath: string | null, fx: Effects): FolderWatch | null {
  if (o.watch === undefined) return null;
  const dir = resolve(fx.cwd, o.watch);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--watch ${o.watch}: no such folder`);
  const seconds = Number(o.watchInterval ?? '30');
  if (!/^\d+(\.\d+)?$/.test(o.watchInterval ?? '30') || seconds < 0.1 || seconds > 86_400) {
    throw new UsageError(`--watch-interval ${o.watchInterval}: expected seconds between 0.1 and 86400`);
  }
  const bin = fileURLToPath(new URL('../main.js', import.meta.url));
  const base = ['--store', store, ...(configPath ? ['--config', configPath] : [])];
  const ingest = (paths: string[]) => new Promise<IngestRun>((done) => {
    const child = spawn(process.execPath, [bin, ...base, 'ingest', 'focus', ...paths, '--quiet'],
      { cwd: fx.cwd, env: { ...fx.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? 4, stdout, stderr }));
    child.on('error', (e) => done({ code: 4, stdout, stderr: `error: ${e.message}` }));
  });
  return new FolderWatch(dir, seconds * 1000, ingest);
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
  const watch = folderWatch(o, store, config.path, fx);
  const log = new AccessLog(o.accessLog ? resolve(fx.cwd, o.accessLog) : resolve(dirname(store), 'access-log.jsonl'));
  // 2. a signal that arrives from now on stops the server cleanly, even one sent as soon as the URL is printed
  const stopped = new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    control.signal?.addEventListener('abort', stop, { once: true });
  });
  const backend = { g: { ...o, store }, config, fx, log, watch: watch ?? undefined };
  const running = await listen(backend, listenOptions);
  const warmer = o.warm === false ? null : new Warmer(backend, store, WARM_POLL_MS, (r) => fx.stdout(r.stopped
    ? `overview: background computation stopped after ${r.callers} scope(s) (a writer wanted the store, or it changed)\n`
    : r.refused !== undefined
      ? `overview: answered ${r.refused} (the page says why), not kept; computed again after the store changes\n`
      : `overview: computed for ${r.callers} scope(s) in ${(r.ms / 1000).toFixed(1)} s, kept until the store changes\n`));
  fx.stdout(`tokenledger serve: ${running.url}\n`);
  fx.stdout(config.access
    ? `access: ${config.access.principals.length} principal(s) from ${config.path}; access log ${log.path}\n`
    : `no access: in tokenledger.yaml, so only this machine can connect (loopback${isLoopback(o.host) ? '' : '?'}); ` +
      'add principals with `tokenledger access add`\n');
  if (watch) fx.stdout(`watching ${watch.status().dir} every ${watch.status().interval_seconds} s for FOCUS exports\n`);
  fx.stdout('Ctrl-C stops it.\n');
  control.onListening?.(running.url);
  watch?.start();
  warmer?.start();
  loadCharts().catch(() => undefined); // the slowest import, loaded now that the URL is out (a page load retries it)
  // 3. until a signal (listened for since before the URL was printed)
  await stopped;
  await watch?.stop();
  await warmer?.stop();
  await running.close();
  fx.stdout('tokenledger serve: stopped\n');
}
