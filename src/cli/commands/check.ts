/** `tokenledger check`: the data-quality checks as a table (or JSON / CSV), and an exit code scripts can use. */
import { checkExitCode, runChecks } from '../../check/checks.js';
import { statusOptions } from '../../check/status.js';
import { UsageError } from '../../domain/errors.js';
import { render, type Format } from '../../report/render.js';
import { withStore, type GlobalOptions } from '../context.js';

export async function runCheck(o: GlobalOptions & { format: Format; today?: string }): Promise<0 | 1 | 2> {
  const today = o.today ?? process.env.TOKENLEDGER_TODAY ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) throw new UsageError(`--today ${today}: expected YYYY-MM-DD`);
  return withStore(o, async (store, config) => {
    const results = await runChecks(store, statusOptions(config, today));
    const code = checkExitCode(results);
    const fails = results.filter((r) => r.status === 'fail').length;
    const warns = results.filter((r) => r.status === 'warn').length;
    process.stdout.write(render({
      name: 'check',
      title: `Data checks (today ${today}): ${fails} failing, ${warns} warning, ${results.length - fails - warns} passing`,
      meta: { today, exit_code: code },
      columns: [
        { key: 'area', label: 'Area', kind: 'text' },
        { key: 'id', label: 'Check', kind: 'text' },
        { key: 'status', label: 'Status', kind: 'text' },
        { key: 'count', label: 'Count', kind: 'int' },
        { key: 'detail', label: 'Detail', kind: 'text' },
        { key: 'examples', label: 'Examples', kind: 'text' },
      ],
      rows: results.map((r) => ({ ...r, status: o.format === 'table' ? r.status.toUpperCase() : r.status, examples: o.format === 'table' ? r.examples.slice(0, 2).join('; ') : r.examples })),
    }, o.format));
    return code;
  });
}
