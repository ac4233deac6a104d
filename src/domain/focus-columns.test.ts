import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AZURE_FOCUS_1_2_PREVIEW_COLUMNS } from '../demo/azure-columns.js';
import { ext } from '../test-support/paths.js';
import { ADDED_IN_1_1, ADDED_IN_1_2, ADDED_IN_1_3, detectFocusVersion, FOCUS_COLUMNS, missingSpecColumns } from './focus-columns.js';

const header = (path: string) => readFileSync(path, 'utf8').split(/\r?\n/)[0]!.split(',').map((c) => c.replace(/^"|"$/g, ''));

describe('FOCUS versions', () => {
  it('has the column counts of the specifications', () => {
    expect(FOCUS_COLUMNS['1.0'].length).toBe(43);
    expect(FOCUS_COLUMNS['1.1'].length).toBe(50);
    expect(FOCUS_COLUMNS['1.2'].length).toBe(57);
    expect(FOCUS_COLUMNS['1.3'].length).toBe(65);
  });

  it('detects the version of real files', () => {
    const sample = header(ext('focus-1.0-sample', 'focus_sample.csv'));
    expect(detectFocusVersion(sample)).toBe('1.0');
    expect(missingSpecColumns(sample, '1.0')).toEqual([]);
    for (const f of ['ai_prompt_caching_a.csv', 'multi_model_usage.csv', 'per_token_foundation_model_api.csv',
      'drawdown_via_prepayment_foundation_model_api.csv']) {
      expect(detectFocusVersion(header(ext('focus-ai-examples', f)))).toBe('1.3');
    }
  });

  it("detects Microsoft's 1.2-preview from its published column set, and plain 1.1 / 1.2 / 1.3", () => {
    const meta = JSON.parse(readFileSync(ext('finops-toolkit-open-data', 'FocusCost_1.2-preview.metadata.json'),
      'utf8')) as { Columns: { ColumnName: string }[] };
    const cols = meta.Columns.map((c) => c.ColumnName);
    expect(detectFocusVersion(cols)).toBe('1.2-preview');
    // Microsoft's export has every 1.2 column except the optional AvailabilityZone
    expect(missingSpecColumns(cols, '1.2-preview')).toEqual(['AvailabilityZone']);
    expect(detectFocusVersion([...FOCUS_COLUMNS['1.0'], ...ADDED_IN_1_1])).toBe('1.1');
    expect(detectFocusVersion(FOCUS_COLUMNS['1.2'])).toBe('1.2');
    expect(detectFocusVersion(FOCUS_COLUMNS['1.3'].map((c) => c.toLowerCase()))).toBe('1.3');
    expect(missingSpecColumns(FOCUS_COLUMNS['1.2'].filter((c) => !ADDED_IN_1_2.includes(c as never)), '1.2')).toEqual([...ADDED_IN_1_2]);
    expect(ADDED_IN_1_3).toContain('ServiceProviderName');
  });

  it('the demo writes exactly the 106 columns of the published 1.2-preview metadata, in order', () => {
    const meta = JSON.parse(readFileSync(ext('finops-toolkit-open-data', 'FocusCost_1.2-preview.metadata.json'),
      'utf8')) as { Columns: { ColumnName: string }[] };
    expect([...AZURE_FOCUS_1_2_PREVIEW_COLUMNS]).toEqual(meta.Columns.map((c) => c.ColumnName));
    expect(AZURE_FOCUS_1_2_PREVIEW_COLUMNS.length).toBe(106);
  });
});
