/**
 * `tokenledger alerts` end to end, in-process, against a real HTTP receiver (node:http) started by the
 * test, on the budget scenario (test-support/budget-scenario.ts), as of 2026-10-15:
 *
 *   budget          spent            thresholds crossed (defaults 80, 100, 100 forecast)     events
 *   copilot-2500    1,500 = 60 %     100 forecast (projected 3,100)                           1 warning
 *   copilot-1400    1,500 = 107.14 % 80 (warning), 100 (breach), 100 forecast (warning)       3
 *
 * Two webhooks (slack, json); the slack receiver fails (HTTP 500) until the test lets it succeed.
 * Runs: dry run (4 new, exit 2, nothing recorded) -> run 1 at T (4 new, exit 2; json 4 sent, slack 4
 * pending) -> run 2 at T+1 min (nothing new, exit 0, nothing due) -> run 3 at T+6 min (slack retried:
 * 4 sent) -> run 4 (nothing) -> amount 2500 -> 2000 (re-armed: 1 new warning, exit 1) -> stale data at
 * 2026-10-25 (budgets unknown, one freshness warning, exit 1).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryEffects } from '../app/effects.js';
import { focusCsv, tempDir, writeFixture } from '../test-support/focus-fixture.js';
import { scenarioRows } from '../test-support/budget-scenario.js';
import { run as runCli } from './main.js';

interface Received { path: string; key: string; body: Record<string, unknown>; status: number }
const received: Received[] = [];
let slackOk = false;
let server: Server;
let base: string;
let dir: string;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => { s += c.toString(); });
    req.on('end', () => resolve(s));
  });
}

function config(amount2500: number): string {
  return `store: ledger.duckdb
checks:
  accept:
    - { check: mandatory-columns, reason: hand-built fixture }
budgets:
  - { name: copilot-2500, scope: { feature: support-copilot }, amount: ${amount2500} }
  - { name: copilot-1400, scope: { feature: support-copilot }, amount: 1400 }
alerts:
  dashboard_url: http://dash.example/
  webhooks:
    - { url: ${base}/slack, format: slack }
    - { url: ${base}/json, format: json }
`;
}

async function run(args: string[], now: string) {
  const fx = memoryEffects({ cwd: dir, env: {}, now: new Date(now) });
  const code = await runCli(args, fx);
  return { code, out: fx.out.join(''), err: fx.err.join('') };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const status = req.url === '/slack' && !slackOk ? 500 : 200;
      received.push({ path: req.url ?? '', key: String(req.headers['idempotency-key']), body: JSON.parse(text) as Record<string, unknown>,
        status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = tempDir('tl-alerts-');
  writeFileSync(join(dir, 'tokenledger.yaml'), config(2500));
  const bill = writeFixture(dir, 'bill.csv', focusCsv(scenarioRows()));
  const r = await run(['ingest', 'focus', bill, '-q'], '2026-10-16T06:00:00Z');
  expect(r.code, r.err).toBe(0);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const T = '2026-10-16T07:00:00Z';

describe('tokenledger alerts', () => {
  it('emits each event once, delivers to every webhook, retries a failed one with backoff, re-arms on a changed amount', async () => {
    const dry = await run(['alerts', '--today', '2026-10-15', '--dry-run', '--format', 'json'], T);
    expect(dry.code, dry.err).toBe(2);
    const dryJson = JSON.parse(dry.out) as { rows: { state: string; severity: string; subject: string }[] };
    expect(dryJson.rows.map((e) => `${e.state} ${e.severity} ${e.subject}`).sort()).toEqual([
      'new breach copilot-1400', 'new warning copilot-1400', 'new warning copilot-1400', 'new warning copilot-2500']);
    expect(received).toHaveLength(0);

    const first = await run(['alerts', '--today', '2026-10-15', '--format', 'json'], T);
    expect(first.code, first.err).toBe(2);
    expect(JSON.parse(first.out) as { pending: number }).toMatchObject({ pending: 4, next_attempt_at: '2026-10-16T07:05:00Z' });
    expect(received.filter((r) => r.path === '/json' && r.status === 200)).toHaveLength(4);
    expect(received.filter((r) => r.path === '/slack' && r.status === 500)).toHaveLength(4);
    const breach = received.find((r) => r.path === '/json' && r.body.type === 'budget.breach')!;
    expect(breach.body).toMatchObject({ subject: 'copilot-1400', period: '2026-10', link: 'http://dash.example/budgets',
      title: 'Budget copilot-1400 spent 107.14% of 1400 USD in 2026-10 (threshold 100%)',
      event: { amount: '1400', spent: '1500', percent_used: '107.14', projected: '3100.00', exhaustion_date: '2026-10-14',
        data_through: '2026-10-15', scope: { feature: ['support-copilot'] } } });

    const second = await run(['alerts', '--today', '2026-10-15'], '2026-10-16T07:01:00Z');
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/0 new, 4 already emitted/);
    // a run inside the backoff says when the pending deliveries are due, and that it sent none
    expect(second.out).toContain('4 deliveries pending in the outbox, retried with backoff: the next attempt is due at ' +
      '2026-10-16T07:05:00Z (a run before then sends none of them).');
    expect(second.out).not.toMatch(/Deliveries:/);
    expect(received).toHaveLength(8); // the slack retries are not due yet (5 minutes)

    slackOk = true;
    const third = await run(['alerts', '--today', '2026-10-15', '--format', 'json'], '2026-10-16T07:06:00Z');
    expect(third.code).toBe(0);
    const sent = received.filter((r) => r.path === '/slack' && r.status === 200);
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((r) => r.key))).toEqual(new Set(received.filter((r) => r.path === '/json').map((r) => r.key)));
    expect(String(sent[0]!.body.text)).toMatch(/^:(warning|rotating_light): \*tokenledger (warning|breach)\*: Budget copilot-/);

    const fourth = await run(['alerts', '--today', '2026-10-15'], '2026-10-16T08:00:00Z');
    expect(fourth.code).toBe(0);
    expect(received).toHaveLength(12);

    writeFileSync(join(dir, 'tokenledger.yaml'), config(2000));
    const rearmed = await run(['alerts', '--today', '2026-10-15', '--format', 'json'], '2026-10-16T09:00:00Z');
    expect(rearmed.code).toBe(1);
    const rows = (JSON.parse(rearmed.out) as { rows: { state: string; title: string }[] }).rows.filter((e) => e.state === 'new');
    expect(rows.map((e) => e.title))
      .toEqual(['Budget copilot-2500 is projected to reach 100% of 2000 USD in 2026-10 (threshold 100% forecast)']);
    expect(received).toHaveLength(14);
  });

  it('stale data: budgets are not judged, one freshness warning, once', async () => {
    const stale = await run(['alerts', '--today', '2026-10-25', '--format', 'json'], '2026-10-26T07:00:00Z');
    expect(stale.code, stale.err).toBe(1);
    const rows = (JSON.parse(stale.out) as { rows: { state: string; kind: string; title: string }[] }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'new', kind: 'freshness' });
    expect(rows[0]!.title).toMatch(/stale \(data through 2026-10-15, today 2026-10-25\)/);
    const again = await run(['alerts', '--today', '2026-10-25'], '2026-10-26T08:00:00Z');
    expect(again.code).toBe(0);
  });

  it('a failed delivery is reported with its webhook, its error and when it is tried again', async () => {
    slackOk = false;
    writeFileSync(join(dir, 'tokenledger.yaml'), config(1900));
    const r = await run(['alerts', '--today', '2026-10-15'], '2026-10-27T07:00:00Z');
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(/Deliveries: 1 sent, 1 failed\./);
    expect(r.out).toMatch(/Failed: http:\/\/127\.0\.0\.1:\d+\/slack: HTTP 500 \(1 delivery; next attempt 2026-10-27T07:05:00Z\)\./);
    slackOk = true;
  });

  it('a bad --today is bad input (exit 2, nothing on stdout)', async () => {
    const bad = await run(['alerts', '--today', '2026-13-01'], T);
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/--today 2026-13-01: expected a date/);
  });
});
