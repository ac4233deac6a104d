/**
 * Typed errors for tokenledger. Every error a user can cause carries an exit code that scripts can
 * rely on and a message that says what to fix; `hint` adds the known pitfall when there is one.
 *
 * Exit codes: 0 ok, 1 warnings (checks), 2 usage / bad input, 3 store problem, 4 internal bug.
 */
export const ExitCode = {
  Ok: 0,
  Warnings: 1,
  BadInput: 2,
  Store: 3,
  Internal: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class TokenledgerError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, opts: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TokenledgerError';
    this.exitCode = opts.exitCode ?? ExitCode.BadInput;
    this.hint = opts.hint;
  }
}

/** Where in an input file a problem sits. `row` is the 1-based data row; `line` the file line if known. */
export interface SourceLocation {
  file: string;
  row?: number;
  line?: number;
  column?: string;
}

/** Bad input: names file, line and column, says what was expected and what was found. */
export class InputError extends TokenledgerError {
  readonly location: SourceLocation;
  constructor(location: SourceLocation, problem: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(formatLocation(location) + ': ' + problem, { exitCode: ExitCode.BadInput, ...opts });
    this.name = 'InputError';
    this.location = location;
  }
}

export function formatLocation(loc: SourceLocation): string {
  const parts = [loc.file];
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.row !== undefined) parts.push(`data row ${loc.row}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  return parts.join(', ');
}

export class UsageError extends TokenledgerError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.BadInput, ...(hint === undefined ? {} : { hint }) });
    this.name = 'UsageError';
  }
}
