/** The pack's words: rules as sentences, checks as counts, file names relative to the export folder. */
import { describe, expect, it } from 'vitest';
import { checksTitle, commonFolder, describeMatch, describeSharingRule, relativeTo } from './cfo-words.js';

describe('cfo words', () => {
  it('says a rule in a sentence, never as JSON', () => {
    expect(describeMatch({ service_name: ['Log Analytics', 'Storage Accounts'], tags: { team: 'platform' } }))
      .toBe('service is Log Analytics or Storage Accounts and tag team is platform');
    const gateway = describeSharingRule({
      name: 'ai-gateway', match: { service_name: 'API Management' }, basis: 'fixed_plus_units', fixed: '300',
    });
    expect(gateway).toBe('platform cost no feature claims where service is API Management: a fixed 300 per month split equally,'
      + ' the rest by units of work.');
    expect(describeSharingRule({ name: 's', classes: ['overhead'], basis: 'percent', percent: { a: 60, b: 40 } }))
      .toBe('overhead cost no feature claims, split by agreed percentages: a 60%, b 40%.');
    for (const text of [gateway]) expect(text).not.toMatch(/[{}"]/);
  });

  it('counts checks in words', () => {
    const c = (status: 'pass' | 'warn' | 'fail') => ({ id: 'x', area: 'recency' as const, status, count: 0, detail: '', examples: [] });
    expect(checksTitle([c('pass'), c('warn'), c('pass')]))
      .toBe('Data checks: 0 failing, 1 warning, 2 passing (nothing that changes the figures)');
    expect(checksTitle([c('fail')])).toMatch(/^Data checks: 1 failing, 0 warning, 0 passing/);
  });

  it('cuts the folder all file names share', () => {
    const examples = ['/tmp/x/demo/billing/a/part_1.csv:2: missing', '/tmp/x/demo/billing/b/part_2.csv:9 (ok)'];
    const folder = commonFolder(examples);
    expect(folder).toBe('/tmp/x/demo/billing/');
    expect(examples.map((e) => relativeTo(folder, e))).toEqual(['a/part_1.csv:2: missing', 'b/part_2.csv:9 (ok)']);
    expect(commonFolder(['no paths here'])).toBe('');
  });
});
