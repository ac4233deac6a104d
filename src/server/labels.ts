/**
 * `POST /api/anomalies/<id>/label`: the dashboard's label buttons (and scripts) store the label
 * `tokenledger anomalies label ID yes|no|planned` stores, through the same application function
 * (app/anomaly-label.ts), looked up in the caller's scope. Body: form fields or JSON `label`, optional
 * `note`, `month` / `from` / `to` and `cost` (the report's period), `back` (the page to return to).
 *
 * 1. Role: finance and admin (mayLabel); a viewer is refused (403).
 * 2. Cross-site requests: app.ts passes `sameOrigin` (a bearer token, or the browser's Origin /
 *    Sec-Fetch-Site naming this site); otherwise 403, so another site cannot make a signed-in browser
 *    label (on top of the SameSite=Strict session cookie).
 * 3. A browser form (Accept: text/html) is sent back to `back` (a path of the anomalies page) with 303;
 *    anything else gets JSON. Errors are the API's (400 bad ID or label, 404-like usage error, 503 busy).
 */
import { labelAnomaly } from '../app/anomaly-label.js';
import { parsePeriod } from '../domain/period.js';
import { errorAnswer, jsonAnswer, Refusal, type Answer, type Backend } from './api.js';
import { mayLabel } from './policy.js';
import type { Caller } from './principals.js';

export const LABEL_PATH = /^\/api\/anomalies\/([^/]+)\/label$/;

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The page a labelling form returns to: the anomalies page with its query, never another path or site. */
export function backTo(v: unknown): string {
  const s = text(v);
  return s && /^\/anomalies(\?[^\s\\#]*)?$/.test(s) ? s : '/anomalies';
}

export async function labelAnswer(b: Backend, caller: Caller, id: string, body: Record<string, unknown>,
  o: { sameOrigin: boolean }): Promise<Answer & { back?: string }> {
  try {
    if (!o.sameOrigin) throw new Refusal(403, 'labelling from another site refused');
    if (!mayLabel(caller.role)) throw new Refusal(403, `labelling anomalies is not open to the ${caller.role} role`);
    const period = parsePeriod({ month: text(body.month) || undefined, from: text(body.from) || undefined,
      to: text(body.to) || undefined });
    const a = await labelAnomaly(b.g, b.fx, { id, label: text(body.label) ?? '', note: text(body.note)?.slice(0, 500) || null, period,
      cost: text(body.cost) || undefined }, caller.scope);
    return { ...jsonAnswer(200, { labelled: a, by: caller.name }), back: backTo(body.back) };
  } catch (e) {
    return errorAnswer(e, caller, b.fx);
  }
}
