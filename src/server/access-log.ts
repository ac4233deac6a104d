/**
 * The access log: one JSON line per request (time, principal, role, method, route, scope, status,
 * milliseconds), appended to a file beside the store, never to the store itself (the server must not
 * take the store's write lock). Tokens and cookies are never written; the route is the path and query.
 * The administrator reads the latest entries through /api/access-log and the Access log page.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export interface AccessEntry {
  time: string;
  principal: string;
  role: string;
  method: string;
  route: string;
  scope: string;
  status: number;
  ms: number;
}

export class AccessLog {
  constructor(readonly path: string) {}

  append(e: AccessEntry): void {
    appendFileSync(this.path, JSON.stringify(e) + '\n');
  }

  /** The latest `limit` entries, newest first (a torn last line from a crash is skipped). */
  latest(limit = 200): AccessEntry[] {
    if (!existsSync(this.path)) return [];
    const lines = readFileSync(this.path, 'utf8').split('\n').filter(Boolean).slice(-limit);
    const out: AccessEntry[] = [];
    for (const line of lines) {
      try {
        out.push(JSON.parse(line) as AccessEntry);
      } catch {
        // a line cut short by a crash: not an entry
      }
    }
    return out.reverse();
  }
}
