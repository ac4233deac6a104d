/**
 * The JSON API, over the application layer the CLI uses: a report's answer is exactly what
 * `tokenledger report <name> --format json` prints (same request building, same gate, same rendering),
 * on a store opened read-only for this request only (withLedger), with the caller's scope as the
 * Ledger's scope. Errors carry the CLI's message: usage 400, scope parameter or role 403, store busy 503.
 * An answer is kept for the same request and scope until the store's files change (answer-cache.ts).
 *
 *   GET /api/reports/<name>?<report options>   GET /api/explain/<kind>?<explain options>
 *   GET /api/status?month=&from=&to=&today=    GET /api/access-log (admin)   GET /api/config (admin)
 */
import { gzipSync } from 'node:zlib';
import { storePath, withLedger, type GlobalOptions } from '../app/context.js';
import type { Effects } from '../app/effects.js';
import { answerReport, formatReport, prepareReport, requestBase } from '../app/report.js';
import type { Config } from '../config/config.js';
import { ExitCode, TokenledgerError, UsageError } from '../domain/errors.js';
import { parsePeriod, parseToday } from '../domain/period.js';
import { explainRequest, runExplainRequest } from '../report/explain.js';
import type { Ledger } from '../ledger/ledger.js';
import { isReportName } from '../report/registry.js';
import { render, type Format, type Report } from '../report/render.js';
import type { AccessLog } from './access-log.js';
import { AnswerCache, cacheKey } from './answer-cache.js';
import { mayAdminister, mayExplain, mayReport } from './policy.js';
import type { WatchStatus } from './watch.js';
import { EXPLAIN_OPTIONS, queryOptions, REPORT_OPTIONS, ScopeParamError, SCOPE_PARAMS, type QueryOptions } from './params.js';
import { scopeText, type Caller } from './principals.js';

/** What the server reads with: the store and configuration it was started with, and the process's effects. */
export interface Backend {
  g: GlobalOptions;
  config: Config;
  fx: Effects;
  log: AccessLog;
  /** `serve --watch DIR`: the folder watch whose status the dashboard shows. */
  watch?: { status(): WatchStatus } | undefined;
}

export interface Answer {
  status: number;
  type: string;
  body: string;
  /** The body gzipped, for a client that accepts it (large kept reports: compressed once, app.ts send). */
  gzip?: (() => Uint8Array) | undefined;
  headers?: Record<string, string>;
}

/** Refused for a reason the caller can act on; `status` is the HTTP status. */
export class Refusal extends Error {
  constructor(readonly status: number, message: string, readonly hint?: string) {
    super(message);
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonAnswer(status: number, value: unknown): Answer {
  return { status, type: JSON_TYPE, body: JSON.stringify(value, null, 2) + '\n' };
}

/** An error as the CLI would say it (`error: <message>`, `hint: <hint>`), with the HTTP status it means. */
export function errorAnswer(e: unknown, caller: Caller | null, fx: Pick<Effects, 'stderr'>): Answer {
  if (e instanceof Refusal) return jsonAnswer(e.status, { error: e.message, ...(e.hint ? { hint: e.hint } : {}) });
  if (e instanceof ScopeParamError) return jsonAnswer(403, { error: e.message });
  if (e instanceof TokenledgerError && e.exitCode === ExitCode.BadInput) {
    return jsonAnswer(400, { error: e.message, ...(e.hint ? { hint: e.hint } : {}) });
  }
  if (e instanceof TokenledgerError && e.exitCode === ExitCode.Store) {
    // the store's path and state are for those who run it; a viewer learns only to come back
    if (caller && caller.role !== 'viewer') {
      return { ...jsonAnswer(503, { error: e.message, ...(e.hint ? { hint: e.hint } : {}) }), headers: { 'Retry-After': '2' } };
    }
    return { ...jsonAnswer(503, { error: 'the ledger is not available right now (it is being written); try again in a moment' }),
      headers: { 'Retry-After': '2' } };
  }
  fx.stderr(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  return jsonAnswer(500, { error: 'internal error (the server log has the details)' });
}

function formatOf(o: QueryOptions): Format {
  return (o.format ?? 'json') as Format;
}

/** Each server's kept answers (answer-cache.ts); TOKENLEDGER_SERVE_CACHE=0 turns them off. */
const caches = new WeakMap<Backend, AnswerCache>();

export function answerCache(b: Backend): AnswerCache {
  let c = caches.get(b);
  if (!c) {
    // room for what the background keeps (a few answers per principal's overview, server/warm.ts) and more
    const room = Math.max(64, 8 * (b.config.access?.principals.length ?? 1));
    c = new AnswerCache(storePath(b.g, b.config, b.fx), b.fx.env.TOKENLEDGER_SERVE_CACHE === '0' ? 0 : room);
    caches.set(b, c);
  }
  return c;
}

/** `fn` over the caller's ledger, read-only, kept for the same request and scope while the store is unchanged. */
function cachedRead<T>(b: Backend, caller: Caller, kind: string, request: unknown, fn: (ledger: Ledger) => Promise<T>): Promise<T> {
  return answerCache(b).get(cacheKey(kind, caller.scope, request),
    () => withLedger(b.g, b.fx, fn, { config: b.config, scope: caller.scope }));
}

/** Rendered bodies of kept reports, per format: a large report (token-drift) is serialized once. */
const rendered = new WeakMap<Report, Map<Format, string>>();
const gzipped = new WeakMap<Report, Map<Format, Uint8Array>>();

/** Bodies from this size on are offered gzipped (token-drift's JSON on the year store is 25 MB; gzip makes it ~1/10). */
export const GZIP_FROM_BYTES = 64 * 1024;

/** The rendered body of a report gzipped, once per report and format (level 1: most of the gain for little time). */
function gzippedBody(report: Report, format: Format, body: string): Uint8Array {
  let m = gzipped.get(report);
  if (!m) gzipped.set(report, (m = new Map<Format, Uint8Array>()));
  let z = m.get(format);
  if (z === undefined) {
    z = gzipSync(body, { level: 1 });
    m.set(format, z);
  }
  return z;
}

function renderedBody(report: Report, format: Format): string {
  let m = rendered.get(report);
  if (!m) rendered.set(report, (m = new Map<Format, string>()));
  let body = m.get(format);
  if (body === undefined) {
    body = report.name.startsWith('explain-') ? render(report, format) : formatReport(report, format);
    m.set(format, body);
  }
  return body;
}

/** A rendered report as the answer of its format: JSON, CSV (a download) or the text table. */
export function reportAnswer(report: Report, format: Format, fileStem: string): Answer {
  const body = renderedBody(report, format);
  const gzip = body.length >= GZIP_FROM_BYTES ? () => gzippedBody(report, format, body) : undefined;
  if (format === 'json') return { status: 200, type: JSON_TYPE, body, gzip };
  if (format === 'csv') {
    return { status: 200, type: 'text/csv; charset=utf-8', body, gzip,
      headers: { 'Content-Disposition': `attachment; filename="${fileStem.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"` } };
  }
  return { status: 200, type: 'text/plain; charset=utf-8', body, gzip };
}

/** The report `name` for the caller: the same Report object the CLI renders. */
export async function callerReport(b: Backend, caller: Caller, name: string, o: QueryOptions): Promise<Report> {
  if (isReportName(name) && !mayReport(caller.role, name)) {
    throw new Refusal(403, `report ${name} is not open to the ${caller.role} role`);
  }
  const request = prepareReport(b.config, name, o, b.fx);
  return cachedRead(b, caller, 'report', request, (ledger) => answerReport(ledger, request));
}

export async function callerExplain(b: Backend, caller: Caller, kind: string, o: QueryOptions): Promise<Report> {
  if (!mayExplain(caller.role)) throw new Refusal(403, `explain is not open to the ${caller.role} role`);
  const request = explainRequest(kind, requestBase(b.config, o, b.fx), o);
  return cachedRead(b, caller, 'explain', request, (ledger) => runExplainRequest(ledger, request));
}

export interface StatusAnswer {
  line: string;
  complete_through: string | null;
  open_periods: string[];
  problems: string[];
  principal: string;
  role: string;
  scope: string;
}

export async function callerStatus(b: Backend, caller: Caller, query: URLSearchParams): Promise<StatusAnswer> {
  const allowed = ['month', 'from', 'to', 'today'];
  for (const k of query.keys()) {
    if (SCOPE_PARAMS.includes(k.toLowerCase())) throw new ScopeParamError(k);
    if (!allowed.includes(k)) throw new UsageError(`unknown option '--${k}'`);
  }
  const period = parsePeriod({ month: query.get('month') ?? undefined, from: query.get('from') ?? undefined,
    to: query.get('to') ?? undefined });
  const today = parseToday(query.get('today') ?? undefined, b.fx.env.TOKENLEDGER_TODAY, b.fx.now());
  const s = await cachedRead(b, caller, 'status', { period, today }, (ledger) => ledger.status(period, today));
  return { line: s.line, complete_through: s.complete_through, open_periods: s.open_periods, problems: s.problems,
    principal: caller.name, role: caller.role, scope: scopeText(caller.scope) };
}

/** The configuration as the administrator sees it: token hashes left out. */
function configView(config: Config): unknown {
  const access = config.access
    ? { principals: config.access.principals.map(({ token_sha256: _h, ...p }) => p),
      ...(config.access.oidc ? { oidc: config.access.oidc } : {}) }
    : undefined;
  return { ...config, ...(access ? { access } : {}) };
}

/** One API route for the caller; every outcome, refusals included, is an Answer. */
export async function apiAnswer(b: Backend, caller: Caller, path: string, query: URLSearchParams): Promise<Answer> {
  try {
    const report = /^\/api\/reports\/([^/]+)$/.exec(path);
    if (report) {
      const o = queryOptions(query, REPORT_OPTIONS);
      return reportAnswer(await callerReport(b, caller, decodeURIComponent(report[1]!), o), formatOf(o), report[1]!);
    }
    const explain = /^\/api\/explain\/([^/]+)$/.exec(path);
    if (explain) {
      const o = queryOptions(query, EXPLAIN_OPTIONS);
      return reportAnswer(await callerExplain(b, caller, decodeURIComponent(explain[1]!), o), formatOf(o), `explain-${explain[1]!}`);
    }
    if (path === '/api/status') return jsonAnswer(200, await callerStatus(b, caller, query));
    if (path === '/api/watch') {
      // what landed in the watched folder and how its ingest went: file names of the whole company's exports
      if (!mayReport(caller.role, 'ingestions')) throw new Refusal(403, '/api/watch is open to the finance and admin roles');
      if (!b.watch) throw new Refusal(404, 'no folder is watched: start the server with serve --watch DIR');
      return jsonAnswer(200, b.watch.status());
    }
    if (path === '/api/access-log' || path === '/api/config') {
      if (!mayAdminister(caller.role)) throw new Refusal(403, `${path} is open to the admin role only`);
      const limit = Math.min(5000, Math.max(1, Number(query.get('limit')) || 200));
      return jsonAnswer(200, path === '/api/config' ? configView(b.config) : { entries: b.log.latest(limit) });
    }
    throw new Refusal(404, `no such route ${path}`);
  } catch (e) {
    return errorAnswer(e, caller, b.fx);
  }
}
