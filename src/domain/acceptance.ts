/**
 * Known gaps a user has accepted, once, in tokenledger.yaml (`checks.accept`), instead of passing
 * --allow-incomplete to every command: the official FOCUS 1.0 sample, or an export with a day the provider
 * never delivered. An accepted gap no longer stops reports, but it is never hidden: every data status line
 * names it with its reason. Acceptance is narrow on purpose: one check, optionally one billing month and
 * one billing account.
 */

/** The data-status problems that can be accepted. */
export const ACCEPTABLE_CHECKS = ['missing-days', 'stale', 'mixed-currencies', 'mandatory-columns'] as const;
export type AcceptableCheck = (typeof ACCEPTABLE_CHECKS)[number];

export interface Acceptance {
  check: AcceptableCheck;
  /** Billing month YYYY-MM; absent: every month. */
  month?: string | undefined;
  /** Billing account id; absent: every account. */
  account?: string | undefined;
  reason: string;
}

/** One problem the data status found: which check, for which billing month and account (when it has them). */
export interface StatusProblem {
  check: AcceptableCheck;
  month: string | null;
  account: string | null;
  text: string;
  /** Shorter words for the status line once accepted (default: text). */
  brief?: string;
}

/** The acceptance that covers a problem, if any. */
export function acceptanceFor(problem: StatusProblem, accepted: readonly Acceptance[]): Acceptance | undefined {
  return accepted.find((a) => a.check === problem.check
    && (!a.month || a.month === problem.month)
    && (!a.account || a.account === problem.account));
}
