/**
 * A report end to end, the same for the command line and the web server: the parameters become the
 * report's typed request (registry), the data status is judged and the gate applied (gaps, stale or
 * mixed-currency data refuse unless allowIncomplete), the report runs on the ledger, and the result
 * carries its status line and notes, ready to render.
 */
import { gate } from '../check/status.js';
import { parseCostBasis } from '../domain/cost-basis.js';
import { UsageError } from '../domain/errors.js';
import { parsePeriod, parseToday } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { meterMatrixTableColumns } from '../report/meter-matrix.js';
import { isReportName, REPORT_NAMES, REPORTS, reportRequest, runRequest, type ReportParams } from '../report/registry.js';
import { render, type Format, type RenderOptions, type Report } from '../report/render.js';
import type { ReportRequest, RequestBase } from '../report/request.js';
import type { Config } from '../config/config.js';
import type { Effects } from './effects.js';

/** What every report and explain takes besides its own parameters. */
export interface BaseParams {
  month?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cost?: string | undefined;
  today?: string | undefined;
  allowIncomplete?: boolean | undefined;
}

/** The period, cost basis, today and gate switch of a request, checked once (before any store is opened). */
export function requestBase(config: Pick<Config, 'reports'>, p: BaseParams, fx: Pick<Effects, 'env' | 'now'>): RequestBase {
  return {
    period: parsePeriod({ month: p.month, from: p.from, to: p.to }),
    costBasis: parseCostBasis(p.cost ?? config.reports?.cost),
    today: parseToday(p.today, fx.env.TOKENLEDGER_TODAY, fx.now()),
    allowIncomplete: Boolean(p.allowIncomplete),
  };
}

/** The typed request of report `name` from its parameters: every usage mistake is found here. */
export function prepareReport(config: Pick<Config, 'reports'>, name: string, p: BaseParams & ReportParams,
  fx: Pick<Effects, 'env' | 'now'>): ReportRequest {
  if (!isReportName(name)) throw new UsageError(`unknown report ${name}`, `Reports: ${REPORT_NAMES.join(', ')}`);
  return reportRequest(name, requestBase(config, p, fx), p);
}

/** Answer a request on the ledger: the data status and gate, the report, its status line and notes. */
export async function answerReport(ledger: Ledger, request: ReportRequest): Promise<Report> {
  if (REPORTS[request.report].noDataStatus) return runRequest(ledger, request);
  const status = await ledger.status(request.period, request.today);
  const statusLines = REPORTS[request.report].judgesData ? [status.line] : gate(status, request.allowIncomplete);
  const report = await runRequest(ledger, request);
  return {
    ...report,
    meta: {
      ...report.meta,
      data_status: {
        line: status.line, complete_through: status.complete_through, open_periods: status.open_periods, problems: status.problems,
        accepted: status.accepted, allow_incomplete: request.allowIncomplete,
      },
    },
    notes: [...statusLines, ...(report.notes ?? [])],
  };
}


/** Render for a format; the table form of the meter matrix shows its hierarchy by indentation. */
export function formatReport(report: Report, format: Format, o: RenderOptions = {}): string {
  return render(report.name === 'meter-matrix' && format === 'table' ? meterMatrixTableColumns(report) : report, format, o);
}
