/** Webhook payloads per format for one breach event: what Slack, Teams and a JSON receiver are sent. */
import { describe, expect, it } from 'vitest';
import { eventId, type AlertEvent } from './events.js';
import { payload } from './payloads.js';

const EVENT: AlertEvent = {
  id: eventId(['budget', 'b', 'cost', '2026-10-01', 'actual', 100, '1400', 'USD']), kind: 'budget', severity: 'breach', subject: 'b',
  period: '2026-10', title: 'Budget b spent 107.14% of 1400 USD in 2026-10 (threshold 100%)',
  data: { budget: 'b', amount: '1400', spent: '1500', scope: { feature: ['x'] }, exhaustion_date: null },
};

describe('alert payloads', () => {
  it('slack: mrkdwn text and a section block with the dashboard link', () => {
    expect(payload(EVENT, 'slack', 'https://d.example/')).toEqual({
      text: ':rotating_light: *tokenledger breach*: Budget b spent 107.14% of 1400 USD in 2026-10 (threshold 100%) ' +
        '<https://d.example/budgets|open>',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining('*tokenledger breach*') as unknown } }],
    });
  });

  it('teams: a MessageCard with the scalar facts and an OpenUri action', () => {
    expect(payload(EVENT, 'teams', 'https://d.example')).toEqual({
      '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: EVENT.title, themeColor: 'D13438',
      title: 'tokenledger breach: b', text: EVENT.title,
      sections: [{ facts: [{ name: 'budget', value: 'b' }, { name: 'amount', value: '1400' }, { name: 'spent', value: '1500' }] }],
      potentialAction: [{ '@type': 'OpenUri', name: 'Open', targets: [{ os: 'default', uri: 'https://d.example/budgets' }] }],
    });
  });

  it('json: the event as data; no link without dashboard_url; ids are stable and change with the amount', () => {
    expect(payload(EVENT, 'json')).toEqual({ type: 'budget.breach', id: EVENT.id, subject: 'b', period: '2026-10', title: EVENT.title,
      event: EVENT.data, link: null });
    expect(eventId(['budget', 'b', 'cost', '2026-10-01', 'actual', 100, '1400', 'USD'])).toBe(EVENT.id);
    expect(eventId(['budget', 'b', 'cost', '2026-10-01', 'actual', 100, '1500', 'USD'])).not.toBe(EVENT.id);
  });
});
