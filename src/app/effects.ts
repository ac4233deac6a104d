/**
 * What a command does to the world besides the store, injected: where its output and messages go, the
 * clock, the environment and the working folder. The command line passes the process's; tests pass
 * `memoryEffects()` and read what a command printed, in-process, without spawning the built binary.
 */
export interface Effects {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The clock (today's date comes from it unless --today or TOKENLEDGER_TODAY says otherwise). */
  now(): Date;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Progress bars draw only on a terminal. */
  interactive: boolean;
  /** The terminal's width when stdout is one (tables are fitted to it); undefined for files and pipes. */
  columns?: number | undefined;
}

export function processEffects(): Effects {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    now: () => new Date(),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stderr.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  };
}

/** Effects that keep what a command prints, for tests. */
export function memoryEffects(o: { now?: Date; env?: Record<string, string | undefined>; cwd?: string } = {}): Effects
  & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    now: () => o.now ?? new Date(),
    env: o.env ?? {},
    cwd: o.cwd ?? process.cwd(),
    interactive: false,
  };
}
