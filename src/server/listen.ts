/**
 * Starting and stopping the server. Without `access:` in tokenledger.yaml it binds loopback only and
 * says so; a non-loopback --host without access is refused before anything listens. The store is not
 * opened here: each request opens it read-only and closes it (api.ts), so an ingest in another process
 * finds it free whenever the server is idle. TLS with --tls-cert/--tls-key.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { UsageError } from '../domain/errors.js';
import type { Backend } from './api.js';
import { createApp } from './app.js';
import { isLoopback } from './hosts.js';

export { isLoopback };

export interface ListenOptions {
  host: string;
  port: number;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  behindProxy?: boolean | undefined;
}

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Refuse what may not start: a public address without access control, half a TLS pair, a bad port. */
export function checkListen(b: Pick<Backend, 'config'>, o: ListenOptions): void {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new UsageError(`--port ${o.port}: expected a port 0-65535`);
  if (!b.config.access && !isLoopback(o.host)) {
    throw new UsageError(`--host ${o.host}: without access: in tokenledger.yaml the server listens on loopback only (127.0.0.1)`,
      'Add principals with `tokenledger access add NAME --role viewer --team TEAM`, then serve on another address.');
  }
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) throw new UsageError('--tls-cert and --tls-key go together');
}

export async function listen(b: Backend, o: ListenOptions): Promise<Running> {
  checkListen(b, o);
  const tls = Boolean(o.tlsCert && o.tlsKey);
  const app = createApp(b, { tls, behindProxy: o.behindProxy });
  const server = await new Promise<ServerType>((resolvePromise, reject) => {
    const s: ServerType = serve({
      fetch: app.fetch, hostname: o.host, port: o.port,
      ...(tls ? { createServer: createHttpsServer, serverOptions: { cert: readFileSync(o.tlsCert!), key: readFileSync(o.tlsKey!) } } : {}),
    }, () => resolvePromise(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `${tls ? 'https' : 'http'}://${shown}:${port}/`,
    port,
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}
