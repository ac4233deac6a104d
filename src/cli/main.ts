#!/usr/bin/env node
/**
 * The tokenledger command line. Each command's code lives in commands/ and is loaded only when that
 * command runs. Exit codes: 0 ok, 2 bad input or usage, 3 store problem, 4 internal error (check and alerts
 * also: 1 warnings, 2 failures / breaches).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { processEffects, type Effects } from '../app/effects.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
import { ExitCode, TokenledgerError, UsageError } from '../domain/errors.js';
import { FORMATS, type Format } from '../report/render.js';

function parseFormat(v: string): Format {
  if (!(FORMATS as string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
  return v as Format;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** The command tree, writing through `fx`; `exit()` is the code of the last command that set one. */
export function buildProgram(fx: Effects): { program: Command; exit: () => number } {
  const program = new Command();
    let exitCode: number = ExitCode.Ok;
  program
    .name('tokenledger')
    .version(VERSION, '--version', 'print the version')
    .description('AI spend as unit economics a CFO can sign off on: FOCUS billing exports in, cost per token out.')
    .option('--store <path>', 'DuckDB store file (default: tokenledger.yaml store:, else ./.tokenledger/ledger.duckdb)')
    .option('--config <path>', 'configuration file (default: ./tokenledger.yaml when present)')
    .showHelpAfterError('(add --help for the command\'s usage and options)')
    .exitOverride()
    .configureHelp({ sortSubcommands: false })
    // before any subcommand: commander copies these settings into each command as it is created
    .configureOutput({ writeOut: (t) => fx.stdout(t), writeErr: (t) => fx.stderr(t) });

  program
    .command('init')
    .description('write a commented tokenledger.yaml in the current folder')
    .option('--force', 'overwrite an existing tokenledger.yaml')
    .action(async (o: { force?: boolean }) => {
      const { runInit } = await import('./commands/init.js');
      runInit(o, fx);
    });

  program
    .command('config')
    .description('configuration: `config check` validates tokenledger.yaml and prints what it resolved')
    .argument('<action>', 'check')
    .addOption(new Option('--format <format>', 'table or json').choices(['table', 'json']).default('table'))
    .action(async (action: string, o: { format: string }, cmd: Command) => {
      if (action !== 'check') throw new UsageError(`config ${action}: the only action is check`);
      const { runConfigCheck } = await import('./commands/config-check.js');
      runConfigCheck({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o }, fx);
    });

  const ingest = program.command('ingest').description('bring data into the store');
  ingest
    .command('focus')
    .description(
      'ingest FOCUS cost exports: files or folders (recursive) of CSV, CSV.gz, Parquet, or Azure export folders with manifest.json')
    .argument('<path...>', 'files or folders')
    .option('--scope <name>',
      'replacement scope for files without a manifest: a newer file of the same scope and billing period replaces the older')
    .option('--no-allocate', 'leave the stored allocation for a later `tokenledger allocate` (batch several ingests, then allocate once)')
    .addOption(new Option('--date-order <order>',
      'how slash dates whose day and month could be swapped (10/05/2026) are read: mdy or dmy (default: refused)').choices(['mdy', 'dmy']))
    .option('-q, --quiet', 'no progress bar and no summary table')
    .addOption(new Option('--format <format>', 'output: table, json or csv').argParser(parseFormat).default('table'))
    .addHelpText('after', `
  Examples:
    tokenledger ingest focus ./exports/                  every export under the folder
    tokenledger ingest focus part_0_0001.csv.gz          one file
    tokenledger ingest focus --scope ea-daily feed.csv   files of one feed replace each other per period

  Re-ingesting an export already in the store does nothing and says so. Any bad row aborts the whole
  command and leaves the store as it was; the error names file, line and column.`)
    .action(async (paths: string[], o: { scope?: string; quiet?: boolean; format: Format }, cmd: Command) => {
      const { runIngestFocus } = await import('./commands/ingest-focus.js');
      await runIngestFocus(paths, { ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o }, fx);
    });

  ingest
    .command('telemetry')
    .description('ingest token telemetry: usage logs (OpenAI, Anthropic, Gemini, Bedrock shapes), OpenAI Usage API buckets, OTLP GenAI ' +
      'spans and metrics, APIM token metrics and LLM / gateway logs, Azure Monitor metrics, mapped CSV (files or folders, .gz too)')
    .argument('<path...>', 'files or folders')
    .option('--no-allocate', 'leave the stored allocation for a later `tokenledger allocate`')
    .option('--telemetry-format <format>',
      'auto, openai-jsonl, otlp-spans, otlp-metrics, apim-metrics, azure-monitor, apim-llm-log, apim-gateway-log, csv or ' +
        'openai-usage-api',
      'auto')
    .option('--skip-unusable',
      'usage logs: ingest the usable records and list the others (no usage, in progress, errors) by line and reason')
    .option('--skip-duplicate-ids',
      'leave out records whose request id another ingested file already has (default: ingest and report them)')
    .addOption(new Option('--date-order <order>',
      'how slash dates whose day and month could be swapped (10/05/2026) are read: mdy or dmy (default: refused)').choices(['mdy', 'dmy']))
    .option('-q, --quiet', 'no summary table')
    .addOption(new Option('--format <format>', 'output: table, json or csv').argParser(parseFormat).default('table'))
    .addHelpText('after', `
  A usage record can be as small as:
    {"timestamp":"2026-10-01T12:00:00Z","model":"gpt-4o","resource_id":"/subscriptions/.../accounts/aoai-prod",
     "feature":"support-copilot","usage":{"prompt_tokens":1200,"completion_tokens":300,
     "prompt_tokens_details":{"cached_tokens":1024}}}
  feature, team, environment (env), cost_center (CostCenter), resource_id (resource), model / deployment are
  read at the top level or inside "metadata" / "attributes". Cached tokens are part of prompt tokens and
  reasoning tokens part of completion tokens: they are kept as splits, never added twice.`)
    .action(async (paths: string[], o: Record<string, unknown>, cmd: Command) => {
      const { runIngestTelemetry } = await import('./commands/ingest-telemetry.js');
      await runIngestTelemetry(paths, { ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  ingest
    .command('events')
    .description('ingest business events (tickets, documents, leads...): CSV or JSONL files or folders (.csv, .jsonl, .ndjson, .gz)')
    .argument('<path...>', 'files or folders')
    .option('-q, --quiet', 'no summary table')
    .addOption(new Option('--format <format>', 'output: table, json or csv').argParser(parseFormat).default('table'))
    .addHelpText('after', `
  One event per row or line: timestamp, unit (ticket, document, lead or your own), feature, count (default 1),
  outcome (success / failure / abandoned), optional correlation_id; other CSV columns (or a JSON "attributes"
  object) are kept as attributes. For example:
    {"timestamp":"2026-10-01T10:00:00Z","unit":"document","feature":"doc-intake","outcome":"success"}
  Other column names: events.columns in tokenledger.yaml. The same file again is a no-op.`)
    .action(async (paths: string[], o: Record<string, unknown>, cmd: Command) => {
      const { runIngestEvents } = await import('./commands/ingest-events.js');
      await runIngestEvents(paths, { ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  ingest
    .command('capacity')
    .description('ingest quota, capacity and utilization snapshots: compute / Microsoft.Quota / Quota Group / Azure OpenAI usages, ' +
      'capacity reservations, model capacities, deployments, DCGM scrapes, Prometheus query JSON, nvidia-smi CSV, Azure Monitor metrics')
    .argument('<path...>', 'files or folders (.json, .csv, .prom, .txt, .metrics; .gz too)')
    .option('--as-of <time>', 'capture time of snapshots whose content has none (ISO 8601; default: the file\'s modification time)')
    .option('--subscription <id>', 'subscription of records whose file does not name one')
    .option('--region <name>', 'region of records whose file does not name one')
    .option('--host <name>', 'the VM an nvidia-smi CSV log was taken on')
    .option('-q, --quiet', 'no summary table')
    .addOption(new Option('--format <format>', 'output: table, json or csv').argParser(parseFormat).default('table'))
    .addHelpText('after', `
  The format is read from the content. Examples:
    az vm list-usage -l eastus -o json > usage-eastus.json && tokenledger ingest capacity usage-eastus.json --subscription SUB
    tokenledger ingest capacity crg.json aoai-usages.json dcgm-scrape.prom --as-of 2026-10-31T23:00:00Z
  Quota is not capacity: limits, reservations and utilization are kept side by side for report quota,
  capacity-reservations, gpu and throughput. The same file again is a no-op.`)
    .action(async (paths: string[], o: Record<string, unknown>, cmd: Command) => {
      const { runIngestCapacity } = await import('./commands/ingest-capacity.js');
      await runIngestCapacity(paths, { ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  program
    .command('report')
    .description('print a report')
    .argument('<name>',
      'cost-per-token | meter-matrix | summary | allocation | token-kpis | token-drift | tag-coverage | telemetry-coverage | ' +
        'unclassified | ingestions | unit-economics | sensitivity | chargeback | variance | shared-costs | reconcile | forecast | ' +
        'budgets | quota | capacity-reservations | gpu | throughput | prices | ptu-plan | savings | estimate | anomalies')
    .addOption(new Option('--format <format>', 'table, json or csv').argParser(parseFormat).default('table'))
    .option('--month <YYYY-MM>', 'one month (charges by ChargePeriodStart; summary by billing period)')
    .option('--from <date>', 'from this date (YYYY-MM-DD, inclusive)')
    .option('--to <date>', 'to this date (YYYY-MM-DD, exclusive)')
    .addOption(new Option('--cost <basis>', 'effective (amortized) or billed (invoice)').choices(['effective', 'billed']))
    .option('--threshold <pct>', 'token-drift: flag drift above this percentage (default 5); gpu: engine activity below which a held ' +
      'GPU is idle (default 5)')
    .option('--all', 'token-drift: also list the rows within the threshold')
    .option('--by <dimension>',
      'cost-per-token: also group by resource, subscription, region, day; allocation: feature, team, environment, cost-center or a tag ' +
        'name; chargeback: team, cost-center, feature, environment; gpu: vm or job', collect)
    .option('--unit <type>', 'unit-economics, sensitivity, variance: one unit type (ticket, document, lead...)')
    .option('--vs <YYYY-MM>', 'variance: the month to compare with (default: the month before --month)')
    .option('--response-length <pct>', 'sensitivity: change of output tokens per call, e.g. +20%', '0%')
    .option('--retries <pct>', 'sensitivity: change in calls per unit (retries), e.g. +5%', '0%')
    .option('--model <name>', 'sensitivity: price all tokens at this model\'s measured rates; ptu-plan: one model')
    .option('--deployment <name>', 'ptu-plan: one deployment (or resource name)')
    .option('--horizon <3m|90d>', 'forecast: how far ahead, in calendar months (3m) or days (90d); default 3m')
    .option('--reconcile', 'forecast: each closed month, the forecast made at the prior month end vs the actual, the miss split ' +
      'into volume, intensity, rate')
    .option('--dimension <name>', 'anomalies: total, feature (default), team, model, resource, token-type or meter')
    .option('--measure <name>', 'anomalies: cost (billing, default), tokens or requests (telemetry)')
    .option('--allow-incomplete', 'report even when the data has gaps, is stale, or (reconcile) the period is open; the report says so')
    .option('--wide', 'tables at full width (on a terminal, long text is shortened to fit its width)')
    .option('--raw-csv', 'CSV text as stored: no apostrophe before text starting with = + - @ (for scripts, not spreadsheets)')
    .option('--today <YYYY-MM-DD>',
      'reconcile: the date that decides whether a period is still open; budgets: the day judged (default: today)')
    .addHelpText('after', `
  Reports:
    cost-per-token  tokens, cost and cost per 1M tokens by provider, model, token type, tier, scope, currency
    meter-matrix    meter category > subcategory > meter: cost, consumed quantity, unit cost
    summary         billed and effective cost per billing period and currency, AI share of spend
    allocation      cost per feature / team / environment / cost center / tag, with __unallocated__ (--by)
    token-kpis      per feature or model: prompt p50/p95/p99, output per request, cached share, cost per 1K requests
    token-drift     billed vs telemetry tokens per resource, model, token type, in runs of days (--threshold, --all)
    tag-coverage    share of spend carrying each allocation tag, biggest untagged resources
    telemetry-coverage  share of AI token spend explained by telemetry, per model, missing days
    unclassified    AI-looking meters the rules could not classify, with cost and an example row
    ingestions      what was ingested, replaced and skipped, and when
    unit-economics  per unit type and month: units, success rate, tokens and cost per unit by class, cost per successful unit
    sensitivity     cost per unit before and after a change (--unit, --response-length, --retries, --model)
    chargeback      showback per team or cost center (--by) with shares of platform and overhead; adds up to the month
    variance        change in spend vs the month before (--month, --vs): volume, intensity, rate, shared, other
    reconcile       per invoice: total = allocated + shared + unallocated, corrections, bridge to effective cost
    shared-costs    each shared pool, the rule that spread it, to which features, with the basis numbers
    forecast        cost per month ahead (--horizon, --by feature|team|model) with 80/95 % intervals and backtest accuracy
    budgets         the budgets of tokenledger.yaml: spent, burn, projection, exhaustion date, status (--month, --today)
    quota           limit, used, headroom per subscription x region x family (GPU first), Quota Groups, reservations, capacity
    capacity-reservations  per reservation: reserved, allocated, idle slot-hours and the dollars of unused reservation
    gpu             GPU-hours paid, utilization, idle GPU cost: unallocated / held but idle (--threshold) / reserved unused;
                    --by job: GPU VM cost per pod by measured GPU-hours, __idle__ for what no job held, tags otherwise
    throughput      Azure OpenAI TPM / RPM quota, deployments, per-minute peaks, headroom, 429 share, throttling risk, actions
    prices          the price per 1M tokens used per model x deployment type x token type: invoice, your sheet, or catalog
    ptu-plan        PTUs needed at p50/p95/p99/max of measured per-minute traffic, monthly cost, spillover, break-even
    savings         savings opportunities in monthly dollars with evidence, assumptions and confidence (--month)
    estimate        estimated cost of days with telemetry but no billing yet, and the estimate's accuracy on billed days
    anomalies       daily anomalies of cost (--measure tokens, requests) per --dimension value: impact, root causes, driver

  Costs are never added across currencies. JSON and CSV carry exact decimals.`)
    .action(async (name: string, o: Record<string, unknown>, cmd: Command) => {
      const { runReport } = await import('./commands/report.js');
      await runReport(name, { ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  program
    .command('check')
    .description('data quality before reporting: recency, completeness, FOCUS conformance; exit 0 pass, 1 warnings, 2 failures')
    .addOption(new Option('--format <format>', 'table, json or csv').argParser(parseFormat).default('table'))
    .option('--today <YYYY-MM-DD>', 'the date recency is judged against (default: today, UTC)')
    .addHelpText('after', `
  Recency: an open billing period whose latest usage is older than checks.stale_after_days (default 3) fails.
  A period is closed once its rows carry an invoice id, or checks.close_after_days (default 5) after its end.
  Completeness: days without usage inside a period fail; days with token charges and no telemetry warn.
  Conformance: one currency per account and period; ListCost and ContractedCost = unit price x PricingQuantity;
  EffectiveCost = BilledCost on usage without a commitment discount; placeholder values; unresolved token
  quantities; mandatory (fail) and optional (warn) columns of the export's FOCUS version; unclassified AI meters. Examples name file:line.`)
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const { runCheck } = await import('./commands/check.js');
      exitCode = await runCheck({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  program
    .command('alerts')
    .description('evaluate budgets and data freshness, deliver new events to the webhooks of tokenledger.yaml; exit 0 nothing new, ' +
      '1 new warnings, 2 a new breach')
    .option('--dry-run', 'print the events only: nothing recorded, nothing sent (opens the store read-only)')
    .option('--today <YYYY-MM-DD>', 'the day budgets and freshness are judged on (default: today, UTC)')
    .addOption(new Option('--format <format>', 'table, json or csv').argParser(parseFormat).default('table'))
    .addHelpText('after', `
  One event per budget, period and threshold (re-armed when the amount changes or a new period starts) and per
  data-freshness state; each is emitted once (recorded in the store). Webhooks: tokenledger.yaml
    alerts: { webhooks: [ { url: https://hooks.slack.com/..., format: slack } ], dashboard_url: https://... }
  format slack, teams or json; a failed delivery stays in the outbox and is retried with backoff on the next run.
  Exit code 2 also means bad input, as everywhere: then the error is on stderr and nothing on stdout.`)
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const { runAlertsCommand } = await import('./commands/alerts.js');
      exitCode = await runAlertsCommand({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  program
    .command('explain')
    .description('trace a figure to its sources: allocation rows, rules and basis, billing rows and telemetry records (file:line)')
    .argument('<what>', 'allocation | cost-per-token | unit-cost')
    .addOption(new Option('--format <format>', 'table, json or csv (for an auditor)').argParser(parseFormat).default('table'))
    .option('--raw-csv', 'CSV text as stored: no apostrophe before text starting with = + - @ (for scripts, not spreadsheets)')
    .option('--month <YYYY-MM>', 'the month')
    .option('--feature <name>', 'allocation: the feature (or __unallocated__)')
    .option('--model <name>', 'cost-per-token: the model')
    .option('--token-type <type>', 'cost-per-token: input, output, cached_input or cache_write')
    .option('--unit <type>', 'unit-cost: the unit type')
    .addOption(new Option('--cost <basis>', 'effective (amortized) or billed (invoice)').choices(['effective', 'billed']))
    .addHelpText('after', `
  Examples:
    tokenledger explain allocation --feature support-copilot --month 2026-10
    tokenledger explain cost-per-token --model gpt-4o --token-type output --month 2026-10 --format csv
    tokenledger explain unit-cost --unit ticket --month 2026-10`)
    .action(async (what: string, o: Record<string, unknown>, cmd: Command) => {
      const { runExplain } = await import('./commands/explain.js');
      await runExplain(what, { ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  const exp = program.command('export').description('files for finance and BI tools');
  exp
    .command('cfo-pack')
    .description(
      'the month for finance: summary with invoice totals, unit economics, allocation and chargeback, reconciliation, variance, data ' +
        'quality, assumptions; as .xlsx and/or one offline .html with charts')
    .requiredOption('--month <YYYY-MM>', 'the billing month')
    .option('--out <file.xlsx>', 'write the spreadsheet')
    .option('--html <file.html>', 'write the self-contained HTML pack')
    .option('--allow-incomplete', 'write it for an open period anyway, marked DRAFT')
    .option('--today <YYYY-MM-DD>', 'the date that decides whether the period is still open (default: today)')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const { runExportCfoPack } = await import('./commands/export.js');
      await runExportCfoPack({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });
  exp
    .command('model')
    .description(
      'the ledger as a star schema (facts: costs, allocations, usage, events; dimensions: date, feature, team, model, resource) in ' +
        'Parquet and CSV')
    .requiredOption('--out <dir>', 'folder to write parquet/, csv/ and README.md into')
    .option('--raw-csv', 'CSV text as stored: no apostrophe before text starting with = + - @ (for scripts, not spreadsheets)')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const { runExportModel } = await import('./commands/export.js');
      await runExportModel({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  program
    .command('allocate')
    .description(
      'bring the stored allocation up to date (ingest and reclassify do it; after `ingest --no-allocate`, or to --force a rebuild)')
    .option('--force', 'rebuild even when nothing changed')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const { runAllocate } = await import('./commands/allocate.js');
      await runAllocate({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  program
    .command('reclassify')
    .description('re-apply the AI meter rules (built-in + tokenledger.yaml rules:) to stored meters; reports change, billing rows do not')
    .option('--all', 'every meter, not only those classified by other rules')
    .action(async (o: { all?: boolean }, cmd: Command) => {
      const { runReclassify } = await import('./commands/reclassify.js');
      await runReclassify({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o }, fx);
    });

  program
    .command('demo')
    .description('write a realistic Azure FOCUS 1.2-preview export for a fictional company, ingest it and print the main reports')
    .option('--seed <n>', 'random seed (same seed, same data)', '42')
    .option('--rows <n>', 'approximate number of billing rows to generate')
    .option('--months <n>', 'number of months (ending with last month)', '3')
    .option('--out <dir>', 'where to write the export', 'tokenledger-demo')
    .option('--end <YYYY-MM>', 'last month of the demo data (default: the month before this one)')
    .option('--no-ingest', 'only write the export')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const { runDemo } = await import('./commands/demo.js');
      await runDemo({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  program
    .command('serve')
    .description('the dashboard and JSON API over the store, for the principals of tokenledger.yaml access: (loopback only without)')
    .option('--host <address>', 'address to listen on (non-loopback needs access: in tokenledger.yaml)', '127.0.0.1')
    .option('--port <n>', 'port (0: any free port)', '8787')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM), with --tls-key')
    .option('--tls-key <file>', 'the certificate\'s private key (PEM)')
    .option('--behind-proxy', 'trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy in front')
    .option('--access-log <file>', 'where the access log goes (default: access-log.jsonl beside the store)')
    .option('--watch <dir>', 'ingest FOCUS exports that land in this folder (a synced Cost Management export folder)')
    .option('--watch-interval <seconds>', 'how often the folder is looked at', '30')
    .option('--no-warm', 'do not compute the overview in the background at start and after each change of the store')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const { runServe } = await import('./commands/serve.js');
      await runServe({ ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  const anomalies = program.command('anomalies').description('feedback on `report anomalies`');
  anomalies
    .command('label')
    .description('label an anomaly: yes (real), no (not one), planned (intended); no and planned stop alerts on it')
    .argument('<id>', 'the anomaly ID `report anomalies` shows')
    .argument('<label>', 'yes | no | planned')
    .option('--note <text>', 'why (kept with the label)')
    .option('--month <YYYY-MM>', 'the period the report was asked for (default: all)')
    .option('--from <date>', 'from this date (YYYY-MM-DD, inclusive)')
    .option('--to <date>', 'to this date (YYYY-MM-DD, exclusive)')
    .addOption(new Option('--cost <basis>', 'effective (amortized) or billed (invoice)').choices(['effective', 'billed']))
    .action(async (id: string, label: string, o: Record<string, unknown>, cmd: Command) => {
      const { runAnomaliesLabel } = await import('./commands/anomalies.js');
      await runAnomaliesLabel(id, label, { ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  const access = program.command('access').description('who may open `tokenledger serve`: principals in tokenledger.yaml');
  access
    .command('add')
    .description('add a principal: prints its token once, writes only the token\'s sha256 to tokenledger.yaml')
    .argument('<name>', 'the principal\'s name')
    .addOption(new Option('--role <role>', 'admin, finance or viewer').choices(['admin', 'finance', 'viewer']).makeOptionMandatory())
    .option('--team <team>', 'scope: these teams only (repeat or comma-separate)', collect)
    .option('--feature <feature>', 'scope: these features only', collect)
    .option('--cost-center <cc>', 'scope: these cost centers only', collect)
    .option('--environment <env>', 'scope: these environments only', collect)
    .option('--currency <code>', 'scope: these billing currencies only', collect)
    .action(async (name: string, o: Record<string, unknown>, cmd: Command) => {
      const { runAccessAdd } = await import('./commands/access.js');
      runAccessAdd(name, { ...cmd.optsWithGlobals<Record<string, unknown>>(), ...o } as never, fx);
    });

  return { program, exit: () => exitCode };
}

/**
 * Run the command line with `argv` (without node and the script) and return the exit code: 0 ok, 1
 * warnings (check), 2 bad input or usage, 3 store problem, 4 internal error.
 */
export async function run(argv: string[], fx: Effects): Promise<number> {
  const { program, exit } = buildProgram(fx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit();
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every usage mistake exits 2, like bad input
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.BadInput;
    }
    if (e instanceof TokenledgerError) {
      fx.stderr(`error: ${e.message}\n`);
      if (e.hint) fx.stderr(`hint: ${e.hint}\n`);
      return e.exitCode;
    }
    fx.stderr(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return ExitCode.Internal;
  }
}

/**
 * Run as the program: the exit code of `run` with the process's arguments and effects. A reader that goes
 * away (`tokenledger explain ... | head`) stops the program quietly, as Unix tools do.
 */
export async function runProgram(): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  process.exitCode = await run(process.argv.slice(2), processEffects());
}

// run only as the program itself (`node dist/cli/main.js`), not when a test imports run(); the installed
// program is dist/bin/tokenledger.js (cli/bin.ts, bundled by scripts/bundle.mjs)
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await runProgram();
