/**
 * `tokenledger serve`'s JSON API against the CLI on the demo store: for every report of the registry (and
 * every explain), GET /api/reports/<name>?<the same options> answers byte for byte what `tokenledger
 * report <name> --format json` prints; a bad parameter gets 400 with the CLI's own message; a scope
 * parameter in the URL is refused (403); the data status is the report's data status.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_NAMES } from '../report/registry.js';
import { bearer, MONTH, serveDemo, type ServeDemo } from '../test-support/serve-demo.js';
import { run } from './main.js';

let demo: ServeDemo;

beforeAll(async () => {
  demo = await serveDemo(run);
}, 180_000);

/** CLI flags as the query string of the same request (switches as =true, --by repeated). */
function query(flags: string[]): string {
  const q = new URLSearchParams();
  for (let i = 0; i < flags.length; i++) {
    const name = flags[i]!.replace(/^--/, '');
    const next = flags[i + 1];
    if (next === undefined || next.startsWith('--')) q.append(name, 'true');
    else {
      q.append(name, next);
      i++;
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function get(path: string, who: Parameters<typeof bearer>[0] = 'cfo') {
  const res = await demo.app.request(path, { headers: bearer(who) });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

/** One request per report, together using every report option. */
const CASES: [string, string[]][] = [
  ['cost-per-token', ['--month', MONTH, '--by', 'resource']],
  ['meter-matrix', ['--month', MONTH]],
  ['summary', []],
  ['token-kpis', ['--month', MONTH, '--by', 'model']],
  ['token-drift', ['--month', MONTH, '--threshold', '3', '--all']],
  ['tag-coverage', ['--month', MONTH]],
  ['telemetry-coverage', ['--from', '2026-09-01', '--to', '2026-11-01']],
  ['unclassified', []],
  ['allocation', ['--month', MONTH, '--by', 'team', '--cost', 'billed']],
  ['ingestions', []],
  ['unit-economics', ['--month', MONTH]],
  ['sensitivity', ['--month', MONTH, '--unit', 'ticket', '--response-length', '+20%', '--retries', '5%', '--model', 'gpt-4o-mini']],
  ['chargeback', ['--month', MONTH, '--by', 'cost-center']],
  ['reconcile', ['--month', MONTH, '--today', '2026-11-20']],
  ['shared-costs', ['--month', MONTH]],
  ['variance', ['--month', MONTH, '--vs', '2026-09', '--unit', 'ticket']],
  ['summary', ['--month', '2026-09', '--allow-incomplete']],
  ['forecast', ['--horizon', '90d', '--by', 'feature']],
  ['budgets', ['--month', MONTH]],
  ['quota', ['--month', MONTH]],
  ['capacity-reservations', ['--month', MONTH]],
  ['gpu', ['--month', MONTH, '--by', 'job', '--threshold', '2']],
  ['throughput', ['--month', MONTH]],
  ['prices', ['--month', MONTH, '--all']],
  ['ptu-plan', ['--month', MONTH, '--model', 'gpt-4o', '--deployment', 'aoai-support-prod']],
  ['savings', ['--month', MONTH]],
  ['estimate', ['--month', MONTH]],
  ['anomalies', ['--month', MONTH, '--dimension', 'model', '--measure', 'tokens']],
];

describe('API = CLI, for every report', () => {
  it('the cases cover every report of the registry', () => {
    expect([...new Set(CASES.map(([n]) => n))].sort()).toEqual([...REPORT_NAMES].sort());
  });

  it.each(CASES)('report %s %j', async (name, flags) => {
    const cli = await demo.cli(['report', name, ...flags, '--format', 'json']);
    expect(cli.code, cli.err).toBe(0);
    const api = await get(`/api/reports/${name}${query(flags)}`);
    expect(api.status, api.body).toBe(200);
    expect(api.type).toMatch(/^application\/json/);
    expect(api.body).toBe(cli.out);
    // the demo's meters are all classified: an empty table, still the same JSON
    if (name !== 'unclassified') expect(JSON.parse(api.body).rows.length).toBeGreaterThan(0);
  });

  it('--by given twice or comma-separated is the same request', async () => {
    const cli = await demo.cli(['report', 'cost-per-token', '--month', MONTH, '--by', 'resource', '--by', 'day', '--format', 'json']);
    expect((await get(`/api/reports/cost-per-token?month=${MONTH}&by=resource&by=day`)).body).toBe(cli.out);
    expect((await get(`/api/reports/cost-per-token?month=${MONTH}&by=resource,day`)).body).toBe(cli.out);
  });

  it('format=csv is the CLI\'s CSV, as a download', async () => {
    const cli = await demo.cli(['report', 'allocation', '--month', MONTH, '--by', 'feature', '--format', 'csv']);
    const res = await demo.app.request(`/api/reports/allocation?month=${MONTH}&by=feature&format=csv`, { headers: bearer('cfo') });
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="allocation.csv"');
    expect(await res.text()).toBe(cli.out);
  });
});

describe('explain = CLI', () => {
  const EXPLAINS: [string, string[]][] = [
    ['allocation', ['--feature', 'support-copilot', '--month', MONTH]],
    ['cost-per-token', ['--model', 'gpt-4o', '--token-type', 'output', '--month', MONTH, '--cost', 'billed']],
    ['unit-cost', ['--unit', 'ticket', '--month', MONTH]],
  ];
  it.each(EXPLAINS)('explain %s %j', async (kind, flags) => {
    const cli = await demo.cli(['explain', kind, ...flags, '--format', 'json']);
    expect(cli.code, cli.err).toBe(0);
    const api = await get(`/api/explain/${kind}${query(flags)}`);
    expect(api.status, api.body).toBe(200);
    expect(api.body).toBe(cli.out);
    expect(JSON.parse(api.body).rows.length).toBeGreaterThan(0);
  });
});

describe('bad parameters: 400 with the CLI\'s message', () => {
  const BAD: string[][] = [
    ['report', 'summary', '--month', '2026-13'],
    ['report', 'allocation', '--month', MONTH],
    ['report', 'allocation', '--month', MONTH, '--by', 'team', '--cost', 'invoice'],
    ['report', 'nope'],
    ['report', 'token-drift', '--threshold', 'abc'],
    ['report', 'variance', '--month', MONTH, '--vs', MONTH],
    ['report', 'variance', '--from', '2026-10-02', '--to', '2026-10-09'],
    ['report', 'sensitivity', '--month', MONTH, '--retries', '20'],
    ['report', 'summary', '--today', '2026-02-30'],
    ['report', 'summary', '--wat', '1'],
    ['report', 'summary', '--by', 'team'],
    ['explain', 'allocation', '--month', MONTH],
    ['explain', 'allocation', '--feature', 'no-such-feature', '--month', MONTH],
    ['explain', 'cost-per-token', '--model', 'gpt-4o', '--month', MONTH],
  ];
  it.each(BAD.map((b) => [b.join(' '), b] as const))('%s', async (_label, args) => {
    const [command, name, ...flags] = args as [string, string, ...string[]];
    const cli = await demo.cli([...args, '--format', 'json']);
    expect(cli.code).toBe(2);
    const api = await get(`/api/${command === 'report' ? 'reports' : 'explain'}/${name}${query(flags)}`);
    expect(api.status, api.body).toBe(400);
    // commander's own refusals (unknown option, a value outside --cost's choices) reach the effects' stderr too
    expect(`error: ${JSON.parse(api.body).error}`).toBe(cli.err.split('\n').find((l) => l.startsWith('error: ')));
  });

  it('a switch takes true or false only', async () => {
    expect((await get('/api/reports/summary?allow-incomplete=yes')).status).toBe(400);
    const no = await get('/api/reports/summary?allow-incomplete=false');
    expect(no.body).toBe((await demo.cli(['report', 'summary', '--format', 'json'])).out);
  });
});

describe('scope parameters, status, routes', () => {
  it.each(['team=ml-research', 'cost_center=CC-1', 'currency=EUR', 'scope=all', 'TEAM=x'])('?%s is refused (403)', async (q) => {
    const api = await get(`/api/reports/allocation?month=${MONTH}&by=team&${q}`, 'cx-lead');
    expect(api.status).toBe(403);
    expect(api.body).toMatch(/scope of what you see comes from your access/);
  });

  it('/api/status is the data status the reports carry, with who is asking', async () => {
    const status = JSON.parse((await get(`/api/status?month=${MONTH}`, 'cx-lead')).body);
    const report = JSON.parse((await demo.cli(['report', 'unit-economics', '--month', MONTH, '--format', 'json'])).out);
    const ds = report.data_status;
    expect(status).toEqual({ line: ds.line, complete_through: ds.complete_through, open_periods: ds.open_periods, problems: ds.problems,
      principal: 'cx-lead', role: 'viewer', scope: 'teams=cx-platform' });
    expect(status.complete_through).toBe('2026-10-31');
    expect((await get('/api/status?month=2026-13')).status).toBe(400);
  });

  it('an unknown route is 404 as JSON', async () => {
    const api = await get('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body).error).toBe('no such route /api/nothing-here');
  });
});
