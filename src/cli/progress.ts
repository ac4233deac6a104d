/**
 * Progress on stderr for long work: a bar with rows/s and ETA when stderr is a terminal, nothing when
 * --quiet or when output goes to a file or pipe (scripts get clean output).
 */
import cliProgress from 'cli-progress';
import type { Effects } from '../app/effects.js';

export interface Progress {
  /** False when nothing is shown (quiet, or not a terminal). */
  active: boolean;
  update(fraction: number, rows: number): void;
  stop(): void;
}

const NONE: Progress = { active: false, update() {}, stop() {} };

export function createProgress(label: string, quiet: boolean, fx: Pick<Effects, 'interactive'>,
  stream: NodeJS.WriteStream = process.stderr): Progress {
  if (quiet || !fx.interactive || !stream.isTTY) return NONE;
  const started = Date.now();
  const bar = new cliProgress.SingleBar({
    format: `${label} {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`,
    stream,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(1000, 0, { rows: 0, rate: 0 });
  return {
    active: true,
    update(fraction, rows) {
      const secs = Math.max(0.001, (Date.now() - started) / 1000);
      bar.update(Math.min(1000, Math.round(fraction * 1000)),
        { rows: rows.toLocaleString('en-US'), rate: Math.round(rows / secs).toLocaleString('en-US') });
    },
    stop() {
      bar.stop();
    },
  };
}
