/** The file `tokenledger init` writes loads as written, and with every example in it uncommented. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_TEMPLATE, loadConfig } from './config.js';

const EXAMPLE = /^(\s*)# ?(\s*(?:[\w-]+:(?:\s|$)|- [\w-]+:).*)$/;

/** Uncomment every example line (a commented YAML key or list item); prose comments stay comments. */
function uncommented(template: string): string {
  return template.split('\n').map((line) => {
    const m = EXAMPLE.exec(line);
    return m ? `${m[1]}${m[2]}` : line;
  }).join('\n');
}

function load(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tl-init-'));
  const path = join(dir, 'tokenledger.yaml');
  writeFileSync(path, text);
  return loadConfig(path);
}

describe('the init template', () => {
  it('loads as written', () => {
    const c = load(CONFIG_TEMPLATE);
    expect(c.store).toMatch(/ledger\.duckdb$/);
    expect(c.reports?.cost).toBe('effective');
  });

  it('loads with every example uncommented, and each example takes effect', () => {
    const text = uncommented(CONFIG_TEMPLATE);
    expect(text).not.toBe(CONFIG_TEMPLATE);
    const c = load(text);
    expect(c.memory_limit).toBe('4GB');
    expect(c.ingest?.focus?.scope).toBe('my-enrollment-daily');
    expect(c.telemetry?.resources?.[0]?.model).toBe('gpt-4o');
    expect(Object.keys(c.units ?? {})).toEqual(['ticket', 'document']);
    expect(c.sharing?.map((r) => r.name)).toEqual(['vector-store', 'ai-gateway', 'security']);
    expect(c.cost_classes?.[0]?.class).toBe('platform');
    expect(c.prices?.sheet).toMatch(/my-prices\.csv$/);
    expect(c.savings?.batch?.timezone).toBe('America/New_York');
    expect(c.savings?.features?.['doc-intake']).toEqual({ deferrable: true, global_ok: true, hit_rate: 0.6 });
  });

  it('a config error never suggests overwriting the file', () => {
    expect(() => load('ingest:\n  focus:\n')).toThrow(/ingest\.focus/);
    try {
      load('stroe: x\n');
    } catch (e) {
      expect((e as { hint?: string }).hint).not.toMatch(/--force/);
    }
  });
});
