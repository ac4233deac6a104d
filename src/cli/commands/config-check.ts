/**
 * `tokenledger config check`: validate tokenledger.yaml and print what it resolved to (store, memory,
 * rules, telemetry mapping), so a user sees the effect of each key before ingesting anything.
 */
import { DEFAULT_MEMORY_LIMIT } from '../../store/db.js';
import { DIMENSIONS } from '../../ingest/telemetry/openai-jsonl.js';
import { DEFAULT_RULES_PATH, loadRules } from '../../normalize/rules.js';
import { resolveConfig, storePath, type GlobalOptions } from '../context.js';

export function runConfigCheck(o: GlobalOptions & { format?: string }): Record<string, unknown> {
  const config = resolveConfig(o);
  const rules = loadRules(config.rules);
  const dims = Object.fromEntries(['feature', 'team', 'environment', 'cost_center', 'resource_id', 'deployment'].map((d) => [
    d, [...(config.telemetry?.dimensions?.[d as keyof NonNullable<NonNullable<typeof config.telemetry>['dimensions']>] ?? []), ...(DIMENSIONS[d] ?? [])],
  ]));
  const resolved = {
    config_file: config.path ?? '(none: defaults)',
    store: storePath(o, config),
    memory_limit: process.env.TOKENLEDGER_MEMORY_LIMIT ?? config.memory_limit ?? DEFAULT_MEMORY_LIMIT,
    rules: config.rules ? [config.rules, DEFAULT_RULES_PATH] : [DEFAULT_RULES_PATH],
    rule_counts: { models: rules.models.length, token_types: rules.tokenTypes.length, non_token_charges: rules.nonTokenCharges.length },
    report_cost_basis: config.reports?.cost ?? 'effective',
    focus_scope: config.ingest?.focus?.scope ?? '(per export / file)',
    telemetry_dimensions: dims,
    telemetry_resources: config.telemetry?.resources ?? [],
    telemetry_defaults: config.telemetry?.defaults ?? {},
  };
  if (o.format === 'json') {
    process.stdout.write(JSON.stringify(resolved, null, 2) + '\n');
  } else {
    const lines = ['Configuration is valid.', ''];
    for (const [k, v] of Object.entries(resolved)) {
      if (k === 'telemetry_dimensions') {
        lines.push('telemetry dimensions (first present wins):');
        for (const [d, names] of Object.entries(v as Record<string, string[]>)) lines.push(`  ${d.padEnd(12)} ${names.join(', ')}`);
      } else if (k === 'telemetry_resources') {
        const list = v as { match: object; resource_id?: string; model?: string }[];
        lines.push(`telemetry resources: ${list.length ? '' : '(none)'}`);
        for (const r of list) lines.push(`  ${JSON.stringify(r.match)} -> ${[r.resource_id, r.model].filter(Boolean).join(', ')}`);
      } else lines.push(`${k.replace(/_/g, ' ')}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  }
  return resolved;
}
