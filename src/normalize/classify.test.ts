import { describe, expect, it } from 'vitest';
import type { MeterFacts } from '../domain/ai-charge.js';
import { classifyMeter } from './classify.js';
import { loadRules } from './rules.js';

const rules = loadRules();

function azure(meterName: string, extra: Partial<MeterFacts> = {}): MeterFacts {
  return {
    provider: 'Microsoft', serviceName: 'Azure OpenAI', serviceCategory: 'AI and Machine Learning',
    serviceSubcategory: null, meterCategory: 'Foundry Models', meterSubcategory: 'Azure OpenAI',
    meterName, skuMeter: null, skuPriceDetails: null, usageType: null, pricingUnit: 'Units',
    pricingUnitDescription: '1M Tokens', pricingBlockSize: null, consumedUnit: 'Units', ...extra,
  };
}

// Hand-built table: Azure meter name -> model, version, token type, tier, scope (names from the primer
// and from public Azure issues; their irregular spelling is the point).
const TABLE: [string, string | null, string | null, string | null, string, string][] = [
  // meter name,                              model,          version, token type,    tier,          scope
  ['gpt 4o 0513 Input global Tokens',          'gpt-4o',       '0513', 'input',        'standard',    'global'],
  ['gpt-4o-mini-0718-Inp-glbl Tokens',         'gpt-4o-mini',  '0718', 'input',        'standard',    'global'],
  ['gpt 4o 1120 cached Inp glbl Tokens',       'gpt-4o',       '1120', 'cached_input', 'standard',    'global'],
  ['gpt-4o-mini-0718-Batch-Inp-glbl',          'gpt-4o-mini',  '0718', 'input',        'batch',       'global'],
  ['gpt 4.1 Batch Inp glbl',                   'gpt-4.1',      null,   'input',        'batch',       'global'],
  ['o3 Inpt DZone 1M Tokens',                  'o3',           null,   'input',        'standard',    'datazone'],
  ['5 mini pp Inp Gl 1M Tokens',               'gpt-5-mini',   null,   'input',        'priority',    'global'],
  ['GPT 5 outpt Glbl 1M Tokens',               'gpt-5',        null,   'output',       'standard',    'global'],
  ['5.1 codex opt Gl 1M Tokens',               'gpt-5.1-codex', null,  'output',       'standard',    'global'],
  ['5.6 sol ShortCo Cd Inp Std Gl 1M Tokens',  'gpt-5.6',      null,   'cached_input', 'standard',    'global'],
  ['5.6 sol ShortCo Cd Wr Std Gl 1M Tokens',   'gpt-5.6',      null,   'cache_write',  'standard',    'global'],
  ['gpt-4.1-mini-0414-Outp-DZone',             'gpt-4.1-mini', '0414', 'output',       'standard',    'datazone'],
  ['gpt 4o 0806 Output regional Tokens',       'gpt-4o',       '0806', 'output',       'standard',    'regional'],
  ['gpt-4o-0806-Inp-regnl',                    'gpt-4o',       '0806', 'input',        'standard',    'regional'],
  ['gpt 35 turbo 0125 Input Tokens',           'gpt-35-turbo', '0125', 'input',        'standard',    'regional'],
  ['text-embedding-3-large Tokens',            null,           null,   null,           'standard',    'regional'],
  ['o4-mini Outpt Gl 1M Tokens',               'o4-mini',      null,   'output',       'standard',    'global'],
  ['gpt 4.1 nano Batch Outp DZone',            'gpt-4.1-nano', null,   'output',       'batch',       'datazone'],
];

describe('classifyMeter: Azure meter names', () => {
  it.each(TABLE)('%s', (name, model, version, tokenType, tier, scope) => {
    const c = classifyMeter(azure(name), rules);
    expect(c.isAi).toBe(true);
    if (model === null) {
      // embeddings: the model is known, the meter carries no direction, so the token type stays unknown
      expect(c.model).toBe('text-embedding-3-large');
      expect(c.unclassified).toBe(true);
      return;
    }
    expect({ model: c.model, version: c.modelVersion, tokenType: c.tokenType, tier: c.tier, scope: c.scope })
      .toEqual({ model, version, tokenType, tier, scope });
    expect(c.unclassified).toBe(false);
    expect(c.blockSize).toBe(1_000_000n);
  });

  it('PTU hours are an AI charge with no token type, tier provisioned', () => {
    const c = classifyMeter(azure('Provisioned Managed Global Unit', { pricingUnitDescription: '1 Hour' }), rules);
    expect(c).toMatchObject({ isAi: true, tokenType: null, tier: 'provisioned', scope: 'global', unclassified: false });
    expect(c.blockSize).toBe(1n);
  });

  it('an unknown model in an AI service is unclassified with a reason, never guessed', () => {
    const c = classifyMeter(azure('zeta-9 Inp Gl 1M Tokens'), rules);
    expect(c).toMatchObject({ isAi: true, model: null, tokenType: null, unclassified: true });
    expect(c.reason).toMatch(/no model rule/);
  });

  it('a token type on a meter priced in hours is refused', () => {
    const c = classifyMeter(azure('gpt 4o Input Training', { pricingUnitDescription: '1 Hour' }), rules);
    expect(c.tokenType).toBeNull();
    expect(c.unclassified).toBe(true);
  });

  it('non-AI meters are left alone', () => {
    const c = classifyMeter(azure('D4s v5',
      { serviceName: 'Virtual Machines', meterCategory: 'Virtual Machines', meterSubcategory: 'Dsv5 Series' }), rules);
    expect(c).toMatchObject({ isAi: false, unclassified: false, model: null });
  });

  it('uses x_PricingBlockSize when present', () => {
    expect(classifyMeter(azure('gpt 4o 0513 Input global Tokens', { pricingBlockSize: '1000', pricingUnitDescription: null }), rules)
      .blockSize).toBe(1000n);
  });
});

describe('classifyMeter: FOCUS SkuPriceDetails', () => {
  const focus = (details: object, skuMeter: string): MeterFacts => ({
    ...azure('', { meterName: null, meterCategory: null, meterSubcategory: null, serviceName: 'Solora Generative AI API',
      serviceSubcategory: 'Generative AI' }),
    skuMeter, skuPriceDetails: JSON.stringify(details), pricingUnit: '1000000 Tokens', pricingUnitDescription: null,
  });
  it('reads ModelId, TokenDirection and TokenCacheAction', () => {
    expect(classifyMeter(focus({ ModelId: 'solora-reasoning-pro', ModelVersion: '3.0', TokenCacheAction: 'Read', TokenDirection: 'Input' },
      'Cache Read Input Tokens'), rules))
      .toMatchObject({ model: 'solora-reasoning-pro', modelVersion: '3.0', tokenType: 'cached_input', tier: 'standard',
        blockSize: 1_000_000n });
    expect(classifyMeter(focus({ ModelId: 'x', TokenCacheAction: 'Write', TokenDirection: 'Input' }, 'Cache Write Input Tokens'), rules)
      .tokenType).toBe('cache_write');
    expect(classifyMeter(focus({ ModelId: 'x', TokenType: 'Output' }, 'Output Tokens'), rules).tokenType).toBe('output');
  });
  it('falls back to SkuMeter when the details carry no direction', () => {
    expect(classifyMeter(focus({ ModelId: 'Solora Atlas 5.5' }, 'Input Tokens'), rules)).toMatchObject({ model: 'solora-atlas-5.5',
      tokenType: 'input' });
  });
});
