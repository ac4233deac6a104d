/**
 * Webhook payloads for an alert event, per receiver format:
 * - slack: an incoming-webhook message (`text` with mrkdwn, one section block);
 * - teams: an Office 365 connector MessageCard (title, text, facts), which Teams incoming webhooks and
 *   workflows accept;
 * - json: the event as data (type, budget or subject, scope, amounts, projection, data through), with a
 *   link to the dashboard page when `alerts.dashboard_url` is set.
 */
import type { JsonValue } from '../store/db.js';
import type { AlertEvent } from './events.js';

export type WebhookFormat = 'slack' | 'teams' | 'json';

function link(e: AlertEvent, dashboard: string | undefined): string | null {
  if (!dashboard) return null;
  const page = e.kind === 'budget' ? 'budgets' : e.kind === 'anomaly' ? 'anomalies' : 'check';
  return `${dashboard.replace(/\/+$/, '')}/${page}`;
}

const facts = (e: AlertEvent) => Object.entries(e.data).filter(([, v]) => v !== null && typeof v !== 'object')
  .map(([k, v]) => ({ name: k.replace(/_/g, ' '), value: String(v as string | number | boolean) }));

export function payload(e: AlertEvent, format: WebhookFormat, dashboard?: string): JsonValue {
  const url = link(e, dashboard);
  const icon = e.severity === 'breach' ? ':rotating_light:' : ':warning:';
  if (format === 'slack') {
    const text = `${icon} *tokenledger ${e.severity}*: ${e.title}${url ? ` <${url}|open>` : ''}`;
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  if (format === 'teams') {
    return {
      '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: e.title,
      themeColor: e.severity === 'breach' ? 'D13438' : 'FFB900', title: `tokenledger ${e.severity}: ${e.subject}`, text: e.title,
      sections: [{ facts: facts(e) }],
      ...(url ? { potentialAction: [{ '@type': 'OpenUri', name: 'Open', targets: [{ os: 'default', uri: url }] }] } : {}),
    };
  }
  return { type: `${e.kind}.${e.severity}`, id: e.id, subject: e.subject, period: e.period, title: e.title, event: e.data, link: url };
}
