/**
 * The frame every page shares: navigation (only the pages the caller's role may open), who is signed
 * in with which scope, sign-out; and the sign-in page. Pages that later issues add (budgets,
 * anomalies, forecasts) add a line to PAGES and get the same frame and access rules.
 */
import type { Role } from '../config/access.js';
import type { ReportName } from '../report/request.js';
import { html, type Html } from './html.js';
import { mayAdminister, mayReport } from './policy.js';
import { scopeText, type Caller } from './principals.js';

export interface PageSpec {
  path: string;
  title: string;
  /** The reports the page shows: the caller must be allowed every one. */
  reports: ReportName[];
  admin?: true;
}

export const PAGES: PageSpec[] = [
  { path: '/', title: 'Overview', reports: ['summary', 'allocation', 'cost-per-token'] },
  { path: '/cost-per-token', title: 'Cost per token', reports: ['cost-per-token'] },
  { path: '/allocation', title: 'Allocation', reports: ['allocation'] },
  { path: '/unit-economics', title: 'Unit economics', reports: ['unit-economics'] },
  { path: '/variance', title: 'Variance', reports: ['variance'] },
  { path: '/reconciliation', title: 'Reconciliation', reports: ['reconcile'] },
  { path: '/data-quality', title: 'Data quality', reports: ['tag-coverage', 'telemetry-coverage', 'ingestions'] },
  { path: '/budgets', title: 'Budgets', reports: ['budgets'] },
  { path: '/forecast', title: 'Forecast', reports: ['forecast'] },
  { path: '/anomalies', title: 'Anomalies', reports: ['anomalies'] },
  { path: '/savings', title: 'Savings', reports: ['savings'] },
  { path: '/ptu-plan', title: 'PTU plan', reports: ['ptu-plan'] },
  { path: '/capacity', title: 'Capacity', reports: ['quota', 'throughput', 'gpu', 'capacity-reservations'] },
  { path: '/access-log', title: 'Access log', reports: [], admin: true },
];

export function mayOpen(role: Role, page: PageSpec): boolean {
  if (page.admin) return mayAdminister(role);
  return page.reports.every((r) => mayReport(role, r));
}

export function shell(o: { title: string; path: string; caller: Caller; signedIn: boolean; body: Html }): Html {
  const nav = PAGES.filter((p) => mayOpen(o.caller.role, p))
    .map((p) => html`<a href="${p.path}" class="${p.path === o.path ? 'here' : ''}">${p.title}</a>`);
  const out = o.signedIn ? html`<form method="post" action="/signout"><button type="submit">Sign out</button></form>` : null;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · tokenledger</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><header class="top"><span class="brand">tokenledger</span><nav>${nav}</nav>
<span class="who">${o.caller.name} (${o.caller.role}; scope: ${scopeText(o.caller.scope)})</span>${out}</header>
<main><h1>${o.title}</h1>${o.body}</main></body></html>`;
}

export function signInPage(o: { message: string | null; next: string; oidc?: string | undefined }): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · tokenledger</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><div class="signin"><h1>tokenledger</h1>
${o.message ? html`<p class="error" role="alert">${o.message}</p>` : null}
<form method="post" action="/signin"><label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<input type="hidden" name="next" value="${o.next}">
<button type="submit">Sign in</button></form>
${o.oidc ? html`<p class="or">or</p>
<a class="button" id="oidc" href="/auth/oidc/start?next=${encodeURIComponent(o.next)}">${o.oidc}</a>` : null}
<p class="notes">Your token comes from whoever runs this server (<code>tokenledger access add</code>).</p></div></body></html>`;
}

/** After a sign-in with the identity provider: a same-site step to the page asked for (see app.ts). */
export function signedInPage(name: string, next: string): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${next}">
<title>Signed in · tokenledger</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><div class="signin"><h1>tokenledger</h1>
<p>Signed in as ${name}. <a id="continue" href="${next}">Continue</a></p></div></body></html>`;
}
