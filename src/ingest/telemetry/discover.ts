/** Telemetry files under the given paths: files as given, folders searched for .jsonl / .ndjson / .json (and .gz). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TokenledgerError } from '../../domain/errors.js';

const TELEMETRY_FILE = /\.(jsonl|ndjson|json|csv)(\.gz)?$/i;

export function listTelemetryFiles(paths: string[], what = 'telemetry'): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (TELEMETRY_FILE.test(p)) out.push(p);
    }
  };
  for (const raw of paths) {
    const p = resolve(raw);
    if (!existsSync(p)) throw new TokenledgerError(`${raw}: no such file or folder`);
    if (statSync(p).isDirectory()) {
      const before = out.length;
      walk(p);
      if (out.length === before) throw new TokenledgerError(`${raw}: no ${what} files found (looked for .jsonl, .ndjson, .json, .csv)`);
    } else out.push(p);
  }
  return out;
}
