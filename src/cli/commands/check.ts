/** `tokenledger check`: the data-quality checks as a table (or JSON / CSV), and an exit code scripts can use. */
import { checkExitCode, runChecks } from '../../check/checks.js';
import { statusOptions } from '../../check/status.js';
import { withLedger, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { parseToday } from '../../domain/period.js';
import type { Acceptance } from '../../domain/acceptance.js';
import { render, type Format } from '../../report/render.js';

export async function runCheck(o: GlobalOptions & { format: Format; today?: string }, fx: Effects): Promise<0 | 1 | 2> {
  const today = parseToday(o.today, fx.env.TOKENLEDGER_TODAY, fx.now());
  return withLedger(o, fx, async (ledger) => {
    const results = await runChecks(ledger.store, statusOptions(ledger.config, today));
    const code = checkExitCode(results);
    const fails = results.filter((r) => r.status === 'fail').length;
    const warns = results.filter((r) => r.status === 'warn').length;
    fx.stdout(render({
      name: 'check',
      title: `Data checks (today ${today}): ${fails} failing, ${warns} warning, ${results.length - fails - warns} passing`,
      meta: { today, exit_code: code },
      columns: [
        { key: 'area', label: 'Area', kind: 'text' },
        { key: 'id', label: 'Check', kind: 'text' },
        { key: 'status', label: 'Status', kind: 'text' },
        { key: 'count', label: 'Count', kind: 'int' },
        { key: 'detail', label: 'Detail', kind: 'text' },
        { key: 'examples', label: 'Examples', kind: 'text', secondary: true },
      ],
      rows: results.map(
        (r) => ({ ...r, status: o.format === 'table' ? r.status.toUpperCase() : r.status,
          examples: o.format === 'table' ? r.examples.slice(0, 2).join('; ') : r.examples })),
      notes: acceptedNotes(ledger.config.checks?.accept ?? []),
    }, o.format, { width: fx.columns }));
    return code;
  });
}

/** What tokenledger.yaml accepts: check still reports it, reports run and name it. */
function acceptedNotes(accepted: Acceptance[]): string[] {
  if (!accepted.length) return [];
  return ['Accepted in tokenledger.yaml (checks.accept): reports run and name these in their data status line.',
    ...accepted.map((a) => `  ${a.check}${a.month ? ` ${a.month}` : ''}${a.account ? ` account ${a.account}` : ''}: ${a.reason}`)];
}
