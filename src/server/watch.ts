/**
 * `serve --watch DIR`: FOCUS exports that land in a folder (where Cost Management exports are synced) are
 * ingested while the server runs, by the same `tokenledger ingest focus` a cron job would run, in a child
 * process: the write lock is held only while it ingests, a crash or a bad file leaves the store as it
 * was (the ingest is one transaction), and the server itself never writes.
 *
 * 1. Every interval, the folder is listed as exports: a folder with manifest.json is one export (not
 *    descended into); other CSV, CSV.gz and Parquet files are one export each. An export's fingerprint is
 *    its files' paths, sizes and modification times.
 * 2. An export is offered once its fingerprint is the same on two scans in a row (a file still being
 *    copied changes between scans) and differs from the last one offered.
 * 3. The new exports of a scan go to one ingest. It succeeded (0): remembered. Bad input (2): remembered
 *    as failed with the ingest's message, not retried until the files change. The store was busy (3):
 *    offered again next scan. The status (last scan, last ingest, failures) is what the dashboard shows.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface IngestRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WatchFailure {
  export: string;
  at: string;
  message: string;
}

export interface WatchStatus {
  dir: string;
  interval_seconds: number;
  last_scan: string | null;
  last_ingest: { at: string; exports: string[]; code: number; message: string } | null;
  /** Exports whose last ingest failed on bad input, until their files change. */
  failures: WatchFailure[];
  ingested: number;
}

const EXPORT_FILE = /\.(csv|csv\.gz|parquet)$/i;

/** 1. The exports under `dir` and their fingerprints. */
export function listExports(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (folder: string): void => {
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch {
      return; // removed while listing: seen next scan
    }
    if (folder !== dir && names.includes('manifest.json')) {
      out.set(folder, fingerprint(folder, names.map((n) => join(folder, n))));
      return;
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = join(folder, n);
      const s = statSafe(p);
      if (!s) continue;
      if (s.isDirectory()) walk(p);
      else if (EXPORT_FILE.test(n)) out.set(p, `${s.size}:${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

function statSafe(p: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function fingerprint(folder: string, files: string[]): string {
  return files.map((f) => {
    const s = statSafe(f);
    return s?.isFile() ? `${relative(folder, f)}:${s.size}:${s.mtimeMs}` : '';
  }).join('|');
}

/** The first line of the ingest's error ("error: file, line 2, ..."), or its last line; paths relative to the folder. */
function messageOf(r: IngestRun, dir: string): string {
  const lines = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => l.startsWith('error:')) ?? lines[lines.length - 1] ?? `exit ${r.code}`;
  return line.replace(/^error:\s*/, '').split(`${dir}${sep}`).join('');
}

export class FolderWatch {
  private readonly seen = new Map<string, string>(); // export -> fingerprint on the previous scan
  private readonly offered = new Map<string, string>(); // export -> fingerprint last ingested or failed
  private readonly failed = new Map<string, WatchFailure>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private state: Omit<WatchStatus, 'failures'>;

  constructor(private readonly dir: string, private readonly intervalMs: number,
    private readonly ingest: (exports: string[]) => Promise<IngestRun>, private readonly now: () => Date = () => new Date()) {
    this.state = { dir, interval_seconds: intervalMs / 1000, last_scan: null, last_ingest: null, ingested: 0 };
  }

  status(): WatchStatus {
    return { ...this.state, failures: [...this.failed.values()] };
  }

  start(): void {
    const loop = () => {
      this.running = this.scan().finally(() => {
        this.running = null;
        if (this.timer) this.timer = setTimeout(loop, this.intervalMs);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  /** Stop scanning; an ingest under way is waited for (it is a child process with its own transaction). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One scan (2, 3); exported for tests that step the watch by hand. */
  async scan(): Promise<void> {
    const current = listExports(this.dir);
    const ready = [...current].filter(([p, f]) => this.seen.get(p) === f && this.offered.get(p) !== f).map(([p]) => p);
    this.seen.clear();
    for (const [p, f] of current) this.seen.set(p, f);
    for (const p of [...this.failed.keys()]) if (!current.has(p)) this.failed.delete(p);
    this.state.last_scan = this.now().toISOString();
    if (!ready.length) return;
    // one ingest for the new exports; one of them bad fails it whole, so then each is ingested alone
    const r = await this.ingestSome(ready, current);
    if (r.code === 2 && ready.length > 1) for (const p of ready) await this.ingestSome([p], current);
  }

  private async ingestSome(exports: string[], current: Map<string, string>): Promise<IngestRun> {
    const r = await this.ingest(exports);
    const at = this.now().toISOString();
    const shown = exports.map((p) => relative(this.dir, p) || '.');
    this.state.last_ingest = { at, exports: shown, code: r.code, message: r.code === 0 ? 'ingested' : messageOf(r, this.dir) };
    if (r.code === 3) return r; // the store was busy (another ingest): next scan
    if (r.code === 2 && exports.length > 1) return r; // the caller tries each alone
    for (const [i, p] of exports.entries()) {
      this.offered.set(p, current.get(p)!);
      if (r.code === 0) this.failed.delete(p);
      else this.failed.set(p, { export: shown[i]!, at, message: messageOf(r, this.dir) });
    }
    if (r.code === 0) this.state.ingested += exports.length;
    return r;
  }
}
