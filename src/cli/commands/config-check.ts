/**
 * `tokenledger config check`: validate tokenledger.yaml and print what it resolved to (store, memory,
 * rules, telemetry mapping), so a user sees the effect of each key before ingesting anything.
 */
import { DEFAULT_MEMORY_LIMIT } from '../../store/db.js';
import { DIMENSIONS } from '../../ingest/telemetry/openai-jsonl.js';
import { DEFAULT_RULES_PATH, loadRules } from '../../normalize/rules.js';
import { resolveConfig, storePath, type GlobalOptions } from '../../app/context.js';
import type { Effects } from '../../app/effects.js';
import { BUILTIN_CLASS_RULES } from '../../allocate/classes.js';
import { ruleClasses } from '../../config/economics.js';
import { EVENT_ALIASES } from '../../ingest/events/select.js';

export function runConfigCheck(o: GlobalOptions & { format?: string }, fx: Effects): Record<string, unknown> {
  const config = resolveConfig(o, fx);
  const rules = loadRules(config.rules);
  const dims = Object.fromEntries(['feature', 'team', 'environment', 'cost_center', 'resource_id', 'deployment'].map((d) => [
    d, [...(config.telemetry?.dimensions?.[d as keyof NonNullable<NonNullable<typeof config.telemetry>['dimensions']>] ?? []),
      ...(DIMENSIONS[d] ?? [])],
  ]));
  const resolved = {
    config_file: config.path ?? '(none: defaults)',
    store: storePath(o, config, fx),
    memory_limit: fx.env.TOKENLEDGER_MEMORY_LIMIT ?? config.memory_limit ?? DEFAULT_MEMORY_LIMIT,
    rules: config.rules ? [config.rules, DEFAULT_RULES_PATH] : [DEFAULT_RULES_PATH],
    rule_counts: { models: rules.models.length, token_types: rules.tokenTypes.length, non_token_charges: rules.nonTokenCharges.length },
    report_cost_basis: config.reports?.cost ?? 'effective',
    focus_scope: config.ingest?.focus?.scope ?? '(per export / file)',
    telemetry_dimensions: dims,
    telemetry_resources: config.telemetry?.resources ?? [],
    telemetry_defaults: config.telemetry?.defaults ?? {},
    event_columns: Object.fromEntries(
      Object.entries(EVENT_ALIASES).map(
        ([f, names]) => [f,
          config.events?.columns?.[f as keyof typeof EVENT_ALIASES] ? [config.events.columns[f as keyof typeof EVENT_ALIASES]!] : names])),
    units: Object.fromEntries(
      Object.entries(config.units ?? {}).map(([u, d]) => [u, { features: d.features, success: d.success ?? ['success'] }])),
    cost_classes: [...(config.cost_classes ?? []).map((r) => ({ class: r.class, match: r.match, from: 'tokenledger.yaml' })),
      { class: '<tag cost-class>', match: { tags: { 'cost-class': 'token|gpu|platform|overhead|other' } }, from: 'built-in' },
      { class: 'token', match: { ai_meter: true }, from: 'built-in' },
      ...BUILTIN_CLASS_RULES.map((r) => ({ class: r.class, match: r.match, from: 'built-in' })),
      { class: 'other', match: {}, from: 'built-in' }],
    sharing: (config.sharing ?? []).map((r) => ({ ...r, classes: ruleClasses(r) })),
    budgets: config.budgets ?? [],
    alert_webhooks: (config.alerts?.webhooks ?? []).map((w) => `${w.format} ${w.url}`),
  };
  if (o.format === 'json') {
    fx.stdout(JSON.stringify(resolved, null, 2) + '\n');
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
      } else if (k === 'units') {
        const units = Object.entries(v as Record<string, { features: string[]; success: string[] }>);
        lines.push(`units: ${units.length ? '' : '(none configured: a unit type costs what the features its events name cost)'}`);
        for (const [u, d] of units)
          lines.push(`  ${u.padEnd(12)} features ${d.features.join(', ')}; success = outcome ${d.success.join(' or ')}`);
      } else if (k === 'cost_classes') {
        lines.push('cost classes (first match wins):');
        for (const r of v as { class: string; match: object; from: string }[])
          lines.push(`  ${r.class.padEnd(17)} ${Object.keys(r.match).length ? JSON.stringify(r.match) : '(anything else)'}  [${r.from}]`);
      } else if (k === 'sharing') {
        const rules = v as { name: string; classes: string[]; basis: string; match?: object }[];
        lines.push(`sharing rules: ${rules.length ? '(first match wins)'
          : '(none: platform and overhead cost without a feature stays __shared__)'}`);
        for (const r of rules)
          lines.push(`  ${r.name.padEnd(17)} ${r.classes.join('+')}${r.match ? ` ${JSON.stringify(r.match)}` : ''} by ${r.basis}`);
      } else if (k === 'budgets') {
        const budgets = v as NonNullable<typeof config.budgets>;
        lines.push(`budgets: ${budgets.length ? '' : '(none)'}`);
        for (const b of budgets) {
          const scope = Object.entries(b.scope).map(([d, vs]) => `${d}=${(vs ?? []).join('|')}`).join(' ') || 'everything';
          const period = typeof b.period === 'string' ? b.period : `rolling ${b.period.rolling_days} days`;
          lines.push(`  ${b.name.padEnd(24)} ${b.measure} ${b.amount}${b.currency ? ` ${b.currency}` : ''} per ${period}; ${scope}; ` +
            `thresholds ${b.thresholds.map((t) => `${t.at}%${t.basis === 'forecast' ? ' forecast' : ''}`).join(', ')}`);
        }
      } else if (k === 'event_columns') {
        lines.push('event columns (first present wins):');
        for (const [f, names] of Object.entries(v as Record<string, string[]>)) lines.push(`  ${f.padEnd(14)} ${names.join(', ')}`);
      } else lines.push(`${k.replace(/_/g, ' ')}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    fx.stdout(lines.join('\n') + '\n');
  }
  return resolved;
}
